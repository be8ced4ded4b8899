// Breadth-first search over concrete states of the model, with the interpreter that replays
// traces. It shares nothing with the SMT path but the model, which is what makes it a useful
// second opinion, and when the frontier empties it has seen every reachable state: the
// invariant then holds for every run, not just to a depth. Given a bound, it searches
// best-first instead (see ExplicitOptions::bound).
//
// States are bit-packed (a few machine words each) into one arena with an open-addressing hash
// set of indices. Symmetry reduction stores one representative per orbit under permutations of
// acceptors and of values (the lexicographically least packing), when the model and the
// invariant never single out a particular acceptor or value.
#pragma once

#include <atomic>
#include <functional>
#include <string>
#include <vector>

#include "model/interp.hpp"
#include "solver/bmc.hpp"

namespace mw {

struct ExplicitOptions {
  int maxDepth = 1000000;
  long maxStates = 50'000'000;
  double timeoutSeconds = 0;  // 0: no limit
  bool symmetry = true;       // used only where the model allows it
  // Store states without their spent messages (model/compiled.hpp: messages no action can read
  // again and the invariant does not read). The runs are the same, action for action.
  bool dropSpent = true;
  // If >= 0: look only for violations within this many actions, best-first (A*): states are
  // expanded in order of depth + the lower bound of solver/distance.hpp, deepest first among
  // equals, and one that cannot break the invariant within the bound is not expanded. A
  // violation is returned once no state with a smaller sum is left, so it is a shortest one;
  // with a lower bound close to the shortest length this dives to a violation instead of
  // sweeping every interleaving of the shortest runs level by level.
  int bound = -1;
  // With a bound: a bound that may drop while the search runs (another engine found a
  // violation of that many actions + 1); the result then covers the bound it last read.
  const std::atomic<int>* liveBound = nullptr;
  const std::atomic<bool>* stop = nullptr;
  std::function<void(int depth, long states, double seconds)> onProgress;  // about once a second
  // After this many seconds (0: never) the thread running the search lowers its own priority
  // (nice 10, Linux): from then on it runs on what CPU time other threads leave. The race in
  // `check` runs it on a thread of its own, which ends with the search.
  double yieldAfterSeconds = 0;
  // With a bound: called with the length of each violation met that is shorter than the last.
  std::function<void(int length)> onViolation;
};

struct ExplicitResult {
  Verdict verdict = Verdict::Unknown;
  int depthChecked = -1;     // every run of at most this many actions was explored
  int length = -1;           // violated: shortest violating run
  bool exhausted = false;    // holds: every reachable state was explored (for every run)
  long states = 0;           // distinct states stored (orbits, with symmetry)
  bool symmetryProcesses = false, symmetryValues = false;
  bool spentDropped = false;  // some message of the model can be spent, and spent ones were dropped
  std::string reason;        // unknown: which limit
  std::vector<Ground> path;  // violated: the actions of a shortest violating run
  int initialBound = -1;     // bounded: the lower bound of the initial state
  bool shortest = true;      // violated, bounded only: false when a limit stopped the
                             // search before shorter runs were ruled out (reason says which)
};

// Which sorts the model and invariant treat symmetrically (no constant names one element).
struct Symmetry {
  bool processes = false, values = false;
};
Symmetry symmetryOf(const Model& m, const Expr& invariant);

ExplicitResult exploreBreadthFirst(const Model& m, const Instance& in, const std::string& invariant,
                                   const ExplicitOptions& opts);

}  // namespace mw
