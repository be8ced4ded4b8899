// Protocol files: protocols/paxos.mw read by the parser is the model the C++ builder made (the
// same tree up to the names of bound variables' slots), and malformed files get one
// file:line:col line.
#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <fstream>
#include <map>
#include <sstream>
#include <set>

#include "firstorder/every_size.hpp"
#include "language/parser.hpp"
#include "mutations/catalog.hpp"
#include "mutations/operators.hpp"
#include "language/load.hpp"
#include "protocols/builtin.hpp"

namespace mw {
Model paxosReferenceModel();
}

using namespace mw;

namespace {
// a and b are one tree, up to a consistent renaming of slots (map: a's slot -> b's).
std::string differ(const Expr& a, const Expr& b, std::map<int, int>& slots, const std::string& at) {
  auto here = [&](const std::string& what) { return fmt::format("{} (site '{}'/'{}'): {}", at, a.site, b.site, what); };
  if (a.kind != b.kind) return here(fmt::format("kind {} vs {}", static_cast<int>(a.kind), static_cast<int>(b.kind)));
  if (a.site != b.site) return here("site");
  if (a.kind == Kind::Const && a.val != b.val) return here("constant");
  if (a.kind == Kind::Var && (!slots.count(a.slot) || slots[a.slot] != b.slot)) return here("variable");
  if (a.ref != b.ref || a.op != b.op || a.qid != b.qid) return here("ref/op/qid");
  bool binder = a.kind == Kind::Exists || a.kind == Kind::Forall || a.kind == Kind::AtLeast;
  if (binder && !(a.sort == b.sort)) return here("sort");
  if (a.kids.size() != b.kids.size()) return here(fmt::format("{} vs {} kids", a.kids.size(), b.kids.size()));
  std::map<int, int> saved = slots;
  if (binder) slots[a.slot] = b.slot;
  for (size_t i = 0; i < a.kids.size(); ++i)
    if (auto d = differ(a.kids[i], b.kids[i], slots, at + "/" + std::to_string(i)); !d.empty()) return d;
  slots = saved;
  return "";
}

std::string differ(const Model& a, const Model& b) {
  if (a.name != b.name) return "name";
  if (a.funcs.size() != b.funcs.size() || a.rels.size() != b.rels.size() || a.actions.size() != b.actions.size())
    return "counts";
  for (size_t i = 0; i < a.funcs.size(); ++i)
    if (a.funcs[i].name != b.funcs[i].name || a.funcs[i].args != b.funcs[i].args || !(a.funcs[i].result == b.funcs[i].result) ||
        a.funcs[i].init != b.funcs[i].init)
      return "state " + a.funcs[i].name;
  for (size_t i = 0; i < a.rels.size(); ++i)
    if (a.rels[i].name != b.rels[i].name || a.rels[i].fields != b.rels[i].fields || a.rels[i].sorts != b.rels[i].sorts)
      return "message " + a.rels[i].name;
  for (size_t i = 0; i < a.actions.size(); ++i) {
    const Action &x = a.actions[i], &y = b.actions[i];
    if (x.name != y.name || x.params.size() != y.params.size()) return "action " + x.name;
    std::map<int, int> slots;
    for (size_t p = 0; p < x.params.size(); ++p) {
      if (x.params[p].name != y.params[p].name || !(x.params[p].sort == y.params[p].sort)) return "parameters of " + x.name;
      slots[static_cast<int>(p)] = static_cast<int>(p);
    }
    if (x.guard.size() != y.guard.size() || x.updates.size() != y.updates.size()) return "clauses of " + x.name;
    for (size_t g = 0; g < x.guard.size(); ++g)
      if (auto d = differ(x.guard[g], y.guard[g], slots, x.name); !d.empty()) return d;
    for (size_t u = 0; u < x.updates.size(); ++u) {
      const Update &p = x.updates[u], &q = y.updates[u];
      if (p.kind != q.kind || p.ref != q.ref || p.site != q.site || p.args.size() != q.args.size()) return "update " + p.site;
      for (size_t k = 0; k < p.args.size(); ++k)
        if (auto d = differ(p.args[k], q.args[k], slots, p.site); !d.empty()) return d;
      if (p.kind == Update::Kind::Assign)
        if (auto d = differ(p.value, q.value, slots, p.site); !d.empty()) return d;
    }
  }
  for (auto [xs, ys] : {std::pair{&a.invariants, &b.invariants}, std::pair{&a.inductive, &b.inductive}}) {
    if (xs->size() != ys->size()) return "invariant count";
    for (size_t i = 0; i < xs->size(); ++i) {
      if ((*xs)[i].name != (*ys)[i].name || (*xs)[i].description != (*ys)[i].description) return "invariant " + (*xs)[i].name;
      std::map<int, int> slots;
      if (auto d = differ((*xs)[i].holds, (*ys)[i].holds, slots, (*xs)[i].name); !d.empty()) return d;
    }
  }
  if (a.choiceRules.size() != b.choiceRules.size()) return "choice rules";
  for (size_t i = 0; i < a.choiceRules.size(); ++i) {
    auto &x = a.choiceRules[i], &y = b.choiceRules[i];
    if (x.name != y.name || x.order != y.order || x.rule != y.rule || x.lowestText != y.lowestText || x.anyText != y.anyText)
      return "choice rule " + x.name;
  }
  if (a.quorumCount != b.quorumCount) return "quorum count";
  return "";
}
}  // namespace

TEST_CASE("protocols/paxos.mw is the model the C++ builder made", "[protocol]") {
  CHECK(differ(paxosModel(), paxosReferenceModel()) == "");
  // The comparison can fail: one changed comparison is found.
  Model changed = paxosModel();
  changed.actions[1].guard[1].op = Op::Ge;
  CHECK(differ(changed, paxosReferenceModel()) != "");
}

namespace {
// A small valid protocol; each malformed case below changes one part of it.
const std::string kTiny = R"(protocol tiny
sort node: process
sort round: ordered
sort value: symmetric
quorum majority of node
state voted[node]: round? = none
message vote(n: node, r: round, v: value)
action Vote(n: node, r: round, v: value)
  when fresh: voted[n] = none
  do mark: voted[n] := r
  do send: send vote(n: n, r: r, v: v)
invariant one "one value per round":
  forall a: node, b: node, r: round, v: value, w: value. sent vote(a, r, v) & sent vote(b, r, w) => v = w
)";

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  size_t at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}
}  // namespace

TEST_CASE("the catalog is read from the file: Paxos's named mutations and the mutants they stand for", "[protocol]") {
  Model m = paxosModel();
  REQUIRE(m.catalog.size() == 16);
  CHECK(m.catalog[15].name == "vote-by-value");
  CHECK(m.catalog[15].changes.size() == 3);  // the three is-vote readings of Phase2a
  CHECK(m.catalog[0].name == "promise-geq");
  CHECK(m.catalog[7].changes.size() == 2);  // no-vote-report: two fields of Phase1b's 1b
}

TEST_CASE("a small protocol file parses", "[protocol]") {
  Model m = parseProtocol(kTiny, "tiny.mw");
  CHECK(m.name == "tiny");
  CHECK(m.actions.size() == 1);
  CHECK(m.actions[0].guard[0].site == "Vote.fresh");
  CHECK(m.actions[0].updates[1].site == "Vote.send");
}

TEST_CASE("malformed protocol files: one file:line:col line each", "[protocol]") {
  // kTiny with an enum sort and a state of it.
  const std::string kEnum = replaced(kTiny, "sort value: symmetric", "sort value: symmetric\nsort mode: enum(idle, busy)\nstate m[node]: mode = idle");
  struct Case {
    std::string text, where, fragment;
  };
  const std::string vote = "  do send: send vote(n: n, r: r, v: v)";
  std::vector<Case> cases = {
      {replaced(kTiny, "protocol tiny", "sort x: process"), "1:1", "unexpected 'sort'; expected `protocol NAME` first"},
      {replaced(kTiny, "state voted[node]", "state voted[nodes]"), "6:13", "unknown sort 'nodes'"},
      {replaced(kTiny, "sort value: symmetric", "sort value: fancy"), "4:13", "unknown role 'fancy'"},
      {replaced(kTiny, "sort value: symmetric", "sort value: process"), "4:6", "a second process sort"},
      {replaced(kTiny, "message vote(", "state vote[node]: round? = none\nmessage vote("), "8:9", "'vote' is declared twice"},
      {replaced(kTiny, "voted[n] = none", "voted[x] = none"), "9:21", "unknown name 'x'"},
      {replaced(kTiny, "voted[n] = none", "r = v"), "9:15", "compares a round with a value"},
      {replaced(kTiny, "voted[n] = none", "v < v"), "9:15", "only ordered sorts have an order"},
      {replaced(kTiny, "voted[n] = none", "r = none"), "9:15", "which is never none"},
      {replaced(kTiny, "=> v = w", "=> v = w & x2 = w"), "13:109", "unknown name 'x2'"},
      {replaced(kTiny, "do mark:", "do fresh:"), "10:6", "label 'fresh' is used twice"},
      {replaced(kTiny, vote, "  do send: send vote(n: n, round: r, v: v)"), "11:28", "field 'round' where vote has r"},
      {replaced(kTiny, vote, "  do send: send vote(n: n, r: r)"), "11:32", "vote has 3 fields, not 2"},
      {replaced(kTiny, vote, "  do send: send vote(n, r, v, v)"), "11:31", "vote has 3 fields"},
      {replaced(kTiny, "forall a: node, b: node, r: round,", "forall a: node, b: node,"), "13:61", "unknown name 'r'"},
      {replaced(kTiny, "when fresh: voted[n] = none", "when fresh: atleast quorum m: node. voted[m] = none"), "9:23", "unknown quorum system 'quorum'"},
      {replaced(kTiny, "voted[n] = none", "n in Q"), "9:20", "'Q' is not a quorum variable"},
      {replaced(kTiny, "voted[n] = none", "forall Q: majority. n in Q"), "9:25", "a quorum can only be chosen by exists"},
      {replaced(kTiny, "do mark: voted[n] := r", "do mark: vote[n] := r"), "10:12", "unknown state 'vote'"},
      {replaced(kTiny, "voted[n] := r", "voted[n] := v"), "10:24", "a value for the value of voted, which is a round?"},
      {replaced(kTiny, "voted[n] := r", "voted[n, n] := r"), "10:12", "voted has 1 indices, not 2"},
      {replaced(kTiny, "voted[n] = none", "vote = none"), "9:15", "message type 'vote' used as a value"},
      {replaced(kTiny, "\"one value per round\"", "\"one value per round"), "12:15", "a string that does not end on its line"},
      {replaced(kTiny, "voted[n] = none", "voted[n] = $"), "9:26", "unexpected character '$'"},
      {replaced(kTiny, "voted[n] = none", "voted[n]"), "8:8", "a guard must be a condition"},
      {replaced(kTiny, "round? = none", "round = none"), "6:28", "'voted' starts at none but its sort round has no none"},
      {replaced(kTiny, "voted[n] := r", "voted[n] := if voted[n] = none then r else v"), "10:55", "`if` gives a round in one branch and a value in the other"},
      {replaced(kTiny, "voted[n] := r", "voted[n] := if r then r else none"), "10:27", "the condition of `if` must be a condition, not a round"},
      {replaced(kTiny, "voted[n] := r", "voted[n] := if voted[n] = none then r"), "11:3", "unexpected 'do'; expected `else` and the value where it does not"},
      {replaced(kTiny, "when fresh: voted[n] = none", "when fresh: if voted[n] = none then r else r"), "8:8", "a guard must be a condition, not a round"},
      {replaced(kTiny, "voted[n] := r", "voted[n] := if voted[n] = none then r else voted[n]"), "", ""},  // valid
      {replaced(kTiny, "voted[n] := r", "voted[n] := if (first: voted[n] = none) then r else voted[n]") +
           "mutation keep \"never overwrites\":\n  Vote.first becomes (false)\n", "", ""},  // valid: a condition in an update
      {replaced(kTiny, "voted[n] := r", "voted[n] := (val: r)") + "mutation keep \"x\":\n  Vote.val becomes (true)\n", "15:3",
       "'Vote.val' is not the label of a condition in a guard or an update"},
      {replaced(kTiny, "action Vote", "define free(x: node) = voted[x] = none\naction Vote"), "", ""},  // valid: used below
      {replaced(kTiny, "invariant one", "define free(x: node) = voted[x] = none\ninvariant one") + "invariant two \"t\": forall a: node. free(a, a)\n", "15:36", "free takes 1 arguments, not 2"},
      {replaced(kTiny, "=> v = w", "=> (same: v = w)"), "13:102", "a label outside an action"},
      {replaced(kTiny, vote, vote + "\n  choice fresh within nothing lowest \"a\" any \"b\""), "12:23", "no label 'nothing'"},
      {replaced(kTiny, "action Vote(n: node", "action Vote(sent: node"), "8:13", "'sent' is a keyword"},
      {replaced(kTiny, "quorum majority of node", "quorum majority of node, size 2, size 3"), "5:34", "a second size"},
      {replaced(kTiny, "sort node: process", "sort node: process, size 3"), "2:21", "the process sort's size is n"},
      {replaced(kTiny, "sort value: symmetric", "sort value: symmetric, option values V, option vals"), "4:41", "a second option"},
      {replaced(kTiny, "sort round: ordered", "sort round: ordered, option r"), "3:29", "'r' is too short for a long option"},
      {replaced(kTiny, "sort round: ordered", "sort round: ordered, option rounds RR"), "3:36", "'RR' is not one letter"},
      {replaced(kTiny, "sort round: ordered", "sort round: ordered, option rounds R\nsort turn: ordered, option turns R"), "4:34", "short option 'R' is declared twice"},
      {replaced(kTiny, "quorum majority of node", "quorum majority of node, size node - g"), "5:38", "unexpected 'g'; expected a number (0 to 9999), a sort (its size), f"},
      {replaced(kTiny, "sort round: ordered", "sort round: ordered, size 3 - f"), "3:31", "unexpected 'f'; expected a number (0 to 9999), a sort (its size) or '('"},
      {replaced(kTiny, "quorum majority of node", "quorum majority of node, turns"), "5:26", "unexpected 'turns'; expected `size`, `option` or a text in quotes"},
      {replaced(kTiny, "invariant one", "action Idle(n: node)\ninvariant one"), "12:8", "action 'Idle' has no `when` and no `do`"},
      {"protocol empty\nsort node: process\n", "3:1", "the protocol has no action"},
      {replaced(kTiny, "message vote(n: node,", "message vote(n: node, n: node,"), "7:23", "field 'n' twice"},
      {replaced(kTiny, vote, "  do send: send vote(n: n, r: r, v: 3)"), "11:37", "a number for field v of vote, which is a value"},
      {replaced(kTiny, "voted[n] = none", "~(exists Q: majority. n in Q)"), "8:8", "a quorum may only appear positively"},
      {replaced(kTiny, "invariant one", "invariant one \"again\": forall a: node. a = a\ninvariant one"), "13:11", "'one' is declared twice"},
      {replaced(kTiny, "action Vote(n: node,", "action Vote(n: node, n: node,"), "8:22", "parameter 'n' twice"},
      {replaced(kTiny, "when fresh: voted[n] = none",
                "when fresh: forall a1: node, a2: node, a3: node, a4: node, a5: node, a6: node, a7: node, a8: node, a9: node, "
                "a10: node, a11: node, a12: node, a13: node, a14: node. voted[n] = none"),
       "9:156", "more than 16 variables in scope at once"},
      {replaced(kTiny, "voted[n] = none", "voted[n] = none &"), "10:3", "unexpected 'do'"},
      {replaced(kTiny, "message vote(n: node, r: round, v: value)", "message vote(n: node, r: round, v: value"), "8:1", "unexpected 'action'"},
      {kTiny + "mutation m \"t\": drop Vote.stale\n", "14:22", "no label 'Vote.stale' in the protocol"},
      {kTiny + "mutation m \"t\": Vote.fresh becomes =>\n", "14:36", "expected one of < <= > >= = !="},
      {kTiny + "mutation m \"t\": Vote.send.round := none\n", "14:17", "message vote has no field 'round'"},
      {kTiny + "mutation m \"t\": Vote.send.r := 1 and majority minus 0\n", "14:53", "expected how many members fewer"},
      {kTiny + "mutation m \"t\": Vote.send.v := none\n", "14:32", "none for field v of vote, whose sort value has no none"},
      {kTiny + "mutation m \"t\": drop Vote.fresh\nmutation m \"u\": drop Vote.mark\n", "15:10", "mutation 'm' is declared twice"},
      {replaced(kTiny, "message vote(n: node, r: round, v: value)", "message vote(n: node, r: round, v: value) from n to node"), "7:48", "field 'n' is a node, which has no lifelines"},
      {replaced(kTiny, "message vote(", "lifelines node\nmessage vote("), "", ""},  // valid: lifelines without routes
      {replaced(kTiny, "message vote(n: node, r: round, v: value)", "lifelines node\nmessage vote(n: node, r: round, v: value) from m to node"), "8:48", "message vote has no field 'm'"},
      {replaced(kTiny, "message vote(n: node, r: round, v: value)", "lifelines node\nmessage vote(n: node, r: round, v: value) from n to nodes"), "8:53", "no field 'nodes', and no sort is called so"},
      {replaced(kTiny, "message vote(n: node, r: round, v: value)", "lifelines node\nmessage vote(n: node, r: round, v: value) from n to round"), "8:53", "round has no lifelines"},
      {replaced(kTiny, "message vote(n: node, r: round, v: value)", "lifelines node\nmessage vote(n: node, r: round, v: value) from n by node"), "8:50", "unexpected 'by'; expected `to`"},
      {replaced(kTiny, "message vote(", "lifelines node, round?\nmessage vote("), "7:17", "round? has a none, which is no lifeline"},
      {replaced(kTiny, "message vote(", "lifelines node, node\nmessage vote("), "7:17", "node is listed twice"},
      {replaced(kTiny, "message vote(", "lifelines node\nlifelines round\nmessage vote("), "8:1", "a second `lifelines`"},
      {replaced(kTiny, "sort value: symmetric", "sort value: symmetric\nsort mode: enum(idle, busy)\nstate m[node]: mode = idle"), "", ""},  // valid
      {replaced(kTiny, "sort value: symmetric", "sort value: symmetric\nsort mode: enum(idle, busy), size 3"), "5:30", "mode is an enum: its size is the number of its elements"},
      {replaced(kTiny, "sort value: symmetric", "sort value: symmetric\nsort mode: enum(idle, busy)\nstate m[node]: mode = 0"), "6:23", "a number as the initial value of a sort that is not ordered"},
      {replaced(kTiny, "sort value: symmetric", "sort value: symmetric\nsort mode: enum(idle, busy)\nstate m[node]: round? = idle"), "6:25", "'idle' is a mode, and m holds a round?"},
      {replaced(kTiny, "sort value: symmetric", "sort value: symmetric\nsort mode: enum(idle, node)"), "5:23", "'node' is declared twice"},
      {replaced(kEnum, "voted[n] = none", "m[n] = busy"), "", ""},  // valid
      {replaced(kTiny, "round? = none", "round? = none, persistent"), "", ""},  // valid
      {replaced(kTiny, "round? = none", "round? = none, kept"), "6:35", "unexpected 'kept'; expected `persistent`"},
      {replaced(kTiny + "mutation m \"t\": forget voted\n", "round? = none", "round? = none, persistent"), "14:24", ""},
      {kTiny + "mutation m \"t\": forget voted\n", "14:24", "'voted' is not persistent"},
      {replaced(kTiny, "message vote(", "state last[round]: value? = none, persistent\nmessage vote("), "7:35", "'last' is not indexed first by the process sort"},
      {kTiny + "mutation m \"t\": forget vote\n", "14:24", "unknown state 'vote'"},
      {replaced(kTiny, vote, "  do send: forall w: value. send vote(n: n, r: r, v: w)"), "", ""},  // valid
      {replaced(kTiny, "do mark: voted[n] := r", "do mark: forall x: node. voted[n] := r"), "10:28", "'x' is not an index of the assigned cell"},
      {replaced(kTiny, vote, "  do send: forall w: value. forall u: value. send vote(n: n, r: r, v: w)"), "11:29", "a second forall"},
      {replaced(kEnum, "voted[n] = none", "m[n] < busy"), "11:15", "only ordered sorts have an order"},
      {replaced(kEnum, "voted[n] = none", "m[n] = 1"), "11:15", "compares a number with a mode"},
      {replaced(kEnum, "voted[n] = none", "m[n] = r"), "11:15", "compares a mode with a round"},
      {replaced(kEnum, "voted[n] := r", "voted[n] := idle"), "12:24", "a mode for the value of voted, which is a round?"},
  };
  // Subsets an instance chooses (Fast Paxos's fast rounds), and the catalog's `uses`.
  const std::string kSubset = replaced(kTiny, "quorum majority of node", "quorum majority of node\nsubset early of round = {0}");
  cases.push_back({replaced(kSubset, "voted[n] = none", "voted[n] = none & r in early"), "", ""});  // valid
  cases.push_back({replaced(kTiny, "quorum majority of node", "quorum majority of node\nsubset early of value = {0}"), "6:17", "a subset of value, which is not an ordered sort"});
  cases.push_back({replaced(kSubset, "{0}", "{0, 0}"), "6:29", "0 is listed twice"});
  cases.push_back({replaced(kSubset, "{0}", "0"), "6:25", "unexpected '0'; expected '{' and the default elements"});
  cases.push_back({replaced(kSubset, "voted[n] = none", "voted[n] = none & r in nothing"), "10:38", "'nothing' is not a quorum variable or a subset"});
  cases.push_back({replaced(kSubset, "voted[n] = none", "voted[n] = none & v in early"), "10:33", "a value for an element of subset early, which is a round"});
  cases.push_back({kTiny + "mutation m \"t\": Vote.fresh uses majority\n", "14:17", "'Vote.fresh' is not the label of an `atleast` or `exists Q:` in a guard"});
  cases.push_back({kTiny + "mutation m \"t\": Vote.fresh becomes (voted[n] = r)\n", "", ""});  // valid
  cases.push_back({kTiny + "mutation m \"t\": Vote.mark becomes (voted[n] = r)\n", "14:17", "'Vote.mark' is not the label of a condition in a guard"});
  cases.push_back({kTiny + "mutation m \"t\": Vote.fresh becomes (voted[n] = q)\n", "14:48", "unknown name 'q'"});
  cases.push_back({kTiny + "mutation m \"t\": Vote.fresh becomes (voted[n])\n", "14:36", "what replaces a condition"});
  // Found by the fuzz target: a NUL inside a string cut the error line short.
  std::string nul = replaced(kTiny, "per round\"", std::string("per\0 round\"", 11));
  cases.push_back({nul, "12:29", "a control character (\\x00) in a string; expected printable text"});
  int malformed = 0;
  for (auto& c : cases) {
    INFO(c.text);
    if (c.fragment.empty()) {
      CHECK_NOTHROW(parseProtocol(c.text, "bad.mw"));
      continue;
    }
    ++malformed;
    try {
      parseProtocol(c.text, "bad.mw");
      FAIL("no error for a file that should say: " << c.fragment);
    } catch (const ProtocolError& e) {
      std::string msg = e.what();
      INFO(msg);
      CHECK(msg.rfind("bad.mw:" + c.where, 0) == 0);
      CHECK(msg.find('\n') == std::string::npos);
      CHECK(msg.find(c.fragment) != std::string::npos);
      CHECK(msg.find("; expected") != std::string::npos);
    }
  }
  CHECK(malformed >= 30);
}

TEST_CASE("every id mutants prints is a mutation check --mutate takes, and it makes that mutant", "[protocol][mutations]") {
  Model paxos = paxosModel();
  std::vector<Mutant> all = generateMutants(paxos);
  REQUIRE(all.size() >= 50);
  for (auto& mu : all) {
    INFO(mu.id);
    Model m = mutate(paxos, {mu.id});
    CHECK(differ(m, mu.model) == "");
    CHECK(m.quorumDelta == mu.model.quorumDelta);
    CHECK(m.mutations == std::vector<std::string>{mu.id});
  }
  // An id and a catalog name together, and an id whose site the other removes (in either order).
  CHECK(mutate(paxos, {"promise-geq", "Phase2b.accept:<"}).mutations.size() == 2);
  CHECK_THROWS_WITH(mutate(paxos, {"any-value", "Phase2a.highest:<="}), Catch::Contains("cannot be combined"));
  CHECK_THROWS_WITH(mutate(paxos, {"Phase2a.highest:<=", "any-value"}), Catch::Contains("cannot be combined"));
  CHECK_THROWS_WITH(mutate(paxos, {"Phase9.nothing:drop"}), Catch::Contains("unknown mutation 'Phase9.nothing:drop'"));
}

TEST_CASE("mutant ids name nested sites by the file's labels and texts, and stay when unrelated parts change", "[protocol][mutations]") {
  const BuiltinProtocol* paxosFile = nullptr;
  for (auto& p : builtinProtocols())
    if (std::string(p.name) == "paxos") paxosFile = &p;
  REQUIRE(paxosFile);
  std::set<std::string> before;
  for (auto& mu : generateMutants(parseProtocol(paxosFile->text, "paxos.mw"))) {
    INFO(mu.id);
    // No numeric paths: a site is a label, or a label and a text in braces.
    CHECK(mu.id.find('/') == std::string::npos);
    before.insert(mu.id);
  }
  CHECK(before.count("Phase2a.pick-highest{x2 in Q}:drop") == 1);
  CHECK(before.count("Phase1b.promise{maxBal[a]}:maxBal->maxVBal") == 1);
  // A state variable, an action and a comment added before Phase2a: every old id is still made.
  std::string text = paxosFile->text;
  std::string anchor = "# Phase2a(b, v):";
  REQUIRE(text.find(anchor) != std::string::npos);
  text.insert(text.find(anchor), "state seen[acceptor]: ballot? = none\n# a new action\naction Look(a: acceptor, b: ballot)\n"
                                 "  when later: b > seen[a]\n  do note: seen[a] := b\n\n");
  std::set<std::string> after;
  for (auto& mu : generateMutants(parseProtocol(text, "paxos-plus.mw"))) after.insert(mu.id);
  for (auto& id : before) {
    INFO(id);
    CHECK(after.count(id) == 1);
  }
}

TEST_CASE("the comparison operator orders only ordered sorts: values and processes get = and != alone", "[protocol][mutations]") {
  std::ifstream f(std::string(MADEWRONG_TEST_PROTOCOLS) + "/three-quorums.mw");
  std::stringstream text;
  text << f.rdbuf();
  Model m = parseProtocol(text.str(), "three-quorums.mw");
  std::set<std::string> ids;
  for (auto& mu : generateMutants(m, {"comparison"})) ids.insert(mu.id);
  CHECK(ids.count("Propose.agrees{vv = v}:!=") == 1);
  CHECK(ids.count("Propose.agrees{vv = v}:<") == 0);
  CHECK(ids.count("Propose.agrees{vv = v}:>=") == 0);
  CHECK(ids.count("Promise.newer:>=") == 1);  // rounds are ordered
  // The catalog name of a quorum mutation is an alias of the id made from the system's option.
  CHECK(catalogAlias(m, "any-value") == "Propose.agrees:drop");
  CHECK(catalogAlias(m, "small-learn") == "quorum.ql:-1");
}

TEST_CASE("every size: a query Z3 leaves undecided is listed, and the proof goes on to a real counterexample to induction", "[protocol][every-size]") {
  // `largest` holds at every instance (finitely many rounds) but not in first-order logic: its
  // negation has only infinite models, so Z3 can neither prove Init => largest nor find a finite
  // structure against it. `never` is not inductive: Vote sends a vote.
  const std::string kUndecided = R"(protocol undecided
sort node: process
sort round: ordered
state voted[node]: round? = none
message vote(n: node, r: round)
action Vote(n: node, r: round)
  when fresh: voted[n] = none
  do mark: voted[n] := r
  do send: send vote(n: n, r: r)
invariant one-round "a node votes in one round":
  forall n: node, r: round, s: round. sent vote(n, r) & sent vote(n, s) => r = s
inductive largest "some round is the largest":
  exists r: round. forall s: round. s <= r
inductive remembered "a vote is in the round its node remembers":
  forall n: node, r: round. sent vote(n, r) => voted[n] = r
inductive never "no vote is sent":
  forall n: node, r: round. ~sent vote(n, r)
)";
  Model m = parseProtocol(kUndecided, "undecided.mw");
  EverySizeResult e = proveEverySize(m, "one-round", 0, nullptr, nullptr, nullptr, 1);
  CHECK(e.outcome == EverySizeResult::Outcome::NotInductive);
  CHECK(e.failedStep == "step");
  CHECK(e.conjunct == "never");
  CHECK(e.unknownSteps == std::vector<std::string>{"Init => largest"});
  // Without the conjunct that is not inductive, every other query is proved: unknown, naming the one.
  m.inductive.pop_back();
  e = proveEverySize(m, "one-round", 0, nullptr, nullptr, nullptr, 1);
  CHECK(e.outcome == EverySizeResult::Outcome::Unknown);
  CHECK(e.unknownSteps == std::vector<std::string>{"Init => largest"});
}
