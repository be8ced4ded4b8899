#include "model/compiled.hpp"

#include <algorithm>
#include <bit>
#include <stdexcept>

namespace mw {

Compiled::Compiled(const Model& m, const Instance& in, const std::vector<int>* actions)
    : model_(m), inst_(in), layout_(m, in), grounds_(groundActions(m, in)) {
  add(Node{K::Const, Op::Eq, 0, {}, {}, {}});  // node 0: false
  add(Node{K::Const, Op::Eq, 1, {}, {}, {}});  // node 1: true
  for (auto& g : grounds_) {
    if (actions && !std::binary_search(actions->begin(), actions->end(), g.action)) {
      guard_.push_back(0);  // never enabled, in no candidate list
      updates_.emplace_back();
      continue;
    }
    Env env{};
    for (size_t i = 0; i < g.params.size(); ++i) env.vars[i] = g.params[i];
    const Action& act = m.actions[g.action];
    Node conj{K::And, Op::Eq, 0, {}, {}, {}};
    for (auto& c : act.guard) conj.kids.push_back(compile(c, env, -1));
    // Indexed by the first conjunct that reads one fixed message cell; a conjunct folded to
    // false leaves the ground out altogether.
    int trigger = -1;
    bool never = false;
    for (int kid : conj.kids) {
      const Node& n = nodes_[kid];
      if (n.k == K::Const && n.val == 0) never = true;
      if (n.k == K::RelCell && trigger < 0) trigger = n.val;
    }
    int k = static_cast<int>(guard_.size());
    if (!never && trigger < 0) always_.push_back(k);
    if (!never && trigger >= 0) {
      if (byMessage_.empty()) byMessage_.resize(layout_.relCells);
      byMessage_[trigger].push_back(k);
    }
    guard_.push_back(add(conj));
    std::vector<Upd> ups;
    for (auto& u : act.updates) {
      Upd x;
      x.assign = u.kind == Update::Kind::Assign;
      x.ref = u.ref;
      for (auto& a : u.args) x.args.push_back(compile(a, env, -1));
      if (x.assign) x.value = compile(u.value, env, -1);
      ups.push_back(std::move(x));
    }
    updates_.push_back(std::move(ups));
  }
  for (auto& inv : m.invariants) {
    Env env{};
    invariants_.push_back(compile(inv.holds, env, -1));
    std::vector<char> touch(m.actions.size());
    for (size_t a = 0; a < m.actions.size(); ++a) touch[a] = mw::touches(m.actions[a], inv.holds);  // the free function, not the member
    touches_.push_back(std::move(touch));
  }
}

int Compiled::add(Node n) {
  nodes_.push_back(std::move(n));
  return static_cast<int>(nodes_.size()) - 1;
}

// Partial evaluation: known values fold away, so a ground guard keeps only the cells it reads.
int Compiled::compile(const Expr& e, Env& env, int quorumDepth) {
  auto isConst = [&](int n) { return nodes_[n].k == K::Const; };
  auto constant = [&](int v) { return v == 0 ? 0 : v == 1 ? 1 : add(Node{K::Const, Op::Eq, v, {}, {}, {}}); };
  switch (e.kind) {
    case Kind::Const: return constant(e.val);
    case Kind::Var: return constant(env.vars[e.slot]);
    case Kind::Read:
    case Kind::Sent: {
      bool func = e.kind == Kind::Read;
      std::vector<int> args;
      bool known = true;
      for (auto& k : e.kids) {
        args.push_back(compile(k, env, quorumDepth));
        known = known && isConst(args.back());
      }
      if (known) {
        std::vector<int> v;
        for (int a : args) v.push_back(nodes_[a].val);
        if (func) {
          for (size_t i = 0; i < v.size(); ++i)
            if (!layout_.inRange(model_.funcs[e.ref].args[i], v[i])) return constant(kNone);  // f[none] reads none
          return add(Node{K::FuncCell, Op::Eq, layout_.funcIndex(e.ref, v), {}, {}, {}});
        }
        auto& sorts = model_.rels[e.ref].sorts;
        for (size_t i = 0; i < v.size(); ++i)
          if (!layout_.inRange(sorts[i], v[i])) return 0;
        return add(Node{K::RelCell, Op::Eq, layout_.relIndex(e.ref, v), {}, {}, {}});
      }
      return add(Node{func ? K::FuncDyn : K::RelDyn, Op::Eq, e.ref, args, {}, {}});
    }
    case Kind::Cmp: {
      int l = compile(e.kids[0], env, quorumDepth), r = compile(e.kids[1], env, quorumDepth);
      if (isConst(l) && isConst(r)) return applyOp(e.op, nodes_[l].val, nodes_[r].val) ? 1 : 0;
      return add(Node{K::Cmp, e.op, 0, {l, r}, {}, {}});
    }
    case Kind::Ite: {
      int c = compile(e.kids[0], env, quorumDepth);
      if (isConst(c)) return compile(e.kids[nodes_[c].val ? 1 : 2], env, quorumDepth);
      int a = compile(e.kids[1], env, quorumDepth), b = compile(e.kids[2], env, quorumDepth);
      return add(Node{K::Ite, Op::Eq, 0, {c, a, b}, {}, {}});
    }
    case Kind::Not: {
      int x = compile(e.kids[0], env, quorumDepth);
      if (isConst(x)) return nodes_[x].val ? 0 : 1;
      return add(Node{K::Not, Op::Eq, 0, {x}, {}, {}});
    }
    case Kind::And:
    case Kind::Or:
    case Kind::Implies:
    case Kind::Exists:
    case Kind::Forall: {
      bool isOr = e.kind == Kind::Or || e.kind == Kind::Exists || e.kind == Kind::Implies;
      std::vector<int> kids;
      auto take = [&](int x) {  // false: the result is decided
        if (isConst(x)) return (nodes_[x].val != 0) != isOr;
        kids.push_back(x);
        return true;
      };
      bool open = true;
      if (e.kind == Kind::Implies) {
        int p = compile(e.kids[0], env, quorumDepth);
        int np = isConst(p) ? (nodes_[p].val ? 0 : 1) : add(Node{K::Not, Op::Eq, 0, {p}, {}, {}});
        open = take(np) && take(compile(e.kids[1], env, quorumDepth));
      } else if (e.kind == Kind::And || e.kind == Kind::Or) {
        for (size_t i = 0; i < e.kids.size() && open; ++i) open = take(compile(e.kids[i], env, quorumDepth));
      } else {
        for (int x = inst_.lo(e.sort); x <= inst_.hi(e.sort) && open; ++x) {
          env.vars[e.slot] = x;
          open = take(compile(e.kids[0], env, quorumDepth));
        }
      }
      if (!open) return isOr ? 1 : 0;
      if (kids.empty()) return isOr ? 0 : 1;
      if (kids.size() == 1) return kids[0];
      return add(Node{isOr ? K::Or : K::And, Op::Eq, 0, kids, {}, {}});
    }
    case Kind::AtLeast: {
      std::vector<int> kids;
      if (!inst_.sets(e.ref).empty()) {
        for (int x = 0; x < inst_.n; ++x) {
          env.vars[e.slot] = x;
          kids.push_back(compile(e.kids[0], env, quorumDepth));
        }
        return add(Node{K::Covers, Op::Eq, 0, kids, {}, inst_.sets(e.ref)});
      }
      int need = model_.quorumSize(inst_, e.ref);
      for (int x = inst_.lo(e.sort); x <= inst_.hi(e.sort); ++x) {
        env.vars[e.slot] = x;
        int k = compile(e.kids[0], env, quorumDepth);
        if (isConst(k))
          need -= nodes_[k].val != 0;
        else
          kids.push_back(k);
      }
      if (need <= 0) return 1;
      if (need > static_cast<int>(kids.size())) return 0;
      return add(Node{K::AtLeast, Op::Eq, need, kids, {}, {}});
    }
    case Kind::InSubset: throw std::logic_error("a subset test in a model not made for an instance (model/instantiate.hpp)");
    case Kind::InQuorum: {
      int a = compile(e.kids[0], env, quorumDepth);
      if (isConst(a)) {
        int v = nodes_[a].val;
        return v >= 0 && v < inst_.n ? add(Node{K::InQ, Op::Eq, v, {}, {}, {}}) : 0;
      }
      return add(Node{K::InQDyn, Op::Eq, 0, {a}, {}, {}});
    }
    case Kind::Quorum: {
      Node q{K::Quorum, Op::Eq, model_.quorumSize(inst_, e.ref), {}, std::vector<int>(inst_.n, -1), inst_.sets(e.ref)};
      const Expr& body = e.kids[0];
      if (body.kind == Kind::And)
        for (auto& k : body.kids)
          if (const Expr* p = Interp::memberCondition(k))
            for (int x = 0; x < inst_.n; ++x) {
              env.vars[k.slot] = x;
              int c = compile(*p, env, quorumDepth);
              q.member[x] = q.member[x] < 0 || c == 0 ? c : add(Node{K::And, Op::Eq, 0, {q.member[x], c}, {}, {}});
            }
      q.kids.push_back(compile(body, env, quorumDepth + 1));
      return add(std::move(q));
    }
  }
  throw std::logic_error("unknown expression kind");
}

int Compiled::cellOf(bool func, int ref, const std::vector<int>& argNodes, const State& s, uint32_t& mask) const {
  auto& st = func ? layout_.funcStride[ref] : layout_.relStride[ref];
  int idx = func ? layout_.funcBase[ref] : layout_.relBase[ref];
  for (size_t i = 0; i < argNodes.size(); ++i) {
    int v = eval(argNodes[i], s, mask);
    Sort so = func ? model_.funcs[ref].args[i] : model_.rels[ref].sorts[i];
    if (!layout_.inRange(so, v)) return -1;
    idx += (v - st[i].first) * st[i].second;
  }
  return idx;
}

int Compiled::eval(int i, const State& s, uint32_t& mask) const {
  const Node& n = nodes_[i];
  switch (n.k) {
    case K::Const: return n.val;
    case K::FuncCell: return s.f[n.val];
    case K::RelCell: return s.r[n.val];
    case K::FuncDyn: {
      int c = cellOf(true, n.val, n.kids, s, mask);
      return c < 0 ? kNone : s.f[c];
    }
    case K::RelDyn: {
      int c = cellOf(false, n.val, n.kids, s, mask);
      return c < 0 ? 0 : s.r[c];
    }
    case K::Cmp: return applyOp(n.op, eval(n.kids[0], s, mask), eval(n.kids[1], s, mask));
    case K::And:
      for (int k : n.kids)
        if (!eval(k, s, mask)) return 0;
      return 1;
    case K::Or:
      for (int k : n.kids)
        if (eval(k, s, mask)) return 1;
      return 0;
    case K::Not: return !eval(n.kids[0], s, mask);
    case K::Ite: return eval(n.kids[0], s, mask) ? eval(n.kids[1], s, mask) : eval(n.kids[2], s, mask);
    case K::InQ: return (mask >> n.val) & 1u;
    case K::InQDyn: {
      int a = eval(n.kids[0], s, mask);
      return a >= 0 && a < inst_.n && ((mask >> a) & 1u);
    }
    case K::Covers: {
      uint32_t ok = 0;
      for (size_t x = 0; x < n.kids.size(); ++x)
        if (eval(n.kids[x], s, mask)) ok |= 1u << x;
      for (uint32_t q : n.sets)
        if ((q & ok) == q) return 1;
      return 0;
    }
    case K::AtLeast: {
      int have = 0;
      for (int k : n.kids) have += eval(k, s, mask) != 0;
      return have >= n.val;
    }
    case K::Quorum: {
      uint32_t all = 0;
      for (int x = 0; x < inst_.n; ++x)
        if (n.member[x] < 0 || eval(n.member[x], s, mask)) all |= 1u << x;
      uint32_t saved = mask;
      if (!n.sets.empty()) {
        for (uint32_t q : n.sets) {
          if ((q & all) != q) continue;
          mask = q;
          if (eval(n.kids[0], s, mask)) {
            mask = saved;
            return 1;
          }
        }
        mask = saved;
        return 0;
      }
      if (std::popcount(all) < n.val) return 0;
      for (uint32_t m = all;; m = (m - 1) & all) {  // every subset of the candidates
        if (std::popcount(m) >= n.val) {
          mask = m;
          if (eval(n.kids[0], s, mask)) {
            mask = saved;
            return 1;
          }
        }
        if (m == 0) break;
      }
      mask = saved;
      return 0;
    }
  }
  return 0;
}

bool Compiled::enabled(const State& s, int k) const {
  uint32_t mask = 0;
  return eval(guard_[k], s, mask) != 0;
}

void Compiled::candidates(const State& s, std::vector<int>& out) const {
  out = always_;
  if (byMessage_.empty()) return;
  forEachSent(s, [&](int c) { out.insert(out.end(), byMessage_[c].begin(), byMessage_[c].end()); });
  std::sort(out.begin(), out.end());
}

void Compiled::apply(const State& s, int k, State& out) const {
  out = s;
  uint32_t mask = 0;
  // With spent messages prepared: the messages this step sends (a few; past kSent, every sent
  // message is looked at) and whether it raised a cell some kill reads.
  constexpr int kSent = 16;
  int sent[kSent], nSent = 0;
  bool raised = false;
  for (auto& u : updates_[k]) {
    int c = cellOf(u.assign, u.ref, u.args, s, mask);
    if (c < 0) throw std::logic_error("an update writes outside its sort");
    if (u.assign) {
      int v = eval(u.value, s, mask);
      if (spentCount_ > 0 && monotone_[u.ref] && v != s.f[c]) {
        if (v < s.f[c]) throw std::logic_error("spent messages: a state function proved monotone went down");
        raised = raised || watched_[c];
      }
      out.f[c] = v;
    } else {
      out.r[c] = 1;
      if (nSent < kSent) sent[nSent] = c;
      raised = raised || ++nSent > kSent;
    }
  }
  if (spentCount_ > 0) dropSpent(sent, std::min(nSent, kSent), raised, out);
}

void Compiled::writes(const State& s, int k, std::vector<std::pair<int, int>>& out) const {
  out.clear();
  uint32_t mask = 0;
  for (auto& u : updates_[k]) {
    int c = cellOf(u.assign, u.ref, u.args, s, mask);
    if (c < 0) throw std::logic_error("an update writes outside its sort");
    out.emplace_back(u.assign ? c : -1 - c, u.assign ? eval(u.value, s, mask) : 1);
  }
}

bool Compiled::holds(const State& s, int invariant) const {
  uint32_t mask = 0;
  return eval(invariants_[invariant], s, mask) != 0;
}

}  // namespace mw
