// "Is there a run of at most K actions that breaks the invariant?", asked as one Z3 query over
// the run's events and their order instead of over K copies of the state.
//
// BMC unrolls K steps, each a copy of every state cell and a choice among every action: at
// n = 7 and K = 26 that is far beyond what Z3 refutes in minutes. But a run of Paxos is a few
// dozen events, each reading a handful of cells, and the only thing that ties them together is
// their order. So each possible event gets a firing Boolean and a time in [0, K):
//  - an action that writes no function cell and sends fixed messages (Phase1a, Phase2a) is one
//    event: firing it twice sends nothing new, and a shortest run fires nothing in vain;
//  - an action that writes function cells writes those of one acceptor only (its owner), and
//    the owner's actions form a sequence of slots with rising times, each slot one of them,
//    its state the previous slot's state after that action;
//  - an event sees a message when some sender of that message fired at an earlier time;
//  - two events that may depend on each other (solver/footprint.hpp) get different times;
//    events with equal times are independent, so any order of them is the same run.
// The budget "at most K events fire" is one cardinality constraint. Unsatisfiable: no run of
// at most K actions breaks the invariant; satisfiable: the events sorted by time are a run,
// replayed on the interpreter like every other engine's.
//
// With acceptor symmetry the owners are ordered by how many slots they use, so owner i uses
// at most K / (i + 1) of them. Models whose actions read or write another acceptor's cells,
// or send messages that depend on the state without writing any, are outside this encoding
// (eventsApplicable() says why).
#pragma once

#include <atomic>
#include <string>
#include <vector>

#include "model/model.hpp"
#include "solver/bmc.hpp"

namespace mw {

struct EventsOptions {
  double timeoutSeconds = 0;  // 0: no limit
  const std::atomic<bool>* stop = nullptr;
  bool symmetry = true;
  // Quick: a smaller query. With acceptor symmetry, only the runs in which every acceptor takes
  // at most C actions (C as in docs/events.md; B + B*V - 2 in Paxos); otherwise each acceptor
  // gets only as many slots as it has actions. A run found is still a run; a "no" covers only
  // those runs, so it comes back as unknown (with fewRuledOut set in the first case).
  bool quick = false;
  // A quick query for this budget came back with fewRuledOut: the full query searches only the
  // runs it left out, and its "no" then covers every run.
  bool fewRuledOut = false;
  // 2: a query split in two halves (docs/events.md) runs them side by side, each on its own
  // thread, and comes back with the full answer even when quick is set.
  int threads = 1;
  unsigned seed = 0;  // Z3's random seed (the SAT solver's choices among equals)
  // Let Z3's SAT solver eliminate variables and blocked clauses as it would in a solver used
  // once (sat.override_incremental; each query's solver is checked once, so this is safe).
  // Measured in docs/events.md ("Variable elimination"): "no" answers about 30 to 40% faster
  // on average over seeds, first finds slower.
  bool eliminate = true;
};

struct EventsResult {
  Verdict verdict = Verdict::Unknown;  // Holds: no violation within the budget
  std::string reason;                  // unknown: which limit, or why the encoding does not apply
  std::vector<Ground> path;            // violated: the events in time order
  bool fewRuledOut = false;            // quick: no run with at most C actions per acceptor
};

// Empty if the encoding applies to this model, else the reason.
std::string eventsApplicable(const Model& m, const Instance& in);

EventsResult violationWithin(const Model& m, const Instance& in, const Expr& invariant, int budget,
                             const EventsOptions& opts);

}  // namespace mw
