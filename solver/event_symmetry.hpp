// Symmetry breaking for the event-order query (solver/events.hpp): constraints that keep, of
// the runs that differ only in the names of acceptors or of values, at least one. The
// arguments that both can hold at once are in docs/events.md.
#pragma once

#include <z3++.h>

#include <utility>
#include <vector>

#include "model/model.hpp"

namespace mw {

// One acceptor's slot: active, and per action it may take (its position among the acceptor's
// ground actions) whether it is the one taken.
struct SlotVars {
  z3::expr active;
  std::vector<std::pair<int, z3::expr>> choice;
};

// Whether acceptor o's i-th ground action is acceptor 0's i-th with o and 0 swapped, for all o:
// then positions compare across acceptors.
bool sameShape(const Model& m, const std::vector<Ground>& grounds, const std::vector<std::vector<int>>& local);

// Acceptors in descending order of (number of active slots, then the positions of the actions
// they take, slot by slot). slots[o] are acceptor o's slots, active ones first.
void orderProcesses(z3::context& ctx, const std::vector<std::vector<SlotVars>>& slots, int actions, std::vector<z3::expr>& out);

// Of a run and its image under swapping values v and v + 1, the one whose events without
// acceptor parameters fire lexicographically first, in ground order (in Paxos: the lowest
// ballot's proposal is the smaller value). events: (ground action, fires).
void orderValues(z3::context& ctx, const Model& m, const Instance& in, const std::vector<Ground>& grounds,
                 const std::vector<std::pair<int, z3::expr>>& events, std::vector<z3::expr>& out);

}  // namespace mw
