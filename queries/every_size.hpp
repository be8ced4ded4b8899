// `check --prove --every-size`: the size-free proof (firstorder/), and where it does not go
// through, the instance's own induction and bounded search at the size the failure points to.
#pragma once

#include <functional>
#include <optional>

#include "firstorder/every_size.hpp"
#include "queries/check.hpp"
#include "queries/sweep.hpp"

namespace mw {

struct EverySizeCheck {
  EverySizeResult proof;
  std::optional<CheckResult> bounded;  // not proved: induction then search at `bounded->inst`
};

// req: the check as given (its instance is the least size searched at); sizesGiven: its quorum
// sizes were given on the command line, so the proof takes them as fixed (proveEverySize's `at`).
// Throws std::invalid_argument for a construct the encoding does not cover.
EverySizeCheck runEverySize(const Model& protocol, CheckRequest req, bool sizesGiven, const std::function<void(const std::string&)>& progress);

// The instance a failed every-size proof is searched at grows where the proof points: to the
// counterexample to induction's sizes, to the least n where a quorum intersection fails (with the
// file's quorum sizes at a larger n), and until every quorum has a member. Quorum sizes given on
// the command line stay as given.
void growForEverySize(const Model& protocol, const Model& mutated, const EverySizeResult& proof, bool sizesGiven, Instance& in);

// `sweep --every-size`: the safe cells of a sweep, grouped by the intersection axioms their
// quorum sizes give (for Paxos: q1 + q2 > n or not), and one size-free proof per group. A proof
// holds for every number of the other sorts' elements, and every n whose quorums meet as the
// cell's do.
struct SweepProof {
  std::vector<bool> axioms;  // which intersection axioms the group's cells give
  EverySizeResult proof;
  std::vector<size_t> cells;  // the group's cells, as indices into SweepResult::cells
};
std::vector<SweepProof> proveSafeCells(const Model& protocol, const SweepResult& r, const CheckRequest& check,
                                       const std::function<void(const std::string&)>& progress);

}  // namespace mw
