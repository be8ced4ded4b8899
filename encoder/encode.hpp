// The model at fixed bounds as Z3 terms: the state at step i, the initial state, one step.
//
// Every action is grounded (one instance per parameter tuple), so every state cell a guard
// reads is a known Boolean or small bit-vector and Z3 sees a propositional problem with
// cardinality constraints. Expressions are partially evaluated while they are built: the
// initial state is constant, so early guards fold to true/false and dead instances disappear.
//
// One step fires exactly one ground action (the step semantics of Paxos.tla), so the depth at
// which a violation first becomes satisfiable is the length of the shortest violating run.
// A cell that no enabled action writes is carried over as the same term (the frame axiom for
// free); a written cell gets a fresh variable defined by "new value if its writer fired, else
// old value".
#pragma once

#include <z3++.h>

#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "model/interp.hpp"
#include "model/model.hpp"

namespace mw {

// A solver for this project's queries: Z3's QF_FD solver, which must not install its own
// SIGINT handler (it would swallow Ctrl-C; madewrong's handler stops runs cleanly instead).
// logic = nullptr: Z3's default solver.
z3::solver makeSolver(z3::context& ctx, const char* logic = "QF_FD");

// A value while encoding: a known integer/Boolean, or a Z3 term (Bool, or a bit-vector holding
// the integer plus one so that `none` = -1 is 0 and unsigned comparisons work).
// A Z3 context that is never null. Past its memory limit (--memory) Z3 makes no context and
// returns null, and z3::context would crash on it; this throws z3::exception("out of memory").
// Where a gate is set (solver/memory.hpp sets one under --memory), `before` runs first and may
// refuse by throwing; `after` runs once Z3 is done, whether it made the context or not.
class Z3Context {
 public:
  Z3Context();
  ~Z3Context();
  Z3Context(const Z3Context&) = delete;
  Z3Context& operator=(const Z3Context&) = delete;
  z3::context& operator()() { return scoped_(); }

 private:
  static Z3_context make();
  Z3_context raw_;
  z3::scoped_context scoped_;  // a z3::context over raw_ that does not delete it
};
void gateZ3Contexts(void (*before)(), void (*after)());
// Z3 4.8's Z3_del_context can take tens of seconds on a large context (its table of terms is
// emptied by a scan that restarts at the front after each removal): Raft's parallel BMC at depth
// 6 spends 12 s solving and 40 s deleting. With this set (the executable sets it; the test
// binary does not), a context is deleted on a background thread instead, so an answer, a time
// limit or Ctrl-C is not held up by it. Not under a memory limit (--memory), and not when two
// deletions are already waiting: then in place, as before.
void deleteZ3ContextsInBackground();
// For the executable's exit: true when no deletion is pending or under way (a normal exit is
// safe); otherwise the process must end with _Exit (Z3's globals go with exit()'s destructors
// while the background thread still uses them), and the memory goes back with the process.
bool z3ContextsIdle();

struct Sym {
  std::optional<z3::expr> e;
  int c = 0;
  bool known() const { return !e.has_value(); }
};

// The same value: equal constants, or one hash-consed Z3 term.
inline bool sameSym(const Sym& a, const Sym& b) {
  if (a.known() || b.known()) return a.known() && b.known() && a.c == b.c;
  return z3::eq(*a.e, *b.e);
}

struct SymState {
  std::vector<Sym> f, r;
};

struct SymStep {
  std::vector<int> candidates;               // indices into the ground actions that may fire
  std::vector<z3::expr> fire;                // one per candidate
  std::vector<std::vector<z3::expr>> quorum; // per quorum id: one Boolean per acceptor (or empty)
  // Parallel steps only: per candidate, per quorum id, its own quorum choice.
  std::vector<std::vector<std::vector<z3::expr>>> quorumOf;
  SymState next;
  std::vector<z3::expr> constraints;
};

// A count somewhere in the encoding: when `holds` is true, at least `atLeast` acceptors x have
// each sent one of the messages cells[x] (message cells). From an "at least k acceptors" or a
// quorum whose every member's condition needs one of those messages sent. The event query
// (solver/events.cpp) turns these into implied counts of the actions that send them.
struct CountSite {
  z3::expr holds;
  int atLeast;
  std::vector<std::vector<int>> cells;  // per acceptor
  std::vector<z3::expr> members;        // per acceptor: it is counted
};

// One ground action's guard and the state it leads to, for comparing two models' transitions.
struct GroundEffect {
  Sym guard;
  SymState next;
  std::vector<std::pair<int, Sym>> sends;  // message cell, condition that this firing sends it
};

// Thrown by step() and stepParallel() when the giveUp test set on the encoder says so: building one
// step of a large protocol takes minutes (Raft's default instance: some 15,750 ground actions, and
// pairs of them in a parallel step), longer than a time limit or a Ctrl-C should wait.
struct EncodingStopped : std::runtime_error {
  EncodingStopped() : std::runtime_error("the encoding was stopped") {}
};

class Encoder {
 public:
  Encoder(const Model& m, const Instance& in, z3::context& ctx);
  // Looked at every few hundred ground actions (and pairs) while a step is built; true: throw
  // EncodingStopped.
  void setGiveUp(std::function<bool()> f) { giveUp_ = std::move(f); }
  const Layout& layout() const { return layout_; }
  const std::vector<Ground>& grounds() const { return grounds_; }
  z3::context& ctx() { return ctx_; }
  SymState init() const;
  SymStep step(const SymState& cur, int i);
  // A parallel step: any nonempty set of pairwise independent enabled actions (deps[k] lists
  // the ground actions k depends on) fires at once; every guard and update reads cur.
  SymStep stepParallel(const SymState& cur, int i, const std::vector<std::vector<char>>& dep);
  // The Boolean term "inv holds in s" (or a known truth value).
  Sym holds(const SymState& s, const Expr& inv);
  // Inv split at top-level conjunctions and universal quantifiers into ground instances (their
  // conjunction is holds(s, inv)). A leaf is one instance: an expression under the values that
  // the universal quantifiers around it took. Terms are hash-consed by Z3, so an instance that
  // reads no changed cell is the same term in two states that share cells.
  struct Leaf {
    const Expr* e;
    int vars[16];
    bool bound[16];
  };
  static std::vector<Leaf> leaves(const Expr& inv, const Instance& in);
  Sym instance(const SymState& s, const Leaf& leaf);
  // A state of fresh variables (prefix names them), with range constraints added to `ranges`.
  SymState freshState(const std::string& prefix, std::vector<z3::expr>& ranges) const;
  // Ground action k on cur; quorum choices are the variables of step i in st (so two encoders
  // of the same context given the same i share them).
  GroundEffect effect(const SymState& cur, int k, SymStep& st, int i);
  z3::expr differs(const SymState& a, const SymState& b) const;
  z3::expr boolOf(const Sym& s) const { return boolean(s); }
  z3::expr bvOf(const Sym& s) const { return bv(s); }
  // Record a CountSite for every count over acceptors built from now on.
  void recordCounts() { record_ = true; }
  const std::vector<CountSite>& countSites() const { return sites_; }
  // Reading a model back.
  int valueOf(const z3::model& m, const Sym& s) const;
  State stateOf(const z3::model& m, const SymState& s) const;

 private:
  std::function<bool()> giveUp_;
  void checkGiveUp(size_t k) const {
    if (k % 256 == 0 && giveUp_ && giveUp_()) throw EncodingStopped();
  }
  struct Env {
    const SymState* s;
    int vars[16];
    SymStep* step;
    int index;
    int sub = -1;  // parallel steps: the ground action owning the quorum choices
  };
  Sym eval(const Expr& e, Env& env);
  Sym num(int v) const { return Sym{std::nullopt, v}; }
  Sym term(z3::expr e) const { return Sym{std::move(e), 0}; }
  z3::expr bv(const Sym& s) const;
  z3::expr boolean(const Sym& s) const;
  Sym mkNot(const Sym& a) const;
  Sym mkAnd(const std::vector<Sym>& xs) const;
  Sym mkOr(const std::vector<Sym>& xs) const;
  Sym mkCmp(Op op, const Sym& l, const Sym& r) const;
  Sym mkAtLeast(const std::vector<Sym>& xs, int k) const;
  Sym argsEqual(const std::vector<Sym>& args, const std::vector<int>& vals) const;
  std::vector<Sym> evalAll(const std::vector<Expr>& es, Env& env);
  // Whether e being true needs one of a set of messages sent, as far as a walk over e sees; if
  // so, adds that set to out. Under quorum qid, InQuorum(member) is taken as true.
  bool needsOneOf(const Expr& e, Env& env, int qid, int member, std::vector<int>& out);
  // The CountSite of a count over acceptors (quorum qid, or -1 for "at least k") if every
  // member's condition needs a message.
  void recordCount(const Sym& holds, int k, const Expr& body, int slot, Env& env, int qid, const std::vector<Sym>& members);
  // Every cell an action's updates write: (is a function cell, cell, condition, value).
  // One step: every ground action that may fire on cur gets a fire variable, its guard and
  // its writes (parallel: its own quorum choices too); `which` adds the constraints on which
  // of them fire together; then the new state.
  SymStep build(const SymState& cur, int i, bool parallel, const std::function<void(SymStep&)>& which);
  // The new state of a step from everything that may write each cell.
  void finishStep(SymStep& st, const SymState& cur, int i, const char* prefix,
                  const std::vector<std::vector<std::pair<z3::expr, Sym>>>& writes,
                  const std::vector<std::vector<Sym>>& sends);
  void forEachWrite(const Action& act, Env& env, const Sym& fired,
                    const std::function<void(bool, int, const Sym&, const Sym&)>& f);

  const Model& model_;
  Instance inst_;
  Layout layout_;
  z3::context& ctx_;
  std::vector<Ground> grounds_;
  unsigned width_;
  bool record_ = false;
  std::vector<CountSite> sites_;
};

}  // namespace mw
