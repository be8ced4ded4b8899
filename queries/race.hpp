// The portfolio race of `check --engine auto`: a state search against a Z3 engine, on two
// threads, each bounding the other by what it finds.
//
// First breadth-first search with a state cap: on an instance small enough to run out of
// states it answers alone ("holds for every run", or a shortest violation). Else best-first
// search (A*) by depth + lower bound, bounded by the depth asked, races the event-order query
// (solver/events.hpp), or parallel BMC where that encoding does not apply. Every violation
// either side finds (A actions) lowers the other's target to A - 1: A* then needs to cover fewer
// states, and the event query asks "a violation within A - 1 actions?", whose "no" proves A
// shortest. The answer names which side gave it.
#pragma once

#include "solver/engine.hpp"

namespace mw {

// z3DelaySeconds: seconds before the Z3 side starts (sweep and mutants: most of their many small
// checks the state search answers within that, and starting Z3 for each cost more than it saved).
Outcome race(const EngineQuery& q, double z3DelaySeconds);

}  // namespace mw
