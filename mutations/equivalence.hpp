// Equivalent mutants: ones whose transition relation (and invariants) are identical to the
// original's or to an earlier mutant's (`x > y` to `y < x`, a conjunct implied by another). They are reported once.
//
// Cheap first: every model is run on the same few hundred random states (all cells random, not
// only reachable ones) and hashed by which ground actions are enabled and what they lead to.
// Only models with equal fingerprints are compared exactly, by one Z3 query: is there a state,
// ground action and quorum choice where the guards or the successors differ?
#pragma once

#include <vector>

#include "mutations/operators.hpp"

namespace mw {

constexpr int kDistinct = -2, kSameAsOriginal = -1;

// For each mutant: kDistinct, kSameAsOriginal, or the index of the earlier mutant it equals.
std::vector<int> findEquivalents(const Model& original, const std::vector<Mutant>& mutants, const Instance& inst);

// Exact check of two models (same protocol shape) on one instance.
bool sameTransitions(const Model& a, const Model& b, const Instance& inst);

}  // namespace mw
