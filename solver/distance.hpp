// A lower bound on how many more actions a state needs before it breaks an invariant, read off
// the invariant alone (an admissible heuristic for the breadth-first engine).
//
// Messages are never taken back, so from state s a violation needs at least the messages that
// the negated invariant requires and s has not sent yet; each action sends at most `perAction`
// of them. The count is exact per message and conservative everywhere else: a comparison that
// reads acceptor state costs nothing (the state may change), "and" adds its parts' costs only
// when they can be met by no common message (else it takes the largest), "or" and "exists"
// take the cheapest, "at least k" the k cheapest.
#pragma once

#include <cstdint>
#include <vector>

#include "encoder/interp.hpp"

namespace mw {

class Distance {
 public:
  static constexpr int kNever = 1 << 20;  // no violation is reachable from this state
  Distance(const Model& m, const Instance& in, const Expr& invariant);
  int operator()(const State& s) const;

 private:
  using Bits = std::vector<uint64_t>;
  struct Env {
    const State* s;
    int vars[16];
  };
  int cost(const Expr& e, bool want, Env& env, Bits& fp) const;
  int together(const std::vector<const Expr*>& parts, const std::vector<bool>& want, Env& env, Bits& fp) const;
  int atLeast(const Expr& e, bool want, Env& env, Bits& fp) const;
  bool value(const Expr& e, Env& env, int& out) const;
  const Model& m_;
  Instance in_;
  Layout L_;
  const Expr& inv_;
  int perAction_ = 0;
  size_t words_ = 0;
};

}  // namespace mw
