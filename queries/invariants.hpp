// The sentence that spells out how a state breaks an invariant.
#pragma once

#include <string>

#include "model/interp.hpp"

namespace mw {

// A human-readable account of why `inv` fails in `s`, for any protocol: the values its outer
// variables take where it fails, then, for each `atleast` that makes a premise true, the
// processes that satisfy it ("agreement (...) fails for v = v1, w = v2: {a1,a3} are a (at least
// 2 phase2) with sent 2b(a, 0, v1); ...").
std::string explainViolation(const Interp& in, const State& s, const std::string& inv);


}  // namespace mw
