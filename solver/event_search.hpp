// The event-order query (solver/events.hpp) driven to a shortest violation: the search that
// `check --engine events` runs alone and `auto` races against best-first search.
#pragma once

#include <atomic>
#include <functional>
#include <string>
#include <vector>

#include "model/interp.hpp"
#include "solver/engine.hpp"

namespace mw {

struct EventSearch {
  std::vector<Ground> path;  // the shortest violation it found
  int covered = -1;          // no violation within this many actions
  std::string reason;        // why it stopped before covering one action less than the shortest
};

// A violating run with every action dropped that the violation does not need: each action in
// turn is left out, and the rest kept if it is still a run that breaks inv (cut after the first
// state that breaks it), until none can go. Every candidate is replayed on the interpreter.
std::vector<Ground> dropUnneeded(const Interp& interp, const Expr& inv, std::vector<Ground> path);

// Seconds after which the race in `check` lets the event query have both cores.
inline constexpr double kTwoThreadsAfter = 2.0;

// First any violation within `depth` (unless one is known), then one action less than the
// shortest known until the answer is no; each run found is cut with dropUnneeded. `found` is
// shared with the other engines; `say` gets one line per answer. From `twoThreadsAfter`
// seconds on, each query split in halves runs them on two threads (`--engine events`: from the
// start; the race: once best-first search yields).
EventSearch searchByEvents(const Interp& interp, const Expr& inv, int depth, std::atomic<int>& found,
                           const std::atomic<bool>* stop, bool symmetry, const std::function<double()>& secondsLeft,
                           const std::function<void(const std::string&)>& say, double twoThreadsAfter = 0);

}  // namespace mw
