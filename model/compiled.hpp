// Guards, updates and invariants with the parameters of each ground action fixed and the
// quantifiers unrolled: small trees whose leaves are state cells. This is the explicit engine's
// fast path; the plain interpreter (interp.hpp) stays the reference that replays every trace,
// and the tests check that both agree.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <vector>

#include "model/interp.hpp"

namespace mw {

class Compiled {
 public:
  // actions: compile only the grounds of these actions (by index, in increasing order); the
  // others keep their place in grounds() but are never enabled. nullptr: all.
  Compiled(const Model& m, const Instance& in, const std::vector<int>* actions = nullptr);
  const std::vector<Ground>& grounds() const { return grounds_; }
  // Is ground action k enabled in s?
  bool enabled(const State& s, int k) const;
  // The ground actions that may be enabled in s, in increasing order: every ground whose guard
  // reads no fixed message as a conjunct, and those whose message s has sent. A superset of the
  // enabled ones (each still needs enabled()), and much smaller where most actions answer a
  // message (Raft at n = 3: some 9,500 grounds, a few hundred candidates).
  void candidates(const State& s, std::vector<int>& out) const;
  // out = the successor of s under ground action k (out must have s's shape).
  void apply(const State& s, int k, State& out) const;
  // What ground action k writes in s, without making the successor: (cell, value) for a function
  // cell, (-1 - cell, 1) for a message cell, in update order (a later write to a cell wins).
  void writes(const State& s, int k, std::vector<std::pair<int, int>>& out) const;
  bool holds(const State& s, int invariant) const;  // invariant index in the model
  // Whether ground action k writes anything the invariant reads (if not, it cannot break it).
  bool touches(int k, int invariant) const { return touches_[invariant][grounds_[k].action]; }

  // Spent messages. A sent message is spent when no ground action can ever read it again: every
  // ground whose guard could read it has a guard conjunct that is false now and stays false, or
  // reads it through a message pattern whose field can no longer match it. "Stays false" comes
  // from monotone state: a function whose every update provably never lowers a cell (an update
  // `f[x] := t` under a guard conjunct `t > f[x]` or `t >= f[x]`, or one that leaves the cell as
  // it is), compared with a constant (`t >= currentTerm[f]` is false for good once currentTerm[f]
  // has passed t). Only messages that every guard reads positively (more messages never make a
  // guard false), that no update reads, and that the invariant does not read can be spent.
  // Dropping a spent message from a state changes no guard's value in it or after it, and not
  // the invariant, so the runs from the state and from the state without it are the same runs,
  // action for action: a search may store states without their spent messages.
  // After prepareSpent(invariant), apply() leaves spent messages out of the states it makes.
  // spentCells() is how many message cells can ever be spent (0: nothing is dropped).
  void prepareSpent(int invariant);
  int spentCells() const { return spentCount_; }
  // Which state functions were proved monotone (never lowered), by index in the model.
  const std::vector<char>& monotone() const { return monotone_; }

 private:
  enum class K : uint8_t { Const, FuncCell, FuncDyn, RelCell, RelDyn, Cmp, And, Or, Not, InQ, InQDyn, Quorum, AtLeast, Covers, Ite };
  struct Node {
    K k = K::Const;
    Op op = Op::Eq;
    int val = 0;             // Const value, cell index, function/relation index, quorum need
    std::vector<int> kids;
    std::vector<int> member; // Quorum: per acceptor, a condition every member must satisfy (or -1)
    std::vector<uint32_t> sets;  // Quorum/Covers with an explicit quorum system
  };
  struct Upd {
    bool assign = true;
    int ref = 0;
    std::vector<int> args;  // int nodes
    int value = -1;         // int node (assign)
  };
  struct Env {
    int vars[16];
  };
  int compile(const Expr& e, Env& env, int quorumDepth);
  int add(Node n);
  int eval(int node, const State& s, uint32_t& mask) const;
  int cellOf(bool func, int ref, const std::vector<int>& argNodes, const State& s, uint32_t& mask) const;

  const Model& model_;
  Instance inst_;
  Layout layout_;
  std::vector<Ground> grounds_;
  std::vector<Node> nodes_;
  std::vector<int> guard_;                 // per ground
  std::vector<int> always_;                // grounds with no message conjunct, in order
  std::vector<std::vector<int>> byMessage_;  // message cell -> grounds with `sent` of it as a conjunct
  std::vector<std::vector<Upd>> updates_;  // per ground
  std::vector<int> invariants_;
  std::vector<std::vector<char>> touches_;  // [invariant][action]

  // Spent messages (prepareSpent). A kill is "function cell >= threshold"; a message cell is
  // spent when each of its readers has one of its kills true. Readers with equal kill lists
  // are kept once.
  struct Kill {
    int cell, threshold;
    auto operator<=>(const Kill&) const = default;
  };
  // f(cell) for each sent message cell of s, in increasing order; most cells are unsent, so
  // they are read eight at a time.
  template <class F>
  static void forEachSent(const State& s, F&& f) {
    const size_t R = s.r.size();
    for (size_t c = 0; c < R; c += 8) {
      uint64_t chunk = 0;
      std::memcpy(&chunk, &s.r[c], std::min<size_t>(8, R - c));
      if (chunk)
        for (size_t j = c; j < std::min(c + 8, R); ++j)
          if (s.r[j]) f(static_cast<int>(j));
    }
  }
  bool spent(int msg, const State& s) const;
  // Clears the spent messages of s: those just sent, and every one if a watched cell went up.
  void dropSpent(const int* sent, int nSent, bool raised, State& s) const;
  void killsOf(int node, std::vector<Kill>& out) const;
  bool nonDecreasing(int cell, int value, const std::vector<Kill>& bounds) const;
  std::vector<char> monotone_;                           // per model function
  std::vector<std::vector<std::vector<Kill>>> readers_;  // per message cell (empty: never spent)
  std::vector<char> watched_;                            // per function cell: some kill reads it
  std::vector<char> spendable_;                          // per message cell: may ever be spent
  int spentCount_ = 0;
};

}  // namespace mw
