// `check --prove --every-size`: the size-free proof (firstorder/), and where it does not go
// through, the instance's own induction and bounded search at the size the failure points to.
#pragma once

#include <functional>
#include <optional>

#include "firstorder/every_size.hpp"
#include "queries/check.hpp"

namespace mw {

struct EverySizeCheck {
  EverySizeResult proof;
  std::optional<CheckResult> bounded;  // not proved: induction then search at `bounded->inst`
};

// req: the check as given (its instance is the least size searched at); throws
// std::invalid_argument for a construct the encoding does not cover.
EverySizeCheck runEverySize(const Model& protocol, CheckRequest req, const std::function<void(const std::string&)>& progress);

}  // namespace mw
