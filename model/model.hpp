// The model language: what a protocol file (language/) is read into, and what every stage reads.
//
// A protocol is a set of finite sorts with roles (one process sort, any number of ordered
// sorts, at most one symmetric sort; each optionally with a `none` element), quorum systems over
// the processes, state (functions over sorts, and message relations that only grow), and guarded
// actions. Expressions are plain value trees so that a mutation can copy a model and edit one
// node, and so that the same tree is read by the Z3 encoder and by the concrete interpreter:
// the two can only disagree through a bug in one of them, never through two descriptions.
//
// Quorums are sizes, not lists: `Quorum(k, body)` reads "some set Q of at least the size of
// system k of processes makes body true", and `InQuorum(x)` is "x is in that Q".
// `AtLeast(k, x, body)` counts. An instance may list a system's quorums instead.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace mw {

constexpr int kNone = -1;  // the `none` element: no ballot, no value

// A sort's role tells the engines what they may assume about it. The process sort (one per
// protocol: acceptors, servers) has n elements, quorums are sets of them, and they are
// interchangeable; an ordered sort (ballots, terms, log indices; any number of them) is 0..size-1
// in order; the symmetric sort (at most one: values) has interchangeable elements.
enum class Role { Process, Ordered, Symmetric };

struct Sort {
  Role role = Role::Process;
  bool withNone = false;  // the range starts at kNone
  int index = 0;          // Ordered: which ordered sort, in the order the file declares them
  bool operator==(const Sort&) const = default;
};

std::string sortName(Sort s);

// Bounds fixed at check time: the number of processes, the size of every ordered sort and of the
// symmetric sort, and every quorum system's size before any mutation adjusts it. A listed quorum
// system (Flexible Paxos grids, say) replaces a size by a list of process sets: quorumSets[k]
// holds one bit mask per quorum of system k + 1, and a quorum is then exactly one of them.
struct Instance {
  Instance() = default;
  // One ordered sort and two quorum systems (the shape of Paxos; tests use it).
  Instance(int n_, int ordered0, int values_, int q1, int q2) : n(n_), values(values_), ordered{ordered0}, quorums{q1, q2} {}
  int n = 3, values = 2;
  std::vector<int> ordered{2};
  std::vector<int> quorums{2, 2};
  std::vector<std::vector<uint32_t>> quorumSets;  // empty, or one entry per system (empty: by size)
  // The elements of each declared subset (`subset fast of round`), in the file's order; a subset
  // missing here (a shorter list) has the file's default elements.
  std::vector<std::vector<int>> subsets;
  const std::vector<uint32_t>& sets(int which) const {  // which: the system, 1-based
    static const std::vector<uint32_t> none;
    return which >= 1 && which <= static_cast<int>(quorumSets.size()) ? quorumSets[which - 1] : none;
  }
  bool anyListed() const {
    for (auto& s : quorumSets)
      if (!s.empty()) return true;
    return false;
  }
  int size(Sort s) const {
    return s.role == Role::Process ? n : s.role == Role::Symmetric ? values : ordered.at(s.index);
  }
  int lo(Sort s) const { return s.withNone ? kNone : 0; }
  int hi(Sort s) const { return size(s) - 1; }  // inclusive
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
  Quorum,    // ref = the quorum system (1-based), qid = the quorum's number in the model, kids[0] = body
  InQuorum,  // qid, kids[0] = process expression
  AtLeast,   // ref = the quorum system, slot, sort, kids[0] = body: at least its size satisfy body
  InSubset,  // ref = the subset (0-based), kids[0] = an element: "it is in the subset"; replaced by
             // equalities for each instance (model/instantiate.hpp), so engines never see it
  Ite,       // kids = {condition, then, else}: `if c then a else b`, a value (a term, not a condition)
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
Expr inSubset(int which, Expr element);
Expr named(std::string site, Expr e);
Expr ite(Expr cond, Expr then, Expr otherwise);

struct Func {
  std::string name;
  std::vector<Sort> args;
  Sort result;
  int init = kNone;
  bool persistent = false;  // `, persistent`: kept on disk, so a restart (--faults restart) keeps it
};

// Who sends a message to whom, as the diagrams draw it: from the lifeline a field names to the
// lifeline another field names, or to every lifeline of one group (`to acceptor`).
struct Route {
  int from = -1;       // a field of the message, or -1: the single lifeline fromGroup
  int fromGroup = -1;
  int to = -1;         // a field of the message, or -1: every lifeline of group toGroup
  int toGroup = -1;
};

struct Relation {
  std::string name;    // the message type, "1a", "2b", ...
  std::vector<std::string> fields;
  std::vector<Sort> sorts;
  std::optional<Route> route;  // `from FIELD to FIELD|SORT`, if the file says
};

// The diagrams' lifelines: one per element of a sort, for each sort listed, left to right; or
// one lifeline of its own, named in quotes (`"TM"`: a coordinator that is no process sort).
struct LifelineGroup {
  Sort sort;            // without none
  std::string label;    // "proposer": lifelines "proposer 0", "proposer 1", ...
  bool single = false;  // one lifeline called `label`, of no sort
};

struct Param {
  std::string name;
  Sort sort;
};

// A variable an update is done for every value of (`do send: forall s: slot. send 1b(...)`).
struct Over {
  std::string name;
  Sort sort;
  int slot = 0;
};

struct Update {
  enum class Kind { Assign, Send } kind = Kind::Assign;
  int ref = 0;                 // function (Assign) or relation (Send)
  std::vector<Expr> args;      // Assign: the cell; Send: the message fields
  Expr value;                  // Assign only
  std::string site;
  // Done once for every value of these (model/instantiate.hpp makes the copies for an
  // instance; the engines only ever see updates without them).
  std::vector<Over> over;
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
// (acceptor + 1)` (a sort's name stands for its size), `acceptor - f` (f: the faults tolerated).
struct SizeExpr {
  enum class Kind { Num, Size, Faults, System, Add, Sub, Mul, Div } kind = Kind::Num;
  int val = 0;  // Num; System: the quorum system (0-based), standing for its size
  Sort sort;    // Size
  std::vector<SizeExpr> kids;
  long eval(const Instance& in, int faults = 0) const;  // Div rounds down; by 0 gives 0
};

// A condition on an instance's sizes, as a protocol file states it: comparisons joined by `&`,
// of sizes, f and quorum systems' sizes (`phase1 + phase2 > acceptor`).
struct SizeCondition {
  struct Compare {
    SizeExpr left;
    Op op = Op::Gt;
    SizeExpr right;
  };
  std::vector<Compare> all;
  std::string text;  // how output names it ("q1 + q2 > n")
  bool holds(const Instance& in) const;
};

// A sort as the file declares it: its name, its role, and the instance option that sets its
// size (`--ballots`/`-B`, or `--set ballot=3`). The process sort's size is n (`--n`).
struct SortDecl {
  std::string name;
  Sort sort;
  std::optional<SizeExpr> size;  // the default size
  std::string option;            // the long option without dashes, or empty: `--set` only
  std::string shortOption;       // one letter, or empty
  // An enumerated sort (`enum(working, prepared, ...)`): ordered for the engines, numbered from 0
  // in this order, its size fixed; the file compares its elements with = and != only, by name.
  std::vector<std::string> constants;
  bool isEnum() const { return !constants.empty(); }
  // Its name on the command line and in output: its option's name, else its own.
  std::string key() const { return option.empty() ? name : option; }
};

// A quorum system as the file declares it: `q1` quorums are sets of `size` processes (by default
// n - f), set by `--q1` or `--set phase1=2`.
struct QuorumDecl {
  std::string name;
  std::optional<SizeExpr> size;  // the default size, from n and f; none: n - f
  std::string option;            // the long option without dashes, or empty
  std::string text;              // how texts name its quorums ("phase-1 quorums"), or empty
  // Its name on the command line, in ids and in output: its option's name, else its own.
  std::string key() const { return option.empty() ? name : option; }
  // The size the file gives it at this instance's sizes with f faults tolerated: `size`, else n - f.
  long defaultSize(const Instance& in, int faults) const { return size ? size->eval(in, faults) : in.n - faults; }
};

// A set of elements of an ordered sort that an instance chooses (`subset fast of round, default
// {0}, option fast-rounds`): Fast Paxos's fast rounds. Formulas test membership (`r in fast`).
struct SubsetDecl {
  std::string name;
  Sort sort;                  // an ordered sort, without none
  std::vector<int> defaults;  // the elements unless the instance says otherwise
  std::string option;         // the long option without dashes, or empty: `--set` only
  std::string text;           // how help names it ("the fast rounds"), or empty
  std::string key() const { return option.empty() ? name : option; }
};

// A completeness threshold the file states: unmutated, every reachable state is reached within
// `bound` actions (or parallel steps); `text` is how output names it ("2B(n+1)").
struct Completeness {
  SizeExpr bound;
  std::string text;
};

// One change of a named catalog mutation, at a label of the protocol file.
struct CatalogChange {
  enum class Kind { Compare, Drop, SetField, ShrinkQuorum, Forget, UseSystem, Replace } kind = Kind::Drop;
  std::string site;  // Compare, Drop, SetField, UseSystem, Replace: the label ("Phase1b.promise", "Phase1b.send")
  Op op = Op::Eq;    // Compare: the new operator
  int field = 0;     // SetField: which field of the sent message
  int value = 0;     // SetField: its new value (kNone or a number)
  int system = 0;    // ShrinkQuorum, UseSystem: the quorum system (1-based)
  int by = 1;        // ShrinkQuorum: by how many members
  int func = 0;      // Forget: the persistent state that a restart now resets
  Expr replacement;  // Replace: the condition that stands at the label instead (reads the action's parameters)
};

// A mutation the protocol file names (`--mutate NAME`): its one-line text and its changes.
struct CatalogEntry {
  std::string name, description;
  std::string lesson;  // why the protocol needs what this removes, in the file's words (may be empty)
  std::vector<CatalogChange> changes;
};

struct Model {
  std::string name;
  std::vector<SortDecl> sorts;         // as declared
  std::vector<QuorumDecl> systems;   // as declared; system k is number k + 1 in Quorum nodes
  std::vector<SubsetDecl> subsets;   // as declared; subset k is ref k in InSubset nodes
  std::vector<CatalogEntry> catalog;
  std::optional<Completeness> completeActions, completeSteps;  // known facts, from the file
  std::optional<SizeCondition> expectSafe;  // the quorum sizes the file expects safe (a sweep compares)
  std::vector<ChoiceRule> choiceRules;
  std::vector<LifelineGroup> lifelines;  // `lifelines ...`; empty: the printers choose
  std::vector<Func> funcs;
  std::vector<Relation> rels;
  std::vector<Action> actions;
  std::vector<Invariant> invariants;
  // An inductive invariant, as named conjuncts (for `check --prove`); empty if the protocol has none.
  std::vector<Invariant> inductive;
  int quorumCount = 0;   // number of Quorum nodes, set by finish()
  std::vector<int> quorumDelta;  // quorum-size mutations, per system (missing: 0)
  std::vector<std::string> mutations;  // names applied, in order
  bool restarts = false;  // the Restart fault action was added (model/faults.hpp)

  int func(const std::string& name) const;
  int rel(const std::string& name) const;
  const Invariant* invariant(const std::string& name) const;
  int quorumSize(const Instance& in, int which) const {
    int delta = which >= 1 && which <= static_cast<int>(quorumDelta.size()) ? quorumDelta[which - 1] : 0;
    return in.quorums.at(which - 1) + delta;
  }
  const SortDecl* sortDecl(Sort s) const;  // nullptr if the model declares none
  // The elements of subset k in an instance: the instance's, else the file's default.
  const std::vector<int>& subsetOf(const Instance& in, int k) const {
    return k < static_cast<int>(in.subsets.size()) ? in.subsets[k] : subsets.at(k).defaults;
  }
  // An ordered sort that is not an enum: compared with < <= > >= and with numbers.
  bool hasOrder(Sort s) const {
    const SortDecl* d = s.role == Role::Ordered ? sortDecl(s) : nullptr;
    return s.role == Role::Ordered && !(d && d->isEnum());
  }
  std::string sortText(Sort s) const;      // its name in the file (with ? for none), or sortName
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
// The quorum ids used by an action's guard.
std::vector<int> quorumIds(const Action& a);
// Whether action a writes something e reads: it assigns a state function or sends a message type
// that e mentions. When it does not, e after a step of a is e before it.
bool touches(const Action& a, const Expr& e);

// Printing values the way users read them: processes and values by the first letter of their
// sort's name and a number from 1 (acceptors a1.., servers s1.., values v1..; a1 and v1 when
// the two names start alike), ordered sorts as numbers, none as "none" (-1 when ordered).
char valueLetter(const Model& m, Role role);
char processLetter(const Model& m);
std::string showValue(const Model& m, Sort s, int v);
std::string showProcesses(const Model& m, const std::vector<int>& as);  // "{a1,a3}"

}  // namespace mw
