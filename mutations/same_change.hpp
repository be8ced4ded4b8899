// The mutant's own change, made to the protocol's inductive invariant: candidates for the Houdini
// search that tries to prove a surviving mutant safe for every size (`mutants --every-size`).
//
// The change is read off by comparing the protocol and the mutant, so it works for any operator
// that changes a node in place:
// - a comparison `L op R` that became `L op' R`: every comparison of the invariant between terms
//   of the same shape (the same state reads, variables or constants, on either side) is changed
//   the same way, `op` to `op'` and its negation to the negation of `op'`;
// - a read of f that became a read of g: every read of f in the conjunct becomes a read of g;
// - an assignment to f removed, when nothing else assigns f: every read of f becomes f's
//   initial value (f never changes any more).
// Each conjunct the change touches gives one candidate, named after it with a `~`.
#pragma once

#include <vector>

#include "model/model.hpp"

namespace mw {

std::vector<Invariant> sameChangeOnInvariant(const Model& protocol, const Model& mutant);

}  // namespace mw
