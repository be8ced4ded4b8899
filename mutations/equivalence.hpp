// Equivalent mutants: ones whose transition relation (and invariants) are identical to the
// original's or to an earlier mutant's (`x > y` to `y < x`, a conjunct implied by another). They are reported once.
//
// Most mutants change one action, and only that action is looked at. Cheap first: every model is
// run on the same few hundred random states (all cells random, not only reachable ones) and
// hashed, per action, by which of its ground actions are enabled and which cells they change; a
// mutant's hashes are the original's except for the actions it changes. Only models whose hashes
// all agree are compared exactly, by Z3, over the ground actions of the actions either changes:
// is there a state, ground action and quorum choice where the guards or the successors differ?
#pragma once

#include <algorithm>
#include <atomic>
#include <functional>
#include <vector>

#include "mutations/operators.hpp"

namespace mw {

constexpr int kDistinct = -2, kSameAsOriginal = -1;

// What a mutant changes compared with the original: the actions whose definition differs, or
// `global` when it changes something every action or invariant may read (a quorum size, what a
// restart keeps, an initial value, an invariant or the inductive invariant).
struct MutantScope {
  bool global = true;
  std::vector<int> actions;  // in increasing order; meaningful when !global
  bool covers(int action) const {
    return global || std::binary_search(actions.begin(), actions.end(), action);
  }
};
MutantScope scopeOf(const Model& original, const Model& mutant);

// For each mutant: kDistinct, kSameAsOriginal, or the index of the earlier mutant it equals.
// On large instances this takes minutes (Raft at its default instance: 290 mutants in about 5
// minutes), so `stop` is looked at between mutants and between the exact queries: once it is
// set, the mutants not yet compared stay kDistinct and the caller is stopping anyway.
// onProgress(done, total) is called after each mutant. scopes: each mutant's scopeOf, when the
// caller has them already (worked out here otherwise).
std::vector<int> findEquivalents(const Model& original, const std::vector<Mutant>& mutants, const Instance& inst,
                                 const std::atomic<bool>* stop = nullptr,
                                 const std::function<void(size_t, size_t)>& onProgress = {},
                                 const std::vector<MutantScope>* scopes = nullptr);

// Exact check of two models (same protocol shape) on one instance, over the ground actions of
// the scope (and the invariants, for a global one); false when stopped.
bool sameTransitions(const Model& a, const Model& b, const Instance& inst, const std::atomic<bool>* stop = nullptr,
                     const MutantScope& scope = {});

}  // namespace mw
