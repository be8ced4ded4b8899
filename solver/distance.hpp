// A lower bound on how many more actions a state needs before it breaks an invariant (an
// admissible heuristic for the breadth-first engine), read off the model.
//
// Messages are never taken back, so a violation from state s needs every message the negated
// invariant requires that s has not sent; a missing message needs one action that sends it,
// whose guard in turn needs its own missing messages (regression through the actions that
// may send it; comparisons on acceptor state cost nothing, since that state may change).
// Parts that must all hold add up exactly when they need different messages. When they may
// share some, part i is costed with the others' messages free (c'_i) and the bound is
// sum(c'_i) + max_j(c_j - c'_j): in any run, the messages of part j's footprint already pay
// c_j, and part i needs c'_i more outside the other footprints. A footprint holds only the
// messages its cost counts (not ones already sent, free, or required to stay unsent). Each action sends at most
// `perAction` messages, which divides the count.
#pragma once

#include <algorithm>
#include <cstdint>
#include <unordered_map>
#include <vector>

#include "model/footprint.hpp"
#include "model/interp.hpp"

namespace mw {

class Distance {
 public:
  static constexpr int kNever = 1 << 20;  // no violation is reachable from this state
  Distance(const Model& m, const Instance& in, const Expr& invariant);
  int operator()(const State& s) const;

 private:
  // Footprints live on the stack (this runs for every new state): up to kWords * 64 message
  // cells; a larger instance gets no bound (0, which is always admissible).
  static constexpr int kWords = 32;
  static constexpr int kMaxParts = 72;  // sorts have at most 64 elements; more conjuncts: no bound
  struct Bits {
    uint64_t w[kWords];
  };
  struct Env {
    const State* s;
    int vars[16];
    const Bits* free;  // cells counted as sent (null: none)
    int ctx = 0;       // names `free` for the memo (0: nothing free)
  };
  struct Part {
    const Expr* e;
    bool want;
    int slot = -1, value = 0;    // bind this slot before costing (quorum/at-least members)
    int slot2 = -1, value2 = 0;  // and this one (a choice of an existential, see together)
  };
  int cost(const Expr& e, bool want, Env& env, Bits& fp) const;
  int cell(int c, Env& env, Bits& fp) const;
  int guard(int g, Env& env, Bits& fp) const;
  // Parts that must all come out as wanted (`need` of them when fewer than all are needed).
  int together(const Part* parts, int count, int need, Env& env, Bits& fp) const;
  bool value(const Expr& e, const Env& env, int& out) const;
  // Messages that every way of making e come out as wanted has sent (sent = true: with the
  // messages each of them needs before it) or has left unsent (false), as far as a walk over
  // the expression sees; reads no state.
  void required(const Expr& e, bool want, bool sent, Env& env, Bits& out) const;
  static void bind(const Part& p, Env& env) {
    if (p.slot >= 0) env.vars[p.slot] = p.value;
    if (p.slot2 >= 0) env.vars[p.slot2] = p.value2;
  }
  // Parts that all hold: false if they must send two messages that exclude each other.
  bool compatible(const Part* parts, int count, Env& env) const;
  void clear(Bits& b) const { std::fill(b.w, b.w + words_, 0); }
  bool disjoint(const Bits& a, const Bits& b) const;
  void unite(Bits& into, const Bits& b) const;
  const Model& m_;
  Instance in_;
  Layout L_;
  const Expr& inv_;
  std::vector<Ground> grounds_;
  std::vector<std::vector<int>> producers_;  // per message cell: ground actions that may send it
  // Per message cell: the messages that must be sent before it (itself included), and the
  // messages it excludes: each sender of either requires the other unsent, so at most one of
  // the two is ever sent (e.g. two 2a messages of one ballot). Messages are never taken back.
  std::vector<Bits> before_, excludes_;
  bool anyExclusion_ = false;
  int perAction_ = 0;
  int words_ = 0;
  bool off_ = false;  // too many message cells for the stack footprints
  // Per evaluation: cost and footprint of a message cell with nothing free, and cells being
  // costed (a cycle counts as free: it only lowers the bound).
  mutable std::vector<int> memo_, memoGen_, busy_;
  mutable std::vector<Bits> memoFp_;
  mutable std::unordered_map<uint64_t, std::pair<int, Bits>> memoFree_;  // (ctx, cell) with cells free
  mutable int gen_ = 0, ctxs_ = 0;
};

}  // namespace mw
