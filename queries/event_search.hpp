// The event-order query (solver/events.hpp) driven to a shortest violation: the search that
// `check --engine events` runs alone and `auto` races against best-first search.
#pragma once

#include <atomic>
#include <functional>
#include <string>
#include <vector>

#include "encoder/interp.hpp"

namespace mw {

struct EventSearch {
  std::vector<Ground> path;  // the shortest violation it found
  int covered = -1;          // no violation within this many actions
  std::string reason;        // why it stopped before covering one action less than the shortest
};

// Lowers a shared target to one less than `actions` (the shortest violation any engine found
// so far), unless it is already lower.
void lowerTarget(std::atomic<int>& found, int actions);

// First any violation within `depth` (unless one is known), then bisection between the lower
// bound of the initial state (solver/distance.hpp) and the shortest known. `found` is shared
// with the other engines; `say` gets one line per answer.
EventSearch searchByEvents(const Interp& interp, const Expr& inv, int depth, std::atomic<int>& found,
                           const std::atomic<bool>* stop, bool symmetry, const std::function<double()>& secondsLeft,
                           const std::function<void(const std::string&)>& say);

}  // namespace mw
