// Counterexamples as evidence: decoding a satisfying model into steps, and replaying those
// steps on the concrete interpreter with no solver involved.
#pragma once

#include <cstdint>
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
  std::vector<uint32_t> quorumMasks;  // per quorum id, the masks the replay enabled it with
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

// Who acts on what, for the pictures. A message sent at step i is read by a later step j when
// step j, with the quorum it used, is not enabled in the state before it with that message
// taken away. readers[i][k]: the steps (0-based) that read message k of step i.
std::vector<std::vector<std::vector<int>>> messageReaders(const Interp& in, const Trace& t);

// What the violation rests on: a smallest-by-removal set of the last state's messages and
// changed cells. Every message not in `messages` and every changed cell not in `cells` can be
// taken away (a cell back to its initial value) and the invariant still fails; each one kept
// is needed for that, given the others. By (step, index) into that step's `sent` / `changes`.
struct Witness {
  std::vector<std::pair<int, int>> messages, cells;
};
Witness violationWitness(const Interp& in, const Trace& t, const Expr& invariant);

// Readable steps: "1b(acc=a1, bal=0, mbal=-1, mval=none)", "maxBal[a1]: -1 -> 0", and one
// whole step: action, messages sent, quorum used, state changes.
std::string showMessage(const Model& m, const Message& msg);
std::string showChange(const Model& m, const Change& c);
std::string stepLine(const Model& m, const TraceStep& s);

}  // namespace mw
