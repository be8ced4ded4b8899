#include "solver/distance.hpp"

#include <algorithm>

namespace mw {

namespace {
int add(int a, int b) { return std::min(Distance::kNever, a + b); }
bool disjoint(const std::vector<uint64_t>& a, const std::vector<uint64_t>& b) {
  for (size_t i = 0; i < a.size(); ++i)
    if (a[i] & b[i]) return false;
  return true;
}
void unite(std::vector<uint64_t>& into, const std::vector<uint64_t>& b) {
  for (size_t i = 0; i < into.size(); ++i) into[i] |= b[i];
}
}  // namespace

Distance::Distance(const Model& m, const Instance& in, const Expr& invariant)
    : m_(m), in_(in), L_(m, in), inv_(invariant), words_((L_.relCells + 63) / 64) {
  for (auto& a : m.actions)
    perAction_ = std::max(perAction_, static_cast<int>(std::count_if(a.updates.begin(), a.updates.end(), [](const Update& u) {
                            return u.kind == Update::Kind::Send;
                          })));
}

int Distance::operator()(const State& s) const {
  Env env{&s, {}};
  Bits fp(words_, 0);
  int c = cost(inv_, false, env, fp);
  if (c >= kNever) return kNever;
  if (c == 0) return 0;
  if (perAction_ == 0) return kNever;
  return (c + perAction_ - 1) / perAction_;
}

// The value of a term that does not read acceptor state; false if it does.
bool Distance::value(const Expr& e, Env& env, int& out) const {
  switch (e.kind) {
    case Kind::Const: out = e.val; return true;
    case Kind::Var: out = env.vars[e.slot]; return true;
    default: return false;
  }
}

// Parts that must all come out as wanted: their costs add up when no message could serve two
// of them, else the largest cost is all that is certain.
int Distance::together(const std::vector<const Expr*>& parts, const std::vector<bool>& want, Env& env, Bits& fp) const {
  int sum = 0, most = 0;
  bool apart = true;
  Bits seen(words_, 0), mine(words_, 0);
  for (size_t i = 0; i < parts.size(); ++i) {
    std::fill(mine.begin(), mine.end(), 0);
    int c = cost(*parts[i], want[i], env, mine);
    if (c >= kNever) {
      unite(fp, mine);
      return kNever;
    }
    if (!disjoint(seen, mine)) apart = false;
    unite(seen, mine);
    sum = add(sum, c);
    most = std::max(most, c);
  }
  unite(fp, seen);
  return apart ? sum : most;
}

int Distance::atLeast(const Expr& e, bool want, Env& env, Bits& fp) const {
  if (!in_.sets(e.ref).empty()) {  // a listed quorum system: no bound worth the trouble
    for (auto& w : fp) w = ~0ull;
    return 0;
  }
  int k = m_.quorumSize(in_, e.ref);
  int n = in_.hi(e.sort) - in_.lo(e.sort) + 1;
  int need = want ? k : n - k + 1;  // bodies that must be true (or false)
  if (need <= 0) return 0;
  if (need > n) return kNever;
  std::vector<int> costs;
  bool apart = true;
  Bits seen(words_, 0), mine(words_, 0);
  for (int x = in_.lo(e.sort); x <= in_.hi(e.sort); ++x) {
    env.vars[e.slot] = x;
    std::fill(mine.begin(), mine.end(), 0);
    costs.push_back(cost(e.kids[0], want, env, mine));
    if (!disjoint(seen, mine)) apart = false;
    unite(seen, mine);
  }
  unite(fp, seen);
  std::sort(costs.begin(), costs.end());
  if (!apart) return costs[need - 1];
  int sum = 0;
  for (int i = 0; i < need; ++i) sum = add(sum, costs[i]);
  return sum;
}

int Distance::cost(const Expr& e, bool want, Env& env, Bits& fp) const {
  switch (e.kind) {
    case Kind::Const: return (e.val != 0) == want ? 0 : kNever;
    case Kind::Cmp: {
      int l, r;
      if (!value(e.kids[0], env, l) || !value(e.kids[1], env, r)) return 0;
      return applyOp(e.op, l, r) == want ? 0 : kNever;
    }
    case Kind::Sent: {
      auto& sorts = m_.rels[e.ref].sorts;
      std::vector<int> fields;
      for (size_t i = 0; i < e.kids.size(); ++i) {
        int v;
        if (!value(e.kids[i], env, v)) {  // a field read from state: any message of the relation
          int end = e.ref + 1 < static_cast<int>(m_.rels.size()) ? L_.relBase[e.ref + 1] : L_.relCells;
          for (int c = L_.relBase[e.ref]; c < end; ++c) fp[c / 64] |= uint64_t{1} << (c % 64);
          return 0;
        }
        if (!L_.inRange(sorts[i], v)) return want ? kNever : 0;
        fields.push_back(v);
      }
      int c = L_.relIndex(e.ref, fields);
      fp[c / 64] |= uint64_t{1} << (c % 64);
      bool sent = env.s->r[c] != 0;
      if (want) return sent ? 0 : 1;
      return sent ? kNever : 0;
    }
    case Kind::Not: return cost(e.kids[0], !want, env, fp);
    case Kind::And:
    case Kind::Or: {
      std::vector<const Expr*> parts;
      for (auto& k : e.kids) parts.push_back(&k);
      if ((e.kind == Kind::And) == want) return together(parts, std::vector<bool>(parts.size(), want), env, fp);
      int best = kNever;
      for (auto& k : e.kids) best = std::min(best, cost(k, want, env, fp));
      return best;
    }
    case Kind::Implies:  // not p, or c
      if (!want) return together({&e.kids[0], &e.kids[1]}, {true, false}, env, fp);
      return std::min(cost(e.kids[0], false, env, fp), cost(e.kids[1], true, env, fp));
    case Kind::Exists:
    case Kind::Forall: {
      bool all = (e.kind == Kind::Forall) == want;
      int best = kNever, sum = 0, most = 0;
      bool apart = true;
      Bits seen(words_, 0), mine(words_, 0);
      for (int x = in_.lo(e.sort); x <= in_.hi(e.sort); ++x) {
        env.vars[e.slot] = x;
        std::fill(mine.begin(), mine.end(), 0);
        int c = cost(e.kids[0], want, env, mine);
        if (!disjoint(seen, mine)) apart = false;
        unite(seen, mine);
        best = std::min(best, c);
        sum = add(sum, c);
        most = std::max(most, c);
      }
      unite(fp, seen);
      if (!all) return best;
      return apart ? sum : most;
    }
    case Kind::AtLeast: return atLeast(e, want, env, fp);
    default: return 0;  // reads of acceptor state, quorums: no bound
  }
}

}  // namespace mw
