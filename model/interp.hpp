// The concrete interpreter: the model's semantics on explicit states, with no solver involved.
// It replays every counterexample before it is shown, so a trace that the encoder produced
// wrongly is caught here rather than printed.
#pragma once

#include <cstdint>
#include <vector>

#include "model/model.hpp"

namespace mw {

struct State {
  std::vector<int> f;      // function cells (Layout::funcIndex)
  std::vector<char> r;     // message cells (Layout::relIndex): 1 = sent
  bool operator==(const State&) const = default;
};

// Quorum choices, one mask of acceptors per quorum of the model; kFree lets the interpreter
// search for a quorum and record the one it found.
constexpr uint32_t kFree = 0xffffffffu;

class Interp {
 public:
  Interp(const Model& m, const Instance& in);
  const Layout& layout() const { return layout_; }
  const Model& model() const { return *model_; }
  State init() const;
  // Is g enabled in s? quorums[qid] is either a given mask (replay) or kFree (search: on
  // success it holds the smallest quorum that works).
  bool enabled(const State& s, const Ground& g, std::vector<uint32_t>& quorums) const;
  // The successor of s under g (updates read s, as primed variables read unprimed ones).
  State apply(const State& s, const Ground& g) const;
  void applyInto(const State& s, const Ground& g, State& out) const;  // out = apply(s, g), no allocation
  bool holds(const State& s, const Expr& inv) const;
  // The same with variables bound: env[slot] (a closed formula's outer quantifiers, peeled).
  bool holdsWith(const State& s, const Expr& e, const std::vector<int>& env) const;
  int valueWith(const State& s, const Expr& e, const std::vector<int>& env) const;  // a value, not a condition
  // For a quorum conjunct `forall x: InQuorum(x) => P` with P free of quorum references: P
  // (every member must satisfy it, which narrows the quorums worth trying), else null.
  static const Expr* memberCondition(const Expr& e);
  static bool mentionsQuorum(const Expr& e);  // a Quorum or InQuorum node inside e

 private:
  struct Ctx {
    const State* s;
    int env[16];
    std::vector<uint32_t>* quorums;
  };
  int eval(const Expr& e, Ctx& c) const;
  std::vector<int> args(const std::vector<Expr>& es, Ctx& c) const;
  const Model* model_;
  Instance inst_;
  Layout layout_;
};

// A state as readable lines: function cells and the messages sent.
std::vector<std::string> describeState(const Model& m, const Instance& in, const State& s);

}  // namespace mw
