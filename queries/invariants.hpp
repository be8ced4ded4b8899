// The safety properties users check, and the sentence that spells out how a state breaks one.
#pragma once

#include <string>

#include "encoder/interp.hpp"

namespace mw {

// A human-readable account of why `inv` fails in `s`: which values, ballots and quorums.
std::string explainViolation(const Interp& in, const State& s, const std::string& inv);

// Do these acceptors (who voted for one value in one ballot) make it chosen: at least q2 of
// them, or all of one listed phase-2 quorum?
bool coversPhase2Quorum(const Model& m, const Instance& in, const std::vector<int>& voters);

// Has the model the 1b, 2a and 2b messages (2b with 3 fields) that the Paxos accounts of a
// violation read? Any other protocol gets the generic ones (a generic account replaces the
// Paxos one: issue 16).
bool paxosShaped(const Model& m);

// "{a1,a2}"
std::string showAcceptors(const std::vector<int>& as);

}  // namespace mw
