// Proof by an inductive invariant, for every depth at once. Three single-step Z3 queries:
//   Init => Inv,   Inv /\ Next => Inv',   Inv => Property.
// If the second fails, the model's pre-state, action and post-state form a counterexample to
// induction (CTI): replayed on the interpreter, with the conjunct of Inv that breaks named.
// A CTI's pre-state need not be reachable, so it says the invariant is not inductive for this
// (mutated) protocol, not that the property fails: bounded search answers that.
#pragma once

#include <z3++.h>

#include <atomic>
#include <optional>
#include <string>
#include <vector>

#include "model/interp.hpp"
#include "solver/bmc.hpp"

namespace mw {

struct InductionResult {
  Verdict verdict = Verdict::Unknown;  // Holds: proved for every run; Violated: a step failed
  std::string failedStep;              // "init", "step" or "implies"
  std::string conjunct;                // the conjunct of Inv that breaks (init/step)
  std::optional<State> before, after;  // step: the CTI; implies: `before` is the state
  std::optional<Ground> action;
  std::vector<int> quorum;
  std::string reason;                  // unknown: why
  double seconds = 0;
};

// threads: workers for the step query (0: one per core, at most 4). stop: Ctrl-C.
// onlyActions: ask the step query for these actions only, and skip Inv => Property. Sound only
// when another model, proved by this induction with the same Inv, property, initial state and
// instance, has every other action the same (a mutant and its protocol: `mutants`).
InductionResult proveByInduction(const Model& m, const Instance& in, const Expr& property, double timeoutSeconds,
                                 const std::atomic<bool>* stop = nullptr, int threads = 0,
                                 const std::vector<int>* onlyActions = nullptr);

}  // namespace mw
