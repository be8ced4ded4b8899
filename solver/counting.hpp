// Unary counters (totalizers) for implied counts in the event-order query (solver/events.hpp).
//
// Why: the query that proves a run shortest ("no violation within K") is, at its core, a sum.
// For lowest-vote at n = 9 the run needs three phase-1 quorums of 5, two phase-2 quorums of 5
// and 6 messages: 31 actions, with no room for the one extra vote the violation needs. A
// cardinality constraint compiled into clauses does not add up constraints over different
// Booleans, and CDCL refutes the sum by cases. A totalizer over groups of actions (one subtree
// per group, such as "Phase1b at ballot 2 by any acceptor") has a literal "at least i of this
// group" at every subtree and clauses in both directions, so unit propagation carries bounds
// up and down the tree: three groups at 5 or more leave at most 10 for the rest of a budget of
// 31. Counts "at least q acceptors sent this message" in guards and in the invariant then
// imply "at least q actions of the group that sends it".
#pragma once

#include <z3++.h>

#include <string>
#include <vector>

namespace mw {

class UnaryCounter {
 public:
  // Counts are kept up to `cap` (a count literal for cap means "cap or more").
  UnaryCounter(z3::context& ctx, int cap, std::vector<z3::expr>& out, std::string prefix)
      : ctx_(ctx), cap_(cap), out_(out), prefix_(std::move(prefix)) {}
  // The count of the parts together: out[i] holds exactly when at least i + 1 of the leaves
  // below are true (i < cap). A part is a leaf {b} or an earlier result.
  std::vector<z3::expr> merge(std::vector<std::vector<z3::expr>> parts);

 private:
  std::vector<z3::expr> merge2(const std::vector<z3::expr>& a, const std::vector<z3::expr>& b);
  z3::context& ctx_;
  int cap_;
  std::vector<z3::expr>& out_;
  std::string prefix_;
  int nodes_ = 0;
};

}  // namespace mw
