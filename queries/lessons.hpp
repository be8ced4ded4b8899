// Why a counterexample breaks the protocol, read off the trace: the first step the protocol as
// written would not take (or would take differently) and the guard that forbids it, then the
// lesson the protocol file gives for the catalog mutation applied, if any.
#pragma once

#include <string>

#include "queries/check.hpp"

namespace mw {

// departure(r), then the file's lesson for each catalog mutation applied (by name or id).
std::string whyItBreaks(const CheckResult& r);

// Any protocol: the first step of the counterexample that the protocol as written (r.original)
// would not take, the guard conjunct's label that forbids it and the values that make it false;
// or the first step it would take differently; then the violation. Without r.original, the
// violation alone.
std::string departure(const CheckResult& r);

}  // namespace mw
