// The safety properties users check, and the sentence that spells out how a state breaks one.
#pragma once

#include <string>

#include "encoder/interp.hpp"

namespace mw {

// A human-readable account of why `inv` fails in `s`: which values, ballots and quorums.
std::string explainViolation(const Interp& in, const State& s, const std::string& inv);

// "{a1,a2}"
std::string showAcceptors(const std::vector<int>& as);

}  // namespace mw
