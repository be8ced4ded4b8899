// The protocol description language.
//
// A protocol is a set of finite sorts (acceptors, ballots, values, optionally with a `none`
// element), state (functions over sorts, and message relations that only grow), and guarded
// actions. Expressions are plain value trees so that a mutation can copy a model and edit one
// node, and so that the same tree is read by the Z3 encoder and by the concrete interpreter:
// the two can only disagree through a bug in one of them, never through two descriptions.
//
// Quorums are sizes, not lists: `Quorum(q1, body)` reads "some set Q of at least q1 acceptors
// makes body true", and `InQuorum(x)` is "x is in that Q". `AtLeast(q2, a, body)` counts.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace mw {

constexpr int kNone = -1;  // the `none` element: no ballot, no value

enum class Base { Acceptor, Ballot, Value };

struct Sort {
  Base base = Base::Acceptor;
  bool withNone = false;  // the range starts at kNone
  bool operator==(const Sort&) const = default;
};

std::string sortName(Sort s);

// Bounds fixed at check time. q1/q2 are the quorum sizes before any mutation adjusts them.
// An explicit quorum system (Flexible Paxos grids, say) replaces a size by a list of acceptor
// sets: q1Sets/q2Sets hold one bit mask per quorum, and a quorum is then exactly one of them.
struct Instance {
  Instance() = default;
  Instance(int n_, int ballots_, int values_, int q1_, int q2_) : n(n_), ballots(ballots_), values(values_), q1(q1_), q2(q2_) {}
  int n = 3, ballots = 2, values = 2, q1 = 2, q2 = 2;
  std::vector<uint32_t> q1Sets, q2Sets;
  const std::vector<uint32_t>& sets(int which) const { return which == 1 ? q1Sets : q2Sets; }
  int size(Base b) const { return b == Base::Acceptor ? n : b == Base::Ballot ? ballots : values; }
  int lo(Sort s) const { return s.withNone ? kNone : 0; }
  int hi(Sort s) const { return size(s.base) - 1; }  // inclusive
  int count(Sort s) const { return hi(s) - lo(s) + 1; }
};

enum class Op { Lt, Le, Gt, Ge, Eq, Ne };
const char* opText(Op op);
bool applyOp(Op op, int l, int r);

enum class Kind {
  Const,     // val
  Var,       // slot: an action parameter or a quantified variable
  Read,      // ref = function index, kids = arguments
  Sent,      // ref = relation index, kids = fields: "this message was sent"
  Cmp,       // op, kids = {l, r}
  And,       // kids
  Or,        // kids
  Not,       // kids[0]
  Implies,   // kids = {premise, conclusion}
  Exists,    // slot, sort, kids[0] = body
  Forall,    // slot, sort, kids[0] = body
  Quorum,    // ref = 1 or 2 (q1 / q2), qid = the quorum's number in the model, kids[0] = body
  InQuorum,  // qid, kids[0] = acceptor expression
  AtLeast,   // ref = 1 or 2, slot, sort, kids[0] = body: at least q elements satisfy body
};

struct Expr {
  Kind kind = Kind::Const;
  int val = 0;
  int slot = 0;
  int ref = 0;
  int qid = -1;
  Op op = Op::Eq;
  Sort sort;
  std::string site;  // stable name a mutation can refer to; empty if none
  std::string name;  // Exists/Forall/AtLeast: the bound variable's name in the protocol file
  std::vector<Expr> kids;
};

// Builders: the protocol files read close to the TLA+ they come from.
Expr constant(int v);
Expr var(int slot);
Expr cmp(Op op, Expr l, Expr r);
Expr conj(std::vector<Expr> kids);
Expr disj(std::vector<Expr> kids);
Expr neg(Expr e);
Expr implies(Expr p, Expr c);
Expr exists(int slot, Sort s, Expr body);
Expr forall(int slot, Sort s, Expr body);
Expr atLeast(int which, int slot, Sort s, Expr body);
Expr quorum(int which, Expr body);  // qid is numbered by Model::finish()
Expr inQuorum(Expr acceptor);       // refers to the innermost enclosing quorum
Expr named(std::string site, Expr e);

struct Func {
  std::string name;
  std::vector<Sort> args;
  Sort result;
  int init = kNone;
};

struct Relation {
  std::string name;    // the message type, "1a", "2b", ...
  std::vector<std::string> fields;
  std::vector<Sort> sorts;
};

struct Param {
  std::string name;
  Sort sort;
};

struct Update {
  enum class Kind { Assign, Send } kind = Kind::Assign;
  int ref = 0;                 // function (Assign) or relation (Send)
  std::vector<Expr> args;      // Assign: the cell; Send: the message fields
  Expr value;                  // Assign only
  std::string site;
};

struct Action {
  std::string name;
  std::vector<Param> params;   // slots 0..params.size()-1
  std::vector<Expr> guard;     // conjuncts
  std::vector<Update> updates;
};

struct Invariant {
  std::string name;
  std::string description;
  Expr holds;
};

// A rule that picks among candidates by an order, for the `choice` mutation operator:
// `order` is the site of the comparison that orders them, `rule` the site of the whole rule.
struct ChoiceRule {
  std::string name, order, rule;
  std::string lowestText, anyText;  // one line each for the two mutants
};

// A number computed from an instance's sizes, as a protocol file writes it: `2 * ballot *
// (acceptor + 1)` (a sort's name stands for its size).
struct SizeExpr {
  enum class Kind { Num, Size, Add, Sub, Mul } kind = Kind::Num;
  int val = 0;         // Num
  Base sort = Base::Acceptor;  // Size
  std::vector<SizeExpr> kids;
  long eval(const Instance& in) const;
};

// A completeness threshold the file states: unmutated, every reachable state is reached within
// `bound` actions (or parallel steps); `text` is how output names it ("2B(n+1)").
struct Completeness {
  SizeExpr bound;
  std::string text;
};

// One change of a named catalog mutation, at a label of the protocol file.
struct CatalogChange {
  enum class Kind { Compare, Drop, SetField, ShrinkQuorum } kind = Kind::Drop;
  std::string site;  // Compare, Drop, SetField: the label ("Phase1b.promise", "Phase1b.send")
  Op op = Op::Eq;    // Compare: the new operator
  int field = 0;     // SetField: which field of the sent message
  int value = 0;     // SetField: its new value (kNone or a number)
  int system = 0;    // ShrinkQuorum: the quorum system (1-based)
  int by = 1;        // ShrinkQuorum: by how many members
};

// A mutation the protocol file names (`--mutate NAME`): its one-line text and its changes.
struct CatalogEntry {
  std::string name, description;
  std::vector<CatalogChange> changes;
};

struct Model {
  std::string name;
  std::vector<CatalogEntry> catalog;
  std::optional<Completeness> completeActions, completeSteps;  // known facts, from the file
  std::vector<ChoiceRule> choiceRules;
  std::vector<Func> funcs;
  std::vector<Relation> rels;
  std::vector<Action> actions;
  std::vector<Invariant> invariants;
  // An inductive invariant, as named conjuncts (for `check --prove`); empty if the protocol has none.
  std::vector<Invariant> inductive;
  int quorumCount = 0;   // number of Quorum nodes, set by finish()
  int q1Delta = 0, q2Delta = 0;  // quorum-size mutations
  std::vector<std::string> mutations;  // names applied, in order

  int func(const std::string& name) const;
  int rel(const std::string& name) const;
  const Invariant* invariant(const std::string& name) const;
  int quorumSize(const Instance& in, int which) const {
    return which == 1 ? in.q1 + q1Delta : in.q2 + q2Delta;
  }
  // Numbers the quorums and checks the model is well formed; throws std::logic_error if not.
  void finish();
};

// Flat indexing of state cells for one instance: used by the encoder, the interpreter and the
// trace printers alike so that "cell 17" means the same everywhere.
struct Layout {
  Layout(const Model& m, const Instance& in);
  const Model* model;
  Instance inst;
  std::vector<int> funcBase, relBase;
  // Per function / relation, per argument: (lowest value, stride) so that a cell's index is
  // base + sum((value - lo) * stride), computed without building an argument list.
  std::vector<std::vector<std::pair<int, int>>> funcStride, relStride;
  int funcCells = 0, relCells = 0;
  int funcIndex(int f, const std::vector<int>& args) const;
  int relIndex(int r, const std::vector<int>& fields) const;
  std::vector<int> funcArgs(int f, int cell) const;  // inverse of funcIndex (cell is global)
  int funcOf(int cell) const;
  std::vector<int> relFields(int r, int cell) const;
  int relOf(int cell) const;
  bool inRange(Sort s, int v) const { return v >= inst.lo(s) && v <= inst.hi(s); }
};

// Every combination of values for a list of sorts, in lexicographic order.
std::vector<std::vector<int>> tuples(const Instance& in, const std::vector<Sort>& sorts);

// One action with its parameters fixed: what fires in one step.
struct Ground {
  int action = 0;
  std::vector<int> params;
};
std::vector<Ground> groundActions(const Model& m, const Instance& in);
std::string showGround(const Model& m, const Ground& g);  // "Phase1b(a=a1, b=0)"

// Printing values the way users read them: acceptors a1.., values v1.., none as "none".
std::string showValue(Sort s, int v);

}  // namespace mw
