// Bounded model checking with parallel steps, shortest in actions.
//
// A step fires any nonempty set of pairwise independent actions (model/footprint.hpp), so a
// run of many actions on different acceptors needs few steps: Paxos's usual counterexamples
// at n = 7 are 5 or 6 steps deep instead of 15 to 25 actions. Each run is searched in one
// shape only, its Foata normal form: every action of step i+1 depends on some action of step
// i (else it could have fired a step earlier). The number of steps of that form is the run's
// height, and no run has more height than actions.
//
// Shortest in actions: at the first height h with a violation, the number of actions is
// minimised with a cardinality bound (at most A - 1 actions, again, until unsatisfiable).
// A run with fewer actions could still be taller, so heights h+1 .. A-1 are then asked the
// same question under the bound A - 1; a height of A or more needs at least A actions. When
// all of them are unsatisfiable, A is the length of the shortest violating run, exactly as
// the one-action-per-step BMC would find it.
#pragma once

#include <z3++.h>

#include <atomic>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "encoder/encode.hpp"
#include "model/interp.hpp"
#include "solver/bmc.hpp"

namespace mw {

struct ParallelOptions {
  int maxActions = 10;        // look for violations of at most this many actions
  // A height that covers every reachable state (queries/completeness.hpp), or -1: no step
  // above it is added, and the result says whether it was reached.
  int maxHeight = -1;
  double timeoutSeconds = 0;  // 0: none
  bool symmetry = true;       // break acceptor symmetry where the model and invariant allow it
  // false: stop at the first height with a violation, after minimising its actions for at most
  // minimiseSeconds (the caller proves the bound some other way); `shortest` is then false.
  bool proveShortest = true;
  double minimiseSeconds = 1e9;
  std::function<void(const std::string&)> progress;
  std::function<void(int actions)> onViolation;  // each time a violation with fewer actions is found
  const std::atomic<bool>* stop = nullptr;
};

struct ParallelResult {
  Verdict verdict = Verdict::Unknown;
  int depthChecked = -1;  // every run of at most this many actions was checked
  int length = -1;        // violated: actions of the counterexample
  bool shortest = false;  // violated: no shorter violating run exists (false only when stopped early)
  std::string reason;
  double seconds = 0;
  // Violated: the run as single actions (each step's actions in ground order), the solver's
  // quorum masks per action, and the solver's state after each step (after[i] follows the
  // first stepEnd[i] actions).
  std::vector<Ground> actions;
  std::vector<std::vector<uint32_t>> quorums;
  std::vector<State> after;
  std::vector<int> stepEnd;
  State init;
};

ParallelResult checkParallel(const Model& m, const Instance& in, const Expr& invariant, const ParallelOptions& opts);

}  // namespace mw
