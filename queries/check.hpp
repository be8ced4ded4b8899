// The `check` question: is there a run of at most K actions that breaks the invariant?
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "encoder/model.hpp"
#include "queries/trace.hpp"
#include "solver/bmc.hpp"

namespace mw {

struct CheckRequest {
  Instance inst;  // q1/q2 before mutations
  int depth = 10;
  std::string invariant = "agreement";
  std::vector<std::string> mutations;
  double timeoutSeconds = 0;
  std::string engine = "bmc";  // "bmc" (Z3) or "explicit" (breadth-first over concrete states)
  long maxStates = 5'000'000;  // explicit engine only
  std::function<void(int depth, double seconds)> onDepth;
};

struct CheckResult {
  Model model;  // the (mutated) model that was checked
  Instance inst;
  CheckRequest request;
  Verdict verdict = Verdict::Unknown;
  int depthChecked = -1;
  int length = -1;
  std::string reason;
  double seconds = 0;
  bool exhausted = false;  // holds for every run: the explicit search ran out of new states
  long states = 0;         // explicit engine: distinct states explored
  std::optional<Trace> trace;  // violated: replayed on the interpreter
  std::string violation;       // violated: what the last state breaks, in words
  int q1() const { return model.quorumSize(inst, 1); }
  int q2() const { return model.quorumSize(inst, 2); }
};

// Throws std::invalid_argument for an unknown mutation or invariant, ReplayError when the
// solver's counterexample does not replay.
CheckResult runCheck(const Model& protocol, const CheckRequest& req);

}  // namespace mw
