// Completeness thresholds: a depth that provably covers every run of an instance, so that a
// bounded check reaching it proves the invariant for every run. The argument is in
// docs/completeness.md; tests compare it with the diameter found by exhaustive search.
#pragma once

#include "model/model.hpp"

namespace mw {

// For unmutated Paxos: 2 * ballots * (n + 1). For anything else: -1 (no threshold known).
int completenessThreshold(const Model& m, const Instance& in);
// The same for parallel steps (solver/parallel.hpp), counted in steps: every reachable state
// is reached by a run of at most this height. Unmutated Paxos: 3 * ballots + 1; else -1.
int parallelCompletenessThreshold(const Model& m, const Instance& in);

}  // namespace mw
