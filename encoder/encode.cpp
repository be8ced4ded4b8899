// Building Z3 terms from model expressions, folding what is already known.
#include "encoder/encode.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <bit>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <stdexcept>
#include <thread>

namespace mw {

namespace {
std::atomic<void (*)()> gateBefore{nullptr}, gateAfter{nullptr};
}  // namespace

void gateZ3Contexts(void (*before)(), void (*after)()) {
  gateAfter = after;
  gateBefore = before;
}

Z3_context Z3Context::make() {
  auto* after = gateAfter.load();
  if (auto* before = gateBefore.load()) before();
  Z3_config cfg = Z3_mk_config();
  Z3_context c = cfg ? Z3_mk_context_rc(cfg) : nullptr;
  if (cfg) Z3_del_config(cfg);
  if (after) after();
  if (!c) throw z3::exception("out of memory (Z3 could not make a context)");
  return c;
}

namespace {
// One background thread deletes the contexts handed to it, oldest first. Never destroyed: the
// process may end while it works (see z3ContextsIdle).
struct Reaper {
  std::mutex mu;
  std::condition_variable cv;
  std::deque<Z3_context> queue;
  bool busy = false;
  Reaper() {
    std::thread([this] {
      std::unique_lock<std::mutex> lock(mu);
      for (;;) {
        cv.wait(lock, [&] { return !queue.empty(); });
        Z3_context c = queue.front();
        queue.pop_front();
        busy = true;
        lock.unlock();
        Z3_del_context(c);
        lock.lock();
        busy = false;
      }
    }).detach();
  }
};
std::atomic<Reaper*> reaper{nullptr};
}  // namespace

void deleteZ3ContextsInBackground() {
  if (!reaper.load()) reaper = new Reaper;
}

bool z3ContextsIdle() {
  Reaper* r = reaper.load();
  if (!r) return true;
  std::lock_guard<std::mutex> lock(r->mu);
  return r->queue.empty() && !r->busy;
}

Z3Context::Z3Context() : raw_(make()), scoped_(raw_) {}
Z3Context::~Z3Context() {
  // In place under a memory limit (a gate is set: what is resident must be what is in use), and
  // when two deletions are already waiting (the background thread must not fall behind).
  Reaper* r = reaper.load();
  if (r && !gateBefore.load()) {
    std::lock_guard<std::mutex> lock(r->mu);
    if (r->queue.size() < 2) {
      r->queue.push_back(raw_);
      r->cv.notify_one();
      return;
    }
  }
  Z3_del_context(raw_);
}

Encoder::Encoder(const Model& m, const Instance& in, z3::context& ctx)
    : model_(m), inst_(in), layout_(m, in), ctx_(ctx), grounds_(groundActions(m, in)) {
  int largest = std::max(in.n, in.values);
  for (int size : in.ordered) largest = std::max(largest, size);
  largest += 2;
  width_ = std::max(1, static_cast<int>(std::bit_width(static_cast<unsigned>(largest))));
}

z3::solver makeSolver(z3::context& ctx, const char* logic) {
  z3::solver s = logic ? z3::solver(ctx, logic) : z3::solver(ctx);
  z3::params p(ctx);
  p.set("ctrl_c", false);
  s.set(p);
  return s;
}

SymState Encoder::init() const {
  SymState s;
  for (size_t f = 0; f < model_.funcs.size(); ++f) {
    int end = f + 1 < model_.funcs.size() ? layout_.funcBase[f + 1] : layout_.funcCells;
    for (int c = layout_.funcBase[f]; c < end; ++c) s.f.push_back(num(model_.funcs[f].init));
  }
  s.r.assign(layout_.relCells, num(0));
  return s;
}

z3::expr Encoder::bv(const Sym& s) const {
  return s.known() ? ctx_.bv_val(static_cast<unsigned>(s.c + 1), width_) : *s.e;
}
z3::expr Encoder::boolean(const Sym& s) const { return s.known() ? ctx_.bool_val(s.c != 0) : *s.e; }

Sym Encoder::mkNot(const Sym& a) const { return a.known() ? num(!a.c) : term(!*a.e); }

Sym Encoder::mkAnd(const std::vector<Sym>& xs) const {
  z3::expr_vector v(ctx_);
  for (auto& x : xs) {
    if (x.known()) {
      if (!x.c) return num(0);
    } else {
      v.push_back(*x.e);
    }
  }
  if (v.empty()) return num(1);
  return v.size() == 1 ? term(v[0]) : term(z3::mk_and(v));
}

Sym Encoder::mkOr(const std::vector<Sym>& xs) const {
  z3::expr_vector v(ctx_);
  for (auto& x : xs) {
    if (x.known()) {
      if (x.c) return num(1);
    } else {
      v.push_back(*x.e);
    }
  }
  if (v.empty()) return num(0);
  return v.size() == 1 ? term(v[0]) : term(z3::mk_or(v));
}

Sym Encoder::mkCmp(Op op, const Sym& l, const Sym& r) const {
  if (l.known() && r.known()) return num(applyOp(op, l.c, r.c));
  z3::expr a = bv(l), b = bv(r);
  switch (op) {
    case Op::Lt: return term(z3::ult(a, b));
    case Op::Le: return term(z3::ule(a, b));
    case Op::Gt: return term(z3::ugt(a, b));
    case Op::Ge: return term(z3::uge(a, b));
    case Op::Eq: return term(a == b);
    case Op::Ne: return term(a != b);
  }
  throw std::logic_error("unknown comparison");
}

Sym Encoder::mkAtLeast(const std::vector<Sym>& xs, int k) const {
  z3::expr_vector open(ctx_);
  for (auto& x : xs) {
    if (x.known())
      k -= x.c != 0;
    else
      open.push_back(*x.e);
  }
  if (k <= 0) return num(1);
  if (k > static_cast<int>(open.size())) return num(0);
  if (k == static_cast<int>(open.size())) return term(z3::mk_and(open));
  if (k == 1) return term(z3::mk_or(open));
  return term(z3::atleast(open, static_cast<unsigned>(k)));
}

Sym Encoder::argsEqual(const std::vector<Sym>& args, const std::vector<int>& vals) const {
  std::vector<Sym> eqs;
  for (size_t i = 0; i < args.size(); ++i) eqs.push_back(mkCmp(Op::Eq, args[i], num(vals[i])));
  return mkAnd(eqs);
}

std::vector<Sym> Encoder::evalAll(const std::vector<Expr>& es, Env& env) {
  std::vector<Sym> out;
  out.reserve(es.size());
  for (auto& e : es) out.push_back(eval(e, env));
  return out;
}

static bool allKnown(const std::vector<Sym>& xs) {
  return std::all_of(xs.begin(), xs.end(), [](const Sym& s) { return s.known(); });
}
static std::vector<int> values(const std::vector<Sym>& xs) {
  std::vector<int> v;
  for (auto& x : xs) v.push_back(x.c);
  return v;
}

Sym Encoder::eval(const Expr& e, Env& env) {
  switch (e.kind) {
    case Kind::Const: return num(e.val);
    case Kind::Var: return num(env.vars[e.slot]);
    case Kind::Read: {
      auto args = evalAll(e.kids, env);
      auto& sorts = model_.funcs[e.ref].args;
      if (allKnown(args)) {
        auto v = values(args);
        for (size_t i = 0; i < v.size(); ++i)
          if (!layout_.inRange(sorts[i], v[i])) return num(kNone);  // a cell that does not exist (f[none]) reads none
        return env.s->f[layout_.funcIndex(e.ref, v)];
      }
      // A read at an unknown index: the cell whose index matches, none if no cell does.
      auto cells = tuples(inst_, sorts);
      z3::expr out = bv(num(kNone));
      for (size_t i = cells.size(); i-- > 0;)
        out = z3::ite(boolean(argsEqual(args, cells[i])), bv(env.s->f[layout_.funcIndex(e.ref, cells[i])]), out);
      return term(out);
    }
    case Kind::Ite: {
      Sym c = eval(e.kids[0], env);
      if (c.known()) return eval(e.kids[c.c ? 1 : 2], env);
      return term(z3::ite(boolean(c), bv(eval(e.kids[1], env)), bv(eval(e.kids[2], env))));
    }
    case Kind::Sent: {
      auto fields = evalAll(e.kids, env);
      auto& sorts = model_.rels[e.ref].sorts;
      if (allKnown(fields)) {
        auto v = values(fields);
        for (size_t i = 0; i < v.size(); ++i)
          if (!layout_.inRange(sorts[i], v[i])) return num(0);
        return env.s->r[layout_.relIndex(e.ref, v)];
      }
      std::vector<Sym> any;
      for (auto& t : tuples(inst_, sorts))
        any.push_back(mkAnd({argsEqual(fields, t), env.s->r[layout_.relIndex(e.ref, t)]}));
      return mkOr(any);
    }
    case Kind::Cmp: return mkCmp(e.op, eval(e.kids[0], env), eval(e.kids[1], env));
    case Kind::And:
    case Kind::Or: {
      std::vector<Sym> xs;
      for (auto& k : e.kids) {
        xs.push_back(eval(k, env));
        // Stop at a known absorbing element: saves building dead sub-terms.
        if (xs.back().known() && (xs.back().c != 0) == (e.kind == Kind::Or)) break;
      }
      return e.kind == Kind::And ? mkAnd(xs) : mkOr(xs);
    }
    case Kind::Not: return mkNot(eval(e.kids[0], env));
    case Kind::Implies: {
      Sym p = eval(e.kids[0], env);
      if (p.known() && !p.c) return num(1);
      return mkOr({mkNot(p), eval(e.kids[1], env)});
    }
    case Kind::Exists:
    case Kind::Forall: {
      std::vector<Sym> xs;
      bool isOr = e.kind == Kind::Exists;
      for (int x = inst_.lo(e.sort); x <= inst_.hi(e.sort); ++x) {
        env.vars[e.slot] = x;
        xs.push_back(eval(e.kids[0], env));
        if (xs.back().known() && (xs.back().c != 0) == isOr) break;
      }
      return isOr ? mkOr(xs) : mkAnd(xs);
    }
    case Kind::AtLeast: {
      std::vector<Sym> xs;
      for (int x = inst_.lo(e.sort); x <= inst_.hi(e.sort); ++x) {
        env.vars[e.slot] = x;
        xs.push_back(eval(e.kids[0], env));
      }
      if (!inst_.sets(e.ref).empty()) {
        std::vector<Sym> any;
        for (uint32_t q : inst_.sets(e.ref)) {
          std::vector<Sym> all;
          for (int x = 0; x < inst_.n; ++x)
            if ((q >> x) & 1u) all.push_back(xs[x]);
          any.push_back(mkAnd(all));
        }
        return mkOr(any);
      }
      Sym out = mkAtLeast(xs, model_.quorumSize(inst_, e.ref));
      if (record_ && e.sort == Sort{Role::Process, false}) recordCount(out, model_.quorumSize(inst_, e.ref), e.kids[0], e.slot, env, -1, xs);
      return out;
    }
    case Kind::Quorum: {
      if (!env.step) throw std::logic_error("a quorum outside an action");
      auto& q = env.step->quorum[e.qid];
      if (q.empty())
        for (int a = 0; a < inst_.n; ++a)
          q.push_back(ctx_.bool_const((env.sub < 0 ? fmt::format("q{}_{}_{}", env.index, e.qid, a)
                                                   : fmt::format("pq{}_{}_{}_{}", env.index, env.sub, e.qid, a)).c_str()));
      std::vector<Sym> members;
      for (auto& x : q) members.push_back(term(x));
      Sym body = eval(e.kids[0], env);
      if (!inst_.sets(e.ref).empty()) {  // Q is exactly one of the listed sets
        std::vector<Sym> any;
        for (uint32_t s : inst_.sets(e.ref)) {
          std::vector<Sym> same;
          for (int a = 0; a < inst_.n; ++a) same.push_back(((s >> a) & 1u) ? members[a] : mkNot(members[a]));
          any.push_back(mkAnd(same));
        }
        return mkAnd({mkOr(any), body});
      }
      Sym out = mkAnd({mkAtLeast(members, model_.quorumSize(inst_, e.ref)), body});
      if (record_) recordCount(out, model_.quorumSize(inst_, e.ref), e.kids[0], -1, env, e.qid, members);
      return out;
    }
    case Kind::InSubset: throw std::logic_error("a subset test in a model not made for an instance (model/instantiate.hpp)");
    case Kind::InQuorum: {
      Sym a = eval(e.kids[0], env);
      auto& q = env.step->quorum[e.qid];
      if (a.known()) return a.c >= 0 && a.c < inst_.n ? term(q[a.c]) : num(0);
      std::vector<Sym> any;
      for (int x = 0; x < inst_.n; ++x) any.push_back(mkAnd({mkCmp(Op::Eq, a, num(x)), term(q[x])}));
      return mkOr(any);
    }
  }
  throw std::logic_error("unknown expression kind");
}

bool Encoder::needsOneOf(const Expr& e, Env& env, int qid, int member, std::vector<int>& out) {
  switch (e.kind) {
    case Kind::Sent: {
      auto fields = evalAll(e.kids, env);
      if (!allKnown(fields)) return false;
      auto v = values(fields);
      auto& sorts = model_.rels[e.ref].sorts;
      for (size_t i = 0; i < v.size(); ++i)
        if (!layout_.inRange(sorts[i], v[i])) return true;  // never true: needs nothing more
      out.push_back(layout_.relIndex(e.ref, v));
      return true;
    }
    case Kind::And:  // any conjunct's needs (what a failed try added is taken back)
      for (auto& k : e.kids) {
        size_t had = out.size();
        if (needsOneOf(k, env, qid, member, out)) return true;
        out.resize(had);
      }
      return false;
    case Kind::Or:
      for (auto& k : e.kids)
        if (!needsOneOf(k, env, qid, member, out)) return false;
      return true;
    case Kind::Forall:
    case Kind::Exists: {
      bool all = e.kind == Kind::Exists;  // exists: every instance must need one; forall: any
      for (int x = inst_.lo(e.sort); x <= inst_.hi(e.sort); ++x) {
        env.vars[e.slot] = x;
        size_t had = out.size();
        bool got = needsOneOf(e.kids[0], env, qid, member, out);
        if (!all && got) return true;
        if (all && !got) return false;
        if (!got) out.resize(had);
      }
      return all;
    }
    case Kind::Implies: {  // premise known true: the conclusion's needs
      const Expr& p = e.kids[0];
      if (p.kind != Kind::InQuorum || p.qid != qid || qid < 0) return false;
      Sym a = eval(p.kids[0], env);
      if (!a.known() || a.c != member) return false;
      return needsOneOf(e.kids[1], env, qid, member, out);
    }
    default: return false;
  }
}

void Encoder::recordCount(const Sym& holds, int k, const Expr& body, int slot, Env& env, int qid, const std::vector<Sym>& members) {
  if (holds.known() || inst_.anyListed()) return;
  CountSite site{boolean(holds), k, std::vector<std::vector<int>>(inst_.n), {}};
  for (auto& x : members) site.members.push_back(boolean(x));
  for (int x = 0; x < inst_.n; ++x) {
    if (slot >= 0) env.vars[slot] = x;
    if (!needsOneOf(body, env, qid, x, site.cells[x])) return;
  }
  sites_.push_back(std::move(site));
}

void Encoder::forEachWrite(const Action& act, Env& env, const Sym& fired,
                           const std::function<void(bool, int, const Sym&, const Sym&)>& f) {
  for (auto& u : act.updates) {
    auto args = evalAll(u.args, env);
    if (u.kind == Update::Kind::Assign) {
      Sym value = eval(u.value, env);
      if (allKnown(args)) {
        f(true, layout_.funcIndex(u.ref, values(args)), fired, value);
      } else {
        for (auto& t : tuples(inst_, model_.funcs[u.ref].args))
          f(true, layout_.funcIndex(u.ref, t), mkAnd({fired, argsEqual(args, t)}), value);
      }
    } else {
      for (auto& t : tuples(inst_, model_.rels[u.ref].sorts)) {
        Sym cond = mkAnd({fired, argsEqual(args, t)});
        if (!cond.known() || cond.c) f(false, layout_.relIndex(u.ref, t), cond, num(1));
      }
    }
  }
}

SymState Encoder::freshState(const std::string& prefix, std::vector<z3::expr>& ranges) const {
  SymState s;
  for (int c = 0; c < layout_.funcCells; ++c) {
    Sort r = model_.funcs[layout_.funcOf(c)].result;
    z3::expr v = ctx_.bv_const(fmt::format("{}f{}", prefix, c).c_str(), width_);
    ranges.push_back(z3::uge(v, bv(num(inst_.lo(r)))) && z3::ule(v, bv(num(inst_.hi(r)))));
    s.f.push_back(term(v));
  }
  for (int c = 0; c < layout_.relCells; ++c) s.r.push_back(term(ctx_.bool_const(fmt::format("{}r{}", prefix, c).c_str())));
  return s;
}

GroundEffect Encoder::effect(const SymState& cur, int k, SymStep& st, int i) {
  const Ground& g = grounds_[k];
  const Action& act = model_.actions[g.action];
  if (st.quorum.size() < static_cast<size_t>(model_.quorumCount)) st.quorum.resize(model_.quorumCount);
  Env env{&cur, {}, &st, i};
  std::copy(g.params.begin(), g.params.end(), env.vars);
  GroundEffect out;
  std::vector<Sym> conjuncts;
  for (auto& c : act.guard) conjuncts.push_back(eval(c, env));
  out.guard = mkAnd(conjuncts);
  out.next = cur;
  forEachWrite(act, env, num(1), [&](bool func, int cell, const Sym& cond, const Sym& value) {
    if (func) {
      Sym& old = out.next.f[cell];
      old = cond.known() ? (cond.c ? value : old) : term(z3::ite(*cond.e, bv(value), bv(old)));
    } else {
      out.next.r[cell] = mkOr({out.next.r[cell], cond});
      out.sends.emplace_back(cell, cond);
    }
  });
  return out;
}

z3::expr Encoder::differs(const SymState& a, const SymState& b) const {
  // Cells both leave as the same term (most of them: those neither writes) cannot differ.
  z3::expr_vector d(ctx_);
  for (size_t c = 0; c < a.f.size(); ++c)
    if (!sameSym(a.f[c], b.f[c])) d.push_back(bv(a.f[c]) != bv(b.f[c]));
  for (size_t c = 0; c < a.r.size(); ++c)
    if (!sameSym(a.r[c], b.r[c])) d.push_back(boolean(a.r[c]) != boolean(b.r[c]));
  return z3::mk_or(d);
}

SymStep Encoder::build(const SymState& cur, int i, bool parallel, const std::function<void(SymStep&)>& which) {
  SymStep st;
  st.quorum.resize(model_.quorumCount);
  // For each cell: who may write it, under which condition, with which value.
  std::vector<std::vector<std::pair<z3::expr, Sym>>> writes(layout_.funcCells);
  std::vector<std::vector<Sym>> sends(layout_.relCells);

  for (size_t k = 0; k < grounds_.size(); ++k) {
    checkGiveUp(k);
    const Ground& g = grounds_[k];
    const Action& act = model_.actions[g.action];
    SymStep own;  // parallel steps: this action's own quorum choices
    own.quorum.resize(model_.quorumCount);
    Env env{&cur, {}, parallel ? &own : &st, i, parallel ? static_cast<int>(k) : -1};
    std::copy(g.params.begin(), g.params.end(), env.vars);
    std::vector<Sym> conjuncts;
    for (auto& c : act.guard) {
      conjuncts.push_back(eval(c, env));
      if (conjuncts.back().known() && !conjuncts.back().c) break;
    }
    Sym guard = mkAnd(conjuncts);
    if (guard.known() && !guard.c) continue;  // cannot fire at this step
    z3::expr fire = ctx_.bool_const(fmt::format("{}fire{}_{}", parallel ? "p" : "", i, k).c_str());
    st.candidates.push_back(static_cast<int>(k));
    st.fire.push_back(fire);
    if (!guard.known()) st.constraints.push_back(z3::implies(fire, *guard.e));

    forEachWrite(act, env, term(fire), [&](bool func, int cell, const Sym& cond, const Sym& value) {
      if (func)
        writes[cell].emplace_back(boolean(cond), value);
      else
        sends[cell].push_back(cond);
    });
    if (parallel) st.quorumOf.push_back(std::move(own.quorum));
  }
  which(st);
  finishStep(st, cur, i, parallel ? "p" : "", writes, sends);
  return st;
}

SymStep Encoder::step(const SymState& cur, int i) {
  return build(cur, i, false, [&](SymStep& st) {  // exactly one action fires
    z3::expr_vector fires(ctx_);
    for (auto& f : st.fire) fires.push_back(f);
    if (fires.empty()) {
      st.constraints.push_back(ctx_.bool_val(false));
    } else {
      st.constraints.push_back(z3::mk_or(fires));
      if (fires.size() > 1) st.constraints.push_back(z3::atmost(fires, 1));
    }
  });
}

void Encoder::finishStep(SymStep& st, const SymState& cur, int i, const char* prefix,
                         const std::vector<std::vector<std::pair<z3::expr, Sym>>>& writes,
                         const std::vector<std::vector<Sym>>& sends) {
  st.next.f = cur.f;
  for (int c = 0; c < layout_.funcCells; ++c) {
    if (writes[c].empty()) continue;
    z3::expr value = bv(cur.f[c]);
    for (auto& [cond, v] : writes[c]) value = z3::ite(cond, bv(v), value);
    z3::expr fresh = ctx_.bv_const(fmt::format("{}f{}_{}", prefix, i + 1, c).c_str(), width_);
    st.constraints.push_back(fresh == value);
    st.next.f[c] = term(fresh);
  }
  st.next.r = cur.r;
  for (int c = 0; c < layout_.relCells; ++c) {
    if (sends[c].empty() || (cur.r[c].known() && cur.r[c].c)) continue;
    std::vector<Sym> any = sends[c];
    any.push_back(cur.r[c]);
    Sym now = mkOr(any);
    if (now.known()) {
      st.next.r[c] = now;
      continue;
    }
    z3::expr fresh = ctx_.bool_const(fmt::format("{}m{}_{}", prefix, i + 1, c).c_str());
    st.constraints.push_back(fresh == *now.e);
    st.next.r[c] = term(fresh);
  }
}

SymStep Encoder::stepParallel(const SymState& cur, int i, const std::vector<std::vector<char>>& dep) {
  return build(cur, i, true, [&](SymStep& st) {  // only independent actions together, at least one
    for (size_t x = 0; x < st.candidates.size(); ++x) {
      checkGiveUp(x);
      for (size_t y = x + 1; y < st.candidates.size(); ++y)
        if (dep[st.candidates[x]][st.candidates[y]]) st.constraints.push_back(!st.fire[x] || !st.fire[y]);
    }
    z3::expr_vector fires(ctx_);
    for (auto& f : st.fire) fires.push_back(f);
    st.constraints.push_back(fires.empty() ? ctx_.bool_val(false) : z3::mk_or(fires));
  });
}

State Encoder::stateOf(const z3::model& m, const SymState& s) const {
  State st;
  for (auto& c : s.f) st.f.push_back(valueOf(m, c));
  for (auto& c : s.r) st.r.push_back(static_cast<char>(valueOf(m, c)));
  return st;
}

Sym Encoder::holds(const SymState& s, const Expr& inv) {
  Env env{&s, {}, nullptr, -1};
  return eval(inv, env);
}

namespace {
void collectLeaves(const Expr& e, const Instance& in, Encoder::Leaf& at, std::vector<Encoder::Leaf>& out) {
  if (e.kind == Kind::And) {
    for (auto& k : e.kids) collectLeaves(k, in, at, out);
  } else if (e.kind == Kind::Forall) {
    bool was = at.bound[e.slot];
    at.bound[e.slot] = true;
    for (int x = in.lo(e.sort); x <= in.hi(e.sort); ++x) {
      at.vars[e.slot] = x;
      collectLeaves(e.kids[0], in, at, out);
    }
    at.bound[e.slot] = was;
  } else {
    Encoder::Leaf leaf = at;
    leaf.e = &e;
    out.push_back(leaf);
  }
}
}  // namespace

std::vector<Encoder::Leaf> Encoder::leaves(const Expr& inv, const Instance& in) {
  Leaf at{nullptr, {}, {}};
  std::vector<Leaf> out;
  collectLeaves(inv, in, at, out);
  return out;
}

Sym Encoder::instance(const SymState& s, const Leaf& leaf) {
  Env env{&s, {}, nullptr, -1};
  std::copy(std::begin(leaf.vars), std::end(leaf.vars), std::begin(env.vars));
  return eval(*leaf.e, env);
}

int Encoder::valueOf(const z3::model& m, const Sym& s) const {
  if (s.known()) return s.c;
  z3::expr v = m.eval(*s.e, true);
  if (v.is_bool()) return v.is_true() ? 1 : 0;
  return static_cast<int>(v.get_numeral_uint()) - 1;
}

}  // namespace mw
