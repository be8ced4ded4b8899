// The `check` question: is there a run of at most K actions that breaks the invariant?
#pragma once

#include <atomic>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "model/model.hpp"
#include "queries/trace.hpp"
#include "solver/engine.hpp"

namespace mw {

struct CheckRequest {
  Instance inst;  // q1/q2 before mutations
  int depth = 10;
  std::string invariant;  // "": the model's first invariant
  std::vector<std::string> mutations;
  double timeoutSeconds = 0;
  // "auto": induction when the model carries an inductive invariant, then breadth-first search
  // with a state cap, then BMC; "bmc" (Z3) or "explicit" (breadth-first over concrete states) alone.
  std::string engine = "auto";
  bool prove = false;  // check the model's inductive invariant first (and say how it fails)
  long maxStates = 50'000'000;  // explicit engine only
  bool symmetry = true;         // explicit engine: reduce by acceptor/value symmetry where sound
  bool dropSpent = true;        // explicit engine: store states without spent messages (model/compiled.hpp)
  double memoryMB = 0;          // 0: no limit
  bool restarts = false;        // --faults restart: a process may restart and lose its volatile state (model/faults.hpp)
  // auto: seconds before the race's Z3 side starts. `sweep` and `mutants` set 2: the
  // search answers most of their many small checks within that, and starting Z3 for each cost
  // more than it saved (sweep --n 2..9 --ballots 2: 23.7 s without the wait, 21.9 s with it).
  double z3DelaySeconds = 0;
  const std::atomic<bool>* stop = nullptr;      // set by a signal handler: stop, verdict unknown
  std::function<void(const std::string&)> progress;  // one line, about once a second
  // `mutants`: the protocol's own inductive invariant is proved at this instance, and the model
  // checked differs from it only in these actions, so the proof asks only their step queries
  // (empty: the whole proof).
  std::optional<std::vector<int>> changedActions;
};

// What the induction try found, as the printers show it (plain data, no engine type).
struct InductionOutcome {
  Verdict verdict = Verdict::Unknown;
  std::string failedStep, conjunct, reason;  // see InductionResult (solver/induction.hpp)
  std::optional<State> before, after;
  std::optional<Ground> action;
  std::vector<int> quorum;
  double seconds = 0;
};

struct CheckResult {
  Model model;  // the (mutated) model that was checked
  std::optional<Model> original;  // the protocol before its mutations (lessons compare with it)
  Instance inst;
  CheckRequest request;
  Verdict verdict = Verdict::Unknown;
  int depthChecked = -1;
  int length = -1;
  std::string reason;
  double seconds = 0;
  bool exhausted = false;  // holds for every run (states exhausted, threshold reached, or induction)
  std::string answeredBy;  // "induction", "explicit", "explicit, best-first", "parallel", "parallel + explicit", "bmc", ...
  bool shortest = true;    // violated: no shorter violating run (false when a limit stopped the minimising)
  int threshold = -1;      // completeness threshold of the instance, if known
  int stepThreshold = -1;  // completeness threshold in parallel steps, if known
  std::optional<InductionOutcome> induction;
  long states = 0;         // explicit engine: distinct states explored
  std::string symmetry;    // explicit engine: what symmetry reduction was used ("" if none)
  bool spentDropped = false;  // explicit engine: spent messages were left out of its states
  std::optional<Trace> trace;  // violated: replayed on the interpreter
  std::string violation;       // violated: what the last state breaks, in words
  std::string why;             // violated: why it breaks (queries/lessons.hpp); the violation if nothing more is known
};

// --memory MB for the whole process (solver/memory.hpp): once, before any check starts; past
// the limit *stop is set and every check stopped by it says "memory limit".
void limitProcessMemory(double mb, std::atomic<bool>* stop);
// For the executable: Z3 contexts are deleted on a background thread (encoder/encode.hpp), and
// at its end whether one still is (then it ends with _Exit).
void deleteZ3ContextsLater();
bool z3ContextsDeleted();
// Why a run was stopped before its end: "memory limit" or "interrupted" (Ctrl-C, SIGTERM).
std::string stopReason();

// The engines --engine takes, for help and errors: "auto, parallel (...), ... or explicit (...)".
std::string engineChoices();
bool knownEngine(const std::string& name);

// The model as this request checks it at its instance: every `forall` update expanded
// (model/instantiate.hpp), and the Restart fault action under --faults restart.
Model instanceModel(Model m, const CheckRequest& req);

// Throws std::invalid_argument for an unknown mutation or invariant, ReplayError when the
// solver's counterexample does not replay.
CheckResult runCheck(const Model& protocol, const CheckRequest& req);
// The same for a model that is already mutated (req.mutations is then ignored).
CheckResult checkModel(Model model, const CheckRequest& req);

}  // namespace mw
