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
// With a delay (many checks in one run), a protocol of more than kManyGrounds ground actions gets
// no parallel-BMC side: Z3 4.8 takes minutes to free such a context (Raft's default instance:
// about 250 s after a 60 s check), which would hold up the next check or a core.
constexpr size_t kManyGrounds = 5000;
Outcome race(const EngineQuery& q, double z3DelaySeconds);

}  // namespace mw
