// One interface for every engine: "is there a run of at most `depth` actions that breaks the
// invariant?", asked as an EngineQuery and answered as an Outcome.
//
// The five engines differ in how they search (SAT over unrolled steps, SAT over parallel steps,
// SAT over event orders, a C++ state search, an inductive invariant), not in what they answer:
// a verdict, how far it reaches, and for a violation the run as the engine saw it (a RawTrace,
// which queries/trace.hpp replays on the interpreter before anything is shown). Each engine is
// one class made by makeEngine(name); the portfolio race (queries/race.hpp) runs several of them
// on one query, with the tuning of each given to its constructor.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "model/interp.hpp"
#include "solver/bmc.hpp"
#include "solver/induction.hpp"

namespace mw {

// An engine's violating run, read back: what fired at each step, which quorum, and the states.
struct RawTrace {
  std::vector<Ground> actions;
  std::vector<std::vector<uint32_t>> quorums;  // per step, per quorum id (kFree: unused)
  std::vector<State> states;                   // states[0] initial, states[i] after step i
  std::vector<char> stateKnown;                // if not empty: which states[i] the solver gave
};

// Raised when an engine's run does not read back or does not replay: always an engine bug.
struct ReplayError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct EngineQuery {
  const Model* model = nullptr;
  Instance inst;
  std::string invariant;            // its name in the model
  const Expr* holds = nullptr;      // its formula
  int depth = 10;                   // look for violations of at most this many actions
  double timeoutSeconds = 0;        // 0: none
  long maxStates = 50'000'000;      // state searches
  bool symmetry = true;             // reduce by process and value symmetry where sound
  bool dropSpent = true;            // state searches: leave spent messages out of states
  int threshold = -1;               // completeness threshold in actions (-1: unknown)
  int stepThreshold = -1;           // the same in parallel steps
  const std::atomic<bool>* stop = nullptr;           // Ctrl-C, the memory limit, or the race
  std::function<void(const std::string&)> progress;  // one line, about once a second
  // In a race: one less than the shortest violation any engine found so far. An engine lowers
  // it when it finds one and, where it can, stops looking at lengths above it.
  std::atomic<int>* target = nullptr;
  // The induction engine: ask the step query for these actions only (see proveByInduction).
  const std::vector<int>* inductionOnly = nullptr;
};

struct Outcome {
  Verdict verdict = Verdict::Unknown;
  int depthChecked = -1;   // no violation of at most this many actions
  int length = -1;         // violated: actions of the run
  bool shortest = true;    // violated: no shorter violating run (false when a limit stopped it)
  bool exhausted = false;  // holds for every run (states exhausted, threshold reached, induction)
  std::string reason;      // unknown, or violated but not shortest: which limit
  double seconds = 0;
  std::string engine;      // which engine answered, as `check` reports it
  long states = 0;         // state searches: distinct states stored
  std::string symmetry;    // state searches: the symmetry used, by the file's sort names ("" if none)
  bool spentDropped = false;  // state searches: spent messages were left out of states
  int initialBound = -1;   // best-first: the lower bound of the initial state
  std::optional<RawTrace> trace;              // violated
  std::optional<InductionResult> induction;   // the induction engine's account
};

class Engine {
 public:
  virtual ~Engine() = default;
  virtual Outcome check(const EngineQuery& q) = 0;
};

// The engines `check --engine` offers by name, besides "auto" (the race), each with what it
// does in a few words. One list, used by the CLI's help and errors and by makeEngine.
struct EngineName {
  const char* name;
  const char* what;
};
const std::vector<EngineName>& engineNames();
// Throws std::invalid_argument for a name not in engineNames().
std::unique_ptr<Engine> makeEngine(const std::string& name);

// The engines with their tuning, for the race and for tests.
struct ExplicitTuning {
  bool bestFirst = false;         // A* bounded by the query's depth and target (solver/explicit.hpp)
  long stateCap = 0;              // > 0: at most this many states, whatever the query allows
  double yieldAfterSeconds = 0;   // see ExplicitOptions
};
std::unique_ptr<Engine> explicitEngine(ExplicitTuning t);
struct ParallelTuning {
  bool proveShortest = true;      // see ParallelOptions
  double minimiseSeconds = 1e9;
  bool stopAtStepThreshold = true;  // add no step above the query's stepThreshold
};
std::unique_ptr<Engine> parallelEngine(ParallelTuning t);
// twoThreadsAfter: seconds after which each split query runs its halves side by side.
std::unique_ptr<Engine> eventsEngine(double twoThreadsAfter);

// Lowers a shared target to one less than `actions`, unless it is already lower.
void lowerTarget(std::atomic<int>& target, int actions);

}  // namespace mw
