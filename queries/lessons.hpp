// Why a counterexample breaks Paxos, in one or two sentences read off the trace: which quorums
// failed to intersect, which vote went unreported or was overlooked, which promise was broken.
#pragma once

#include <string>

#include "queries/check.hpp"

namespace mw {

// For a violated check of a Paxos-shaped model; any other protocol gets departure().
std::string whyItBreaks(const CheckResult& r);

// Any protocol: the first step of the counterexample that the protocol as written (r.original)
// would not take, the guard conjunct's label that forbids it and the values that make it false;
// or the first step it would take differently; then the violation. Without r.original, the
// violation alone.
std::string departure(const CheckResult& r);

}  // namespace mw
