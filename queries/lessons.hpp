// Why a counterexample breaks Paxos, in one or two sentences read off the trace: which quorums
// failed to intersect, which vote went unreported or was overlooked, which promise was broken.
#pragma once

#include <string>

#include "queries/check.hpp"

namespace mw {

// For a violated check of a Paxos-shaped model; falls back to the plain violation text.
std::string whyItBreaks(const CheckResult& r);

}  // namespace mw
