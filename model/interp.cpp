// Direct evaluation of model expressions on one concrete state.
#include "model/interp.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <stdexcept>

namespace mw {

Interp::Interp(const Model& m, const Instance& in) : model_(&m), inst_(in), layout_(m, in) {}

State Interp::init() const {
  State s;
  s.f.resize(layout_.funcCells);
  for (size_t f = 0; f < model_->funcs.size(); ++f) {
    int end = f + 1 < model_->funcs.size() ? layout_.funcBase[f + 1] : layout_.funcCells;
    for (int c = layout_.funcBase[f]; c < end; ++c) s.f[c] = model_->funcs[f].init;
  }
  s.r.assign(layout_.relCells, 0);
  return s;
}

std::vector<int> Interp::args(const std::vector<Expr>& es, Ctx& c) const {
  std::vector<int> v;
  v.reserve(es.size());
  for (auto& e : es) v.push_back(eval(e, c));
  return v;
}

bool Interp::mentionsQuorum(const Expr& e) {
  if (e.kind == Kind::InQuorum || e.kind == Kind::Quorum) return true;
  for (auto& k : e.kids)
    if (mentionsQuorum(k)) return true;
  return false;
}
// For `forall x: InQuorum(x) => P` with P free of quorum references: P, else null.
const Expr* Interp::memberCondition(const Expr& e) {
  if (e.kind != Kind::Forall || e.sort.role != Role::Process || e.sort.withNone) return nullptr;
  const Expr& imp = e.kids[0];
  if (imp.kind != Kind::Implies || imp.kids[0].kind != Kind::InQuorum) return nullptr;
  const Expr& who = imp.kids[0].kids[0];
  if (who.kind != Kind::Var || who.slot != e.slot || mentionsQuorum(imp.kids[1])) return nullptr;
  return &imp.kids[1];
}

int Interp::eval(const Expr& e, Ctx& c) const {
  switch (e.kind) {
    case Kind::Const: return e.val;
    case Kind::Var: return c.env[e.slot];
    case Kind::Read: {
      int idx = layout_.funcBase[e.ref];
      auto& st = layout_.funcStride[e.ref];
      auto& args = model_->funcs[e.ref].args;
      for (size_t i = 0; i < e.kids.size(); ++i) {
        int v = eval(e.kids[i], c);
        if (!layout_.inRange(args[i], v)) return kNone;  // a cell that does not exist (f[none]) reads none
        idx += (v - st[i].first) * st[i].second;
      }
      return c.s->f[idx];
    }
    case Kind::Ite: return eval(e.kids[0], c) ? eval(e.kids[1], c) : eval(e.kids[2], c);
    case Kind::Sent: {
      int idx = layout_.relBase[e.ref];
      auto& st = layout_.relStride[e.ref];
      auto& sorts = model_->rels[e.ref].sorts;
      for (size_t i = 0; i < e.kids.size(); ++i) {
        int v = eval(e.kids[i], c);
        if (!layout_.inRange(sorts[i], v)) return 0;
        idx += (v - st[i].first) * st[i].second;
      }
      return c.s->r[idx];
    }
    case Kind::Cmp: return applyOp(e.op, eval(e.kids[0], c), eval(e.kids[1], c));
    case Kind::And:
      for (auto& k : e.kids)
        if (!eval(k, c)) return 0;
      return 1;
    case Kind::Or:
      for (auto& k : e.kids)
        if (eval(k, c)) return 1;
      return 0;
    case Kind::Not: return !eval(e.kids[0], c);
    case Kind::Implies: return !eval(e.kids[0], c) || eval(e.kids[1], c);
    case Kind::Exists:
    case Kind::Forall: {
      bool any = e.kind == Kind::Exists;
      for (int x = inst_.lo(e.sort); x <= inst_.hi(e.sort); ++x) {
        c.env[e.slot] = x;
        if (static_cast<bool>(eval(e.kids[0], c)) == any) return any;
      }
      return !any;
    }
    case Kind::AtLeast: {
      if (!inst_.sets(e.ref).empty()) {  // an explicit system: the satisfying set covers a quorum
        uint32_t ok = 0;
        for (int x = 0; x < inst_.n; ++x) {
          c.env[e.slot] = x;
          if (eval(e.kids[0], c)) ok |= 1u << x;
        }
        for (uint32_t q : inst_.sets(e.ref))
          if ((q & ok) == q) return 1;
        return 0;
      }
      int need = model_->quorumSize(inst_, e.ref), have = 0;
      for (int x = inst_.lo(e.sort); x <= inst_.hi(e.sort); ++x) {
        c.env[e.slot] = x;
        have += eval(e.kids[0], c) != 0;
      }
      return have >= need;
    }
    case Kind::InSubset: throw std::logic_error("a subset test in a model not made for an instance (model/instantiate.hpp)");
    case Kind::InQuorum: {
      int a = eval(e.kids[0], c);
      return a >= 0 && a < 32 && (((*c.quorums)[e.qid] >> a) & 1u);
    }
    case Kind::Quorum: {
      uint32_t& q = (*c.quorums)[e.qid];
      int need = model_->quorumSize(inst_, e.ref);
      const auto& sets = inst_.sets(e.ref);
      if (!sets.empty()) {
        if (q != kFree) return std::find(sets.begin(), sets.end(), q) != sets.end() && eval(e.kids[0], c);
        for (uint32_t m : sets) {
          q = m;
          if (eval(e.kids[0], c)) return 1;
        }
        q = kFree;
        return 0;
      }
      if (q != kFree) return std::popcount(q) >= need && eval(e.kids[0], c);
      // Members must satisfy every "forall x: x in Q => P(x)" conjunct of the body, so only
      // subsets of the acceptors satisfying each such P need to be tried.
      uint32_t all = (1u << inst_.n) - 1;
      const Expr& body = e.kids[0];
      if (body.kind == Kind::And)
        for (auto& k : body.kids)
          if (const Expr* p = memberCondition(k)) {
            uint32_t ok = 0;
            for (int x = 0; x < inst_.n; ++x) {
              c.env[k.slot] = x;
              if (eval(*p, c)) ok |= 1u << x;
            }
            all &= ok;
          }
      if (std::popcount(all) < need) {
        q = kFree;
        return 0;
      }
      // Search the smallest quorums first, so the trace shows a minimal one.
      for (int size = std::max(need, 0); size <= std::popcount(all); ++size)
        for (uint32_t m = 0; m <= all; ++m) {
          if ((m & ~all) || std::popcount(m) != size) continue;
          q = m;
          if (eval(e.kids[0], c)) return 1;
        }
      q = kFree;
      return 0;
    }
  }
  throw std::logic_error("unknown expression kind");
}

bool Interp::enabled(const State& s, const Ground& g, std::vector<uint32_t>& quorums) const {
  quorums.resize(model_->quorumCount, kFree);
  Ctx c{&s, {}, &quorums};
  for (size_t i = 0; i < g.params.size(); ++i) c.env[i] = g.params[i];
  for (auto& conjunct : model_->actions[g.action].guard)
    if (!eval(conjunct, c)) return false;
  return true;
}

State Interp::apply(const State& s, const Ground& g) const {
  State t;
  applyInto(s, g, t);
  return t;
}

void Interp::applyInto(const State& s, const Ground& g, State& t) const {
  t = s;
  static thread_local std::vector<uint32_t> none;
  none.assign(model_->quorumCount, 0);
  Ctx c{&s, {}, &none};
  for (size_t i = 0; i < g.params.size(); ++i) c.env[i] = g.params[i];
  for (auto& u : model_->actions[g.action].updates) {
    auto a = args(u.args, c);
    if (u.kind == Update::Kind::Assign)
      t.f[layout_.funcIndex(u.ref, a)] = eval(u.value, c);
    else
      t.r[layout_.relIndex(u.ref, a)] = 1;
  }
}

bool Interp::holds(const State& s, const Expr& inv) const {
  std::vector<uint32_t> none(model_->quorumCount, 0);
  Ctx c{&s, {}, &none};
  return eval(inv, c) != 0;
}

bool Interp::holdsWith(const State& s, const Expr& e, const std::vector<int>& env) const {
  return valueWith(s, e, env) != 0;
}

int Interp::valueWith(const State& s, const Expr& e, const std::vector<int>& env) const {
  std::vector<uint32_t> none(model_->quorumCount, 0);
  Ctx c{&s, {}, &none};
  for (size_t i = 0; i < env.size() && i < 16; ++i) c.env[i] = env[i];
  return eval(e, c);
}

std::vector<std::string> describeState(const Model& m, const Instance& in, const State& s) {
  Layout L(m, in);
  std::vector<std::string> out;
  for (size_t f = 0; f < m.funcs.size(); ++f) {
    std::string line = m.funcs[f].name + ":";
    for (auto& args : tuples(in, m.funcs[f].args)) {
      std::string cell;
      for (size_t i = 0; i < args.size(); ++i) cell += (i ? "," : "") + showValue(m, m.funcs[f].args[i], args[i]);
      line += fmt::format(" {}={}", cell, showValue(m, m.funcs[f].result, s.f[L.funcIndex(static_cast<int>(f), args)]));
    }
    out.push_back(line);
  }
  std::string msgs = "messages:";
  for (int c = 0; c < L.relCells; ++c)
    if (s.r[c]) {
      int r = L.relOf(c);
      auto fields = L.relFields(r, c);
      std::string f;
      for (size_t i = 0; i < fields.size(); ++i) f += (i ? "," : "") + showValue(m, m.rels[r].sorts[i], fields[i]);
      msgs += fmt::format(" {}({})", m.rels[r].name, f);
    }
  out.push_back(msgs);
  return out;
}

}  // namespace mw
