// Breadth-first search over concrete states of the model, with the interpreter that replays
// traces. It shares nothing with the SMT path but the model, which is what makes it a useful
// second opinion: the tests use it to confirm the BMC engine's verdicts and shortest lengths.
#pragma once

#include <vector>

#include "encoder/interp.hpp"
#include "solver/bmc.hpp"

namespace mw {

struct ExplicitResult {
  Verdict verdict = Verdict::Unknown;
  int depthChecked = -1;    // every run of at most this many actions was explored
  int length = -1;          // violated: shortest violating run
  bool exhausted = false;   // holds: every reachable state was explored (for every run)
  long states = 0;
  std::vector<Ground> path; // violated: the actions of a shortest violating run
};

ExplicitResult exploreBreadthFirst(const Interp& in, const Expr& invariant, int maxDepth, long maxStates = 5'000'000);

}  // namespace mw
