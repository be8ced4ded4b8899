// Mutation operators on a small protocol written for the test, equivalence detection, and the
// mutants run on Paxos: deterministic across worker counts.
#include <catch2/catch.hpp>
#include <set>

#include "language/load.hpp"
#include "mutations/equivalence.hpp"
#include "mutations/operators.hpp"
#include "queries/mutants.hpp"

using namespace mw;

namespace {
// A lease protocol: an acceptor grants epoch b if b is newer than what it granted and saw; a
// decision needs a quorum of grants and re-decides the value of the freshest decision heard.
Model leaseModel(bool redundantGuard) {
  const Sort Acc{Role::Process, false}, Bal{Role::Ordered, false}, BalN{Role::Ordered, true}, Val{Role::Symmetric, false};
  Model m;
  m.name = "lease";
  m.sorts = {{"acceptor", Acc, std::nullopt, "", "", {}}, {"epoch", Bal, std::nullopt, "", "", {}}, {"value", Val, std::nullopt, "", "", {}}};
  m.systems = {{"grants", std::nullopt, "", ""}};
  m.funcs = {{"epoch", {Acc}, BalN, kNone, false}, {"seen", {Acc}, BalN, kNone, false}};
  m.rels = {{"grant", {"acc", "bal"}, {Acc, Bal}, {}}, {"decide", {"bal", "val"}, {Bal, Val}, {}}};
  auto read = [&](const char* f, Expr a) {
    Expr e;
    e.kind = Kind::Read;
    e.ref = m.func(f);
    e.kids = {std::move(a)};
    return e;
  };
  auto sent = [&](const char* r, std::vector<Expr> k) {
    Expr e;
    e.kind = Kind::Sent;
    e.ref = m.rel(r);
    e.kids = std::move(k);
    return e;
  };
  std::vector<Expr> grantGuard = {named("Grant.newer", cmp(Op::Gt, var(1), read("epoch", var(0)))),
                                  named("Grant.seen", cmp(Op::Ge, var(1), read("seen", var(0))))};
  if (redundantGuard) grantGuard.push_back(named("Grant.again", cmp(Op::Ge, var(1), read("epoch", var(0)))));
  m.actions.push_back({"Grant",
                       {{"a", Acc}, {"b", Bal}},
                       grantGuard,
                       {Update{Update::Kind::Assign, m.func("epoch"), {var(0)}, var(1), "Grant.set-epoch", {}},
                        Update{Update::Kind::Assign, m.func("seen"), {var(0)}, var(1), "Grant.set-seen", {}},
                        Update{Update::Kind::Send, m.rel("grant"), {var(0), var(1)}, {}, "Grant.send", {}}}});
  // Decide(b, v): a quorum granted b; v is free unless an older decision exists, then the
  // newest older decision's value.
  Expr granted = named("Decide.granted", forall(2, Acc, implies(inQuorum(var(2)), sent("grant", {var(2), var(0)}))));
  Expr none = named("Decide.fresh", neg(exists(3, Bal, conj({cmp(Op::Lt, var(3), var(0)), exists(4, Val, sent("decide", {var(3), var(4)}))}))));
  Expr newest = exists(3, Bal, conj({cmp(Op::Lt, var(3), var(0)), sent("decide", {var(3), var(1)}),
                                     forall(5, Bal, forall(4, Val, implies(conj({cmp(Op::Lt, var(5), var(0)), sent("decide", {var(5), var(4)})}),
                                                                           named("Decide.newest", cmp(Op::Ge, var(3), var(5))))))}));
  m.actions.push_back({"Decide",
                       {{"b", Bal}, {"v", Val}},
                       {named("Decide.quorum", quorum(1, conj({granted, named("Decide.pick", disj({none, newest}))})))},
                       {Update{Update::Kind::Send, m.rel("decide"), {var(0), var(1)}, {}, "Decide.send", {}}}});
  m.invariants.push_back({"agreement", "one decided value",
                          forall(0, Bal, forall(1, Bal, forall(2, Val, forall(3, Val,
                              implies(conj({sent("decide", {var(0), var(2)}), sent("decide", {var(1), var(3)})}),
                                      cmp(Op::Eq, var(2), var(3)))))))});
  m.choiceRules.push_back({"Decide.choice", "Decide.newest", "Decide.pick", "Decide re-decides the oldest older value",
                           "Decide decides any value"});
  m.finish();
  return m;
}

std::set<std::string> ids(const std::vector<Mutant>& ms) {
  std::set<std::string> out;
  for (auto& m : ms) out.insert(m.id);
  return out;
}
}  // namespace

TEST_CASE("operators: comparison replaces each comparison by the five others", "[mutants]") {
  auto ms = generateMutants(leaseModel(false), {"comparison"});
  // Comparisons: Grant.newer, Grant.seen, two `x3 < b` in Decide, one `x5 < b`, Decide.newest.
  CHECK(ms.size() == 6 * 5);
  auto all = ids(ms);
  for (auto op : {"<", "<=", ">=", "=", "!="}) CHECK(all.count(std::string("Grant.newer:") + op));
  CHECK_FALSE(all.count("Grant.newer:>"));
  for (auto& m : ms) CHECK(m.op == "comparison");
}

TEST_CASE("operators: weaken drops each conjunct, update drops each assignment", "[mutants]") {
  auto weak = ids(generateMutants(leaseModel(false), {"weaken"}));
  CHECK(weak.count("Grant.newer:drop"));
  CHECK(weak.count("Grant.seen:drop"));
  CHECK(weak.count("Decide.quorum:drop"));
  CHECK(weak.count("Decide.granted:drop"));
  CHECK(weak.count("Decide.pick:drop"));
  auto upd = ids(generateMutants(leaseModel(false), {"update"}));
  CHECK(upd == std::set<std::string>{"Grant.set-epoch:drop", "Grant.set-seen:drop"});  // sends are not assignments
}

TEST_CASE("operators: variable replacement, quorum sizes, choice rule", "[mutants]") {
  auto var = generateMutants(leaseModel(false), {"variable"});
  auto v = ids(var);
  CHECK(v == std::set<std::string>{"Grant.newer{epoch[a]}:epoch->seen", "Grant.seen{seen[a]}:seen->epoch"});
  auto q = generateMutants(leaseModel(false), {"quorum"});
  REQUIRE(q.size() == 1);
  CHECK(q[0].id == "quorum.grants:-1");
  CHECK(q[0].model.quorumDelta == std::vector<int>{-1});
  auto c = ids(generateMutants(leaseModel(false), {"choice"}));
  CHECK(c == std::set<std::string>{"Decide.choice:lowest", "Decide.choice:any"});
  CHECK_THROWS_AS(generateMutants(leaseModel(false), {"nonsense"}), std::invalid_argument);
}

TEST_CASE("equivalence: a redundant conjunct and its rewrites are detected", "[mutants]") {
  Model m = leaseModel(true);
  Instance inst(2, 2, 2, 2, 2);
  auto ms = generateMutants(m, {"comparison", "weaken"});
  auto eq = findEquivalents(m, ms, inst);
  auto find = [&](const std::string& id) {
    for (size_t i = 0; i < ms.size(); ++i)
      if (ms[i].id == id) return static_cast<int>(i);
    FAIL("no mutant " << id);
    return -1;
  };
  // b > epoch implies b >= epoch: dropping the second, or making it b > epoch, changes nothing.
  CHECK(eq[find("Grant.again:drop")] == kSameAsOriginal);
  CHECK(eq[find("Grant.again:>")] == kSameAsOriginal);
  // Dropping the strict one leaves b >= epoch: a real change, and the same one as making it >=.
  CHECK(eq[find("Grant.newer:>=")] == kDistinct);
  CHECK(eq[find("Grant.newer:drop")] == find("Grant.newer:>="));
  // Two ways to the same guard are reported once: "b <= epoch and b > epoch" is never true,
  // and neither is "b = epoch and b > epoch".
  int le = find("Grant.again:<="), same = find("Grant.again:=");
  auto representative = [&](int i) {
    while (i >= 0 && eq[i] >= 0) i = eq[i];
    return i;
  };
  CHECK(eq[le] != kDistinct);
  CHECK(eq[same] != kDistinct);
  CHECK(representative(le) == representative(same));
  CHECK(sameTransitions(m, m, inst));
  CHECK_FALSE(sameTransitions(m, ms[find("Grant.newer:drop")].model, inst));
}

TEST_CASE("equivalence: what a mutant changes, for the comparison and the proof that rely on it", "[mutants]") {
  Model m = paxosModel();
  auto ms = generateMutants(m);
  auto scope = [&](const std::string& id) {
    for (auto& x : ms)
      if (x.id == id) return scopeOf(m, x.model);
    FAIL("no mutant " << id);
    return MutantScope{};
  };
  int phase2b = -1;
  for (size_t a = 0; a < m.actions.size(); ++a)
    if (m.actions[a].name == "Phase2b") phase2b = static_cast<int>(a);
  CHECK_FALSE(scope("Phase2b.accept:>").global);
  CHECK(scope("Phase2b.accept:>").actions == std::vector<int>{phase2b});
  // A quorum size and what a restart keeps are read by every action and invariant.
  CHECK(scope("quorum.q1:-1").global);
  CHECK(scope("maxBal:forget").global);
  CHECK(scopeOf(m, m).actions.empty());
}

TEST_CASE("mutants on Paxos: catalog aliases, verdicts, and the same table for 1 and 2 jobs", "[mutants]") {
  MutantsRequest req;
  req.check.inst = Instance(3, 2, 2, 2, 2);
  req.check.depth = 16;
  req.jobs = 1;
  MutantsResult one = runMutants(paxosModel(), req);
  req.jobs = 2;
  MutantsResult two = runMutants(paxosModel(), req);
  REQUIRE(one.rows.size() == two.rows.size());
  auto r1 = ranked(one), r2 = ranked(two);
  for (size_t i = 0; i < r1.size(); ++i) {
    INFO(r1[i]->id);
    CHECK(r1[i]->id == r2[i]->id);
    CHECK(r1[i]->verdict == r2[i]->verdict);
    CHECK(r1[i]->length == r2[i]->length);
    CHECK(r1[i]->equivalentTo == r2[i]->equivalentTo);
  }
  auto row = [&](const std::string& id) -> const MutantRow& {
    for (auto& r : one.rows)
      if (r.id == id) return r;
    FAIL("no row " << id);
    return one.rows[0];
  };
  CHECK(row("Phase2a.one-proposal:drop").aliases == std::vector<std::string>{"two-proposals"});
  CHECK(row("Phase2a.one-proposal:drop").length == 9);
  CHECK(row("quorum.q1:-1").length == 10);
  CHECK(row("Phase1b.promise:drop").length == 12);
  CHECK(row("Phase1b.promise:>=").verdict == Verdict::Holds);
  // A survivor proved by induction: the protocol's own proof, done once, covers the actions it
  // leaves as they are, and only the one it changes is asked again.
  CHECK(row("Phase2b.accept:>").verdict == Verdict::Holds);
  CHECK(row("Phase2b.accept:>").everyRun);
  CHECK(row("Phase2b.accept:>").engine == "induction");
  CHECK(row("Phase2b.accept:>").changedOnly);
  CHECK(row("Phase2a.choice:any").equivalentTo == "Phase2a.pick-highest:drop");
  for (auto& r : one.rows)
    if (r.verdict == Verdict::Violated) {
      CHECK(r.result->trace->steps.size() == static_cast<size_t>(r.length));
      CHECK_FALSE(r.why.empty());
    }
}
