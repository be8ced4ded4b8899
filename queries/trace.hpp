// Counterexamples as evidence: decoding a satisfying model into steps, and replaying those
// steps on the concrete interpreter with no solver involved.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include "model/interp.hpp"
#include "solver/engine.hpp"

namespace mw {

struct Message {
  int rel = 0;
  std::vector<int> fields;
};

struct Change {
  int func = 0;
  std::vector<int> args;
  int before = 0, after = 0;
};

struct TraceStep {
  Ground action;
  std::vector<int> quorum;     // acceptors of the quorum the action used; empty if none
  bool usedQuorum = false;
  std::vector<Message> sent;   // messages new in this step
  std::vector<Change> changes; // function cells that changed
  State after;
};

struct Trace {
  State init;
  std::vector<TraceStep> steps;
};


// Replays raw on the interpreter: every action enabled with the solver's quorum, every state
// equal to the solver's, and the invariant false at the end (when `mustViolate`).
Trace replay(const Interp& in, const RawTrace& raw, const Expr& invariant, bool mustViolate = true);

// Readable steps: "1b(acc=a1, bal=0, mbal=-1, mval=none)", "maxBal[a1]: -1 -> 0", and one
// whole step: action, messages sent, quorum used, state changes.
std::string showMessage(const Model& m, const Message& msg);
std::string showChange(const Model& m, const Change& c);
std::string stepLine(const Model& m, const TraceStep& s);

}  // namespace mw
