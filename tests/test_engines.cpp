// The SMT engine against the breadth-first one: same verdicts, same shortest lengths. The two
// share only the model, so an encoding bug shows up as a disagreement here.
#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <atomic>
#include <functional>
#include <map>
#include <set>
#include <stdexcept>

#include "model/compiled.hpp"
#include "model/footprint.hpp"
#include "language/load.hpp"
#include "mutations/catalog.hpp"
#include "cli/printers.hpp"
#include "queries/check.hpp"
#include "queries/completeness.hpp"
#include "solver/event_search.hpp"
#include "solver/distance.hpp"
#include "solver/events.hpp"
#include "solver/explicit.hpp"
#include "solver/induction.hpp"
#include "tests/replay.hpp"

using namespace mw;

namespace {
struct Both {
  CheckResult smt;
  ExplicitResult bfs;
};

Both runBoth(Instance inst, std::vector<std::string> mutations, int depth, std::string inv = "agreement",
             bool restarts = false) {
  CheckRequest req;
  req.inst = inst;
  req.depth = depth;
  req.mutations = mutations;
  req.invariant = inv;
  req.engine = "bmc";
  req.restarts = restarts;
  Model paxos = paxosModel();
  CheckResult smt = runCheck(paxos, req);
  Model m = instanceModel(mutate(paxos, mutations), req);
  ExplicitOptions eo;
  eo.maxDepth = depth;
  return {std::move(smt), exploreBreadthFirst(m, inst, inv, eo)};
}
}  // namespace

TEST_CASE("correct Paxos holds to the bound, on both engines", "[engines]") {
  auto [smt, bfs] = runBoth({3, 2, 2, 2, 2}, {}, 12);
  CHECK(smt.verdict == Verdict::Holds);
  CHECK(smt.depthChecked == 12);
  CHECK(bfs.verdict == Verdict::Holds);
}

TEST_CASE("catalog mutations: BMC finds the breadth-first shortest length (n=3, B=2)", "[engines]") {
  // Shortest lengths found by breadth-first search over the same mutated model; the ones that
  // break nothing with two ballots need three (next test).
  const std::vector<std::pair<std::string, int>> expected = {
      {"promise-always", 12}, {"accept-always", 12}, {"any-value", 12},   {"two-proposals", 9},
      {"no-vote-report", 12}, {"q1-minus-one", 10},  {"q2-minus-one", 10}, {"promise-geq", -1},
      {"accept-gt", -1},      {"lowest-vote", -1},   {"no-promise-on-accept", -1}};
  for (auto& [name, length] : expected) {
    INFO(name);
    auto [smt, bfs] = runBoth({3, 2, 2, 2, 2}, {name}, 14);
    CHECK(smt.length == bfs.length);
    CHECK(smt.verdict == bfs.verdict);
    CHECK(smt.length == length);
    if (smt.trace) CHECK(static_cast<int>(smt.trace->steps.size()) == length);
  }
}

TEST_CASE("mutations that need a third ballot: lowest-vote and no-promise-on-accept", "[engines]") {
  for (std::string name : {"lowest-vote", "no-promise-on-accept"}) {
    INFO(name);
    auto [smt, bfs] = runBoth({3, 3, 2, 2, 2}, {name}, 17);
    CHECK(smt.verdict == Verdict::Violated);
    CHECK(bfs.verdict == Verdict::Violated);
    CHECK(smt.length == 17);
    CHECK(bfs.length == 17);
  }
}

TEST_CASE("quorum sizes: violated exactly when q1 + q2 <= n (n=3, B=2)", "[engines]") {
  for (int q1 = 1; q1 <= 3; ++q1)
    for (int q2 = 1; q2 <= 3; ++q2) {
      INFO("q1=" << q1 << " q2=" << q2);
      auto [smt, bfs] = runBoth({3, 2, 2, q1, q2}, {}, 12);
      CHECK(smt.verdict == bfs.verdict);
      CHECK(smt.length == bfs.length);
      CHECK((smt.verdict == Verdict::Violated) == (q1 + q2 <= 3));
    }
}

TEST_CASE("one-value-per-ballot breaks only when a ballot can carry two proposals", "[engines]") {
  auto [ok, okBfs] = runBoth({3, 2, 2, 2, 2}, {}, 10, "one-value-per-ballot");
  CHECK(ok.verdict == Verdict::Holds);
  CHECK(okBfs.verdict == Verdict::Holds);
  auto [bad, badBfs] = runBoth({3, 2, 2, 2, 2}, {"two-proposals"}, 10, "one-value-per-ballot");
  CHECK(bad.verdict == Verdict::Violated);
  CHECK(bad.length == badBfs.length);
  CHECK(bad.length == 7);
}

TEST_CASE("a violation in the initial state is a trace of length 0", "[engines]") {
  // q2 - 1 = 0 acceptors make every value chosen before anything happens.
  auto [smt, bfs] = runBoth({1, 1, 2, 1, 1}, {"q2-minus-one"}, 3);
  CHECK(smt.verdict == Verdict::Violated);
  CHECK(smt.length == 0);
  CHECK(bfs.length == 0);
}

TEST_CASE("a zero time limit gives unknown, never a verdict", "[engines]") {
  CheckRequest req;
  req.inst = {5, 3, 2, 3, 3};
  req.depth = 40;
  req.timeoutSeconds = 0.2;
  req.engine = "bmc";
  CheckResult r = runCheck(paxosModel(), req);
  CHECK(r.verdict == Verdict::Unknown);
  CHECK(r.reason == "time limit");
  CHECK(r.depthChecked < 40);
}

TEST_CASE("completeness threshold 2B(n+1) covers the diameter found by exhaustive search", "[engines]") {
  Model paxos = paxosModel();
  for (int n = 1; n <= 4; ++n)
    for (int b = 1; b <= 3; ++b)
      for (int v = 1; v <= 2; ++v) {
        if (n == 4 && b == 3) continue;  // the largest takes long without adding anything
        for (int q = 1; q <= n; ++q) {
          INFO("n=" << n << " B=" << b << " V=" << v << " q1=q2=" << q);
          Instance inst(n, b, v, q, q);
          ExplicitOptions eo;
          ExplicitResult r = exploreBreadthFirst(paxos, inst, "one-value-per-ballot", eo);
          REQUIRE(r.exhausted);
          int t = completenessThreshold(paxos, inst);
          CHECK(r.depthChecked <= t);
          if (v == 2 && q > n / 2) CHECK(r.depthChecked == t);  // tight with majority quorums
        }
      }
  CHECK(completenessThreshold(mutate(paxos, {"promise-geq"}), Instance(3, 2, 2, 2, 2)) == -1);
}

TEST_CASE("induction: correct Paxos is proved, a mutant gets a replayed CTI", "[engines]") {
  Model paxos = paxosModel();
  Instance inst(3, 3, 2, 2, 2);
  auto ok = proveByInduction(paxos, inst, paxos.invariant("agreement")->holds, 60);
  CHECK(ok.verdict == Verdict::Holds);
  Model any = mutate(paxos, {"any-value"});
  auto cti = proveByInduction(any, inst, any.invariant("agreement")->holds, 60);
  REQUIRE(cti.verdict == Verdict::Violated);
  CHECK(cti.failedStep == "step");
  CHECK(cti.conjunct == "2a.safe");
  CHECK(any.actions[cti.action->action].name == "Phase2a");
  // Quorums that need not intersect: Inv no longer implies agreement.
  auto loose = proveByInduction(paxos, Instance(3, 3, 2, 1, 2), paxos.invariant("agreement")->holds, 60);
  CHECK(loose.verdict == Verdict::Violated);
  // The Flexible Paxos grid is proved with its listed quorums.
  Instance grid(4, 3, 2, 0, 0);
  grid.quorumSets = {{0b0011, 0b1100}, {0b0101, 0b1010}};
  CHECK(proveByInduction(paxos, grid, paxos.invariant("agreement")->holds, 60).verdict == Verdict::Holds);
}

TEST_CASE("the whole catalog at n=3, B=3: both engines agree on verdict and shortest length", "[engines][slow]") {
  for (auto& mu : paxosModel().catalog) {
    INFO(mu.name);
    bool forgets = mu.changes[0].kind == CatalogChange::Kind::Forget;  // lost only on a restart
    auto [smt, bfs] = runBoth({3, 3, 2, 2, 2}, {mu.name}, 17, "agreement", forgets);
    CHECK(smt.verdict == bfs.verdict);
    CHECK(smt.length == bfs.length);
  }
}

TEST_CASE("restarts: Paxos holds with every acceptor state on disk, and each forgotten state breaks it", "[engines]") {
  // Both engines, each with the Restart action (model/faults.hpp): the same verdict and length.
  auto [ok, okBfs] = runBoth({3, 2, 2, 2, 2}, {}, 14, "agreement", true);
  CHECK(ok.verdict == Verdict::Holds);
  CHECK(okBfs.verdict == Verdict::Holds);
  for (std::string name : {"forget-maxBal", "forget-maxVBal", "forget-vote"}) {
    INFO(name);
    auto [smt, bfs] = runBoth({3, 2, 2, 2, 2}, {name}, 14, "agreement", true);
    CHECK(smt.verdict == Verdict::Violated);
    CHECK(smt.length == bfs.length);
    bool restarted = false;
    for (auto& st : smt.trace->steps) restarted = restarted || smt.model.actions[st.action.action].name == "Restart";
    CHECK(restarted);
    // Without restarts the same mutant breaks nothing: the state is never lost.
    auto [calm, calmBfs] = runBoth({3, 2, 2, 2, 2}, {name}, 14);
    CHECK(calm.verdict == Verdict::Holds);
  }
}

TEST_CASE("parallel steps: the catalog at n=3, B=2 gets the breadth-first shortest length", "[engines][parallel]") {
  // Several independent actions per step, then fewer actions by cardinality bounds; the trace
  // is reported as single actions and replayed like every other.
  const std::vector<std::pair<std::string, int>> expected = {
      {"promise-always", 12}, {"two-proposals", 9}, {"q1-minus-one", 10}, {"q2-minus-one", 10}, {"promise-geq", -1}};
  Model paxos = paxosModel();
  for (auto& [name, length] : expected) {
    INFO(name);
    CheckRequest req;
    req.inst = {3, 2, 2, 2, 2};
    req.depth = 14;
    req.mutations = {name};
    req.engine = "parallel";
    CheckResult r = runCheck(paxos, req);
    CHECK(r.length == length);
    CHECK(r.verdict == (length < 0 ? Verdict::Holds : Verdict::Violated));
    if (r.trace) {
      CHECK(r.shortest);
      CHECK(static_cast<int>(r.trace->steps.size()) == length);
    }
  }
}

TEST_CASE("acceptor symmetry by sorted blocks counts the same orbits as trying every permutation", "[engines]") {
  // 17,153 orbits at n=3, B=3 (of Paxos.tla's 185,369 states) was measured with every
  // permutation; sorting acceptor blocks must give exactly the same count.
  Model paxos = paxosModel();
  ExplicitOptions eo;
  eo.dropSpent = false;  // the orbits of Paxos.tla's states, every message kept
  ExplicitResult r = exploreBreadthFirst(paxos, {3, 3, 2, 2, 2}, "agreement", eo);
  CHECK(r.exhausted);
  CHECK(r.symmetryProcesses);
  CHECK(r.states == 17153);
}

TEST_CASE("acceptor symmetry past six acceptors: two-proposals at n=7, B=3 is found shortest", "[engines]") {
  // n=7: 1 Phase1a, 4 Phase1b, two Phase2a, 4 + 4 Phase2b (one acceptor votes twice).
  Model m = mutate(paxosModel(), {"two-proposals"});
  ExplicitOptions eo;
  eo.maxDepth = 16;
  ExplicitResult r = exploreBreadthFirst(m, {7, 3, 2, 4, 4}, "agreement", eo);
  CHECK(r.symmetryProcesses);
  CHECK(r.verdict == Verdict::Violated);
  CHECK(r.length == 15);
}

TEST_CASE("best-first search: exact lower bound where a ballot carries one 2a, and a bound that drops", "[engines]") {
  Model paxos = paxosModel();
  Instance inst(3, 2, 2, 2, 2);
  ExplicitOptions eo;
  eo.bound = 20;
  // Two values chosen need two ballots' full rounds (1a, q1 1b, 2a, q2 2b) when one ballot
  // cannot carry two proposals: the bound sees that the two 2a messages exclude each other.
  Model always = mutate(paxos, {"promise-always"});
  ExplicitResult r = exploreBreadthFirst(always, inst, "agreement", eo);
  REQUIRE(r.verdict == Verdict::Violated);
  CHECK(r.length == 12);
  CHECK(r.shortest);
  CHECK(r.initialBound == 12);
  // Where one ballot may carry two proposals, the bound shares that ballot's phase 1.
  Model two = mutate(paxos, {"two-proposals"});
  ExplicitResult t = exploreBreadthFirst(two, inst, "agreement", eo);
  REQUIRE(t.verdict == Verdict::Violated);
  CHECK(t.length == 9);
  CHECK(t.initialBound == 9);
  // Another engine's violation of 12 actions lowers the bound to 11: the search then proves
  // that nothing shorter exists, which makes that violation a shortest one.
  std::atomic<int> live{11};
  eo.liveBound = &live;
  ExplicitResult below = exploreBreadthFirst(always, inst, "agreement", eo);
  CHECK(below.verdict == Verdict::Holds);
  CHECK(below.depthChecked == 11);
  live = 12;
  ExplicitResult at = exploreBreadthFirst(always, inst, "agreement", eo);
  CHECK(at.verdict == Verdict::Violated);
  CHECK(at.length == 12);
}

namespace {
// Breadth-first over parallel steps on concrete states: level k+1 holds the states first
// reached from level k by firing a nonempty set of pairwise independent enabled actions.
// Returns the last nonempty level: the number of parallel steps that reaches every state.
int parallelDiameter(const Model& m, const Instance& in) {
  Interp interp(m, in);
  auto grounds = groundActions(m, in);
  auto fps = footprints(m, in, grounds);
  std::set<std::pair<std::vector<int>, std::vector<char>>> seen;
  std::vector<State> level{interp.init()};
  seen.insert({level[0].f, level[0].r});
  int depth = 0;
  for (;; ++depth) {
    std::vector<State> next;
    for (const State& s : level) {
      std::vector<size_t> on;
      std::vector<uint32_t> q;
      for (size_t g = 0; g < grounds.size(); ++g)
        if (interp.enabled(s, grounds[g], q)) on.push_back(g);
      std::vector<size_t> chosen;
      // Every independent subset, applied in any order (independent actions commute).
      std::function<void(size_t, const State&)> pick = [&](size_t i, const State& cur) {
        if (i == on.size()) {
          if (!chosen.empty() && seen.insert({cur.f, cur.r}).second) next.push_back(cur);
          return;
        }
        pick(i + 1, cur);
        for (size_t c : chosen)
          if (dependent(fps[c], fps[on[i]])) return;
        chosen.push_back(on[i]);
        pick(i + 1, interp.apply(cur, grounds[on[i]]));
        chosen.pop_back();
      };
      pick(0, s);
    }
    if (next.empty()) return depth;
    level = std::move(next);
  }
}
}  // namespace

TEST_CASE("completeness threshold of parallel steps 3B+1 covers the parallel diameter", "[engines][parallel]") {
  Model paxos = paxosModel();
  for (int n = 1; n <= 3; ++n)
    for (int b = 1; b <= (n < 3 ? 3 : 2); ++b)
      for (int q = 1; q <= n; ++q) {
        Instance inst(n, b, 2, q, q);
        INFO("n=" << n << " B=" << b << " q=" << q);
        int t = parallelCompletenessThreshold(paxos, inst);
        CHECK(t == 3 * b + 1);
        int d = parallelDiameter(paxos, inst);
        CHECK(d <= t);
        if (q > n / 2) CHECK(d == t);  // tight with majority quorums
      }
  CHECK(parallelCompletenessThreshold(mutate(paxos, {"accept-always"}), Instance(3, 2, 2, 2, 2)) == -1);
}

TEST_CASE("event-order query: the third-ballot mutants' exact shortest lengths at n=3, B=3", "[engines]") {
  // 17 actions: one vote for v2 in ballot 0, then two full ballots (see the third-ballot case
  // above); the query finds nothing within 16 and a replayable run within 17.
  Instance in(3, 3, 2, 2, 2);
  for (const char* mut : {"lowest-vote", "no-promise-on-accept"}) {
    INFO(mut);
    Model m = mutate(paxosModel(), {mut});
    const Expr& agreement = m.invariant("agreement")->holds;
    REQUIRE(eventsApplicable(m, in).empty());
    REQUIRE(violationWithin(m, in, agreement, 16, {}).verdict == Verdict::Holds);
    EventsResult r = violationWithin(m, in, agreement, 17, {});
    REQUIRE(r.verdict == Verdict::Violated);
    REQUIRE(r.path.size() == 17);
    requireBreaks(m, in, agreement, r.path);
  }
}

TEST_CASE("event search: a run found is cut to the actions its violation needs", "[engines]") {
  // The 17-action lowest-vote run with a Phase1a(b=0) added at the start, in the middle and at
  // the end (proposing ballot 0 again sends nothing new): cut back to 17 actions, still a run
  // that breaks agreement.
  Model m = mutate(paxosModel(), {"lowest-vote"});
  Instance in(3, 3, 2, 2, 2);
  const Expr& agreement = m.invariant("agreement")->holds;
  EventsResult r = violationWithin(m, in, agreement, 17, {});
  REQUIRE(r.verdict == Verdict::Violated);
  REQUIRE(r.path.size() == 17);
  int phase1a = -1;
  for (size_t a = 0; a < m.actions.size(); ++a)
    if (m.actions[a].name == "Phase1a") phase1a = static_cast<int>(a);
  Ground again{phase1a, {0}};
  std::vector<Ground> padded = r.path;
  padded.insert(padded.begin() + 9, again);
  padded.insert(padded.begin(), again);
  padded.push_back(again);
  Interp interp(m, in);
  std::vector<Ground> cut = dropUnneeded(interp, agreement, padded);
  REQUIRE(cut.size() == 17);
  requireBreaks(m, in, agreement, cut);
}

TEST_CASE("check: a trace not proven shortest says which shorter runs were ruled out", "[engines]") {
  // --engine events stopped (as by Ctrl-C) right after its first find: the trace is not proven
  // shortest, and the report gives what the lower bound of the initial state rules out.
  Model m = mutate(paxosModel(), {"lowest-vote"});
  Instance in(3, 3, 2, 2, 2);
  std::atomic<bool> stop{false};
  CheckRequest req;
  req.inst = in;
  req.depth = 30;
  req.engine = "events";
  req.stop = &stop;
  req.progress = [&](const std::string& line) {
    if (line.rfind("event order: a violation", 0) == 0) stop = true;
  };
  CheckResult r = checkModel(m, req);
  int bound = Distance(m, in, m.invariant("agreement")->holds)(Interp(m, in).init());
  REQUIRE(bound > 1);
  REQUIRE(r.verdict == Verdict::Violated);
  REQUIRE(r.length >= 17);
  REQUIRE_FALSE(r.shortest);
  REQUIRE(r.depthChecked == bound - 1);
  REQUIRE_THAT(textReport(r), Catch::Contains(fmt::format(
                                  "breaks after {} actions (not proven shortest: interrupted before shorter runs were "
                                  "ruled out; none of at most {} actions breaks it)",
                                  r.length, bound - 1)));
}

TEST_CASE("auto in a many-check run keeps its time limit on a protocol of many ground actions", "[engines]") {
  // Raft's default instance (some 15,750 ground actions): a parallel-BMC context of it took Z3
  // 4.8 minutes to free, and a mutant's check with --timeout 60 took 308 s. mutants and sweep
  // (a Z3 delay) now race the state search alone there.
  Instance raft;
  raft.ordered = {3, 2, 3};
  raft.quorums = {2, 2};
  CheckRequest req;
  req.inst = raft;
  req.depth = 24;
  req.timeoutSeconds = 3;
  req.z3DelaySeconds = 2;
  req.mutations = {"no-truncate"};
  CheckResult r = checkModel(loadProtocol("raft"), req);
  CHECK(r.verdict == Verdict::Unknown);
  CHECK(r.answeredBy == "explicit, best-first");
  CHECK(r.seconds < 10);
}

TEST_CASE("event-order query: a model that writes two acceptors' state is refused, auto falls back", "[engines]") {
  // Phase2b(a) raising maxBal of acceptor a1 instead of its own: one action, two owners.
  Model m = mutate(paxosModel(), {"two-proposals"});
  for (auto& a : m.actions)
    if (a.name == "Phase2b") a.updates[0].args[0] = constant(0);
  Instance in(3, 2, 2, 2, 2);
  REQUIRE(eventsApplicable(m, in) == "Phase2b reads or writes the state of more than one process");
  REQUIRE(violationWithin(m, in, m.invariant("agreement")->holds, 9, {}).verdict == Verdict::Unknown);
  CheckRequest req;
  req.inst = in;
  req.depth = 12;
  CheckResult r = checkModel(m, req);
  req.engine = "explicit";
  CheckResult bfs = checkModel(m, req);
  REQUIRE(r.verdict == Verdict::Violated);
  REQUIRE(r.length == bfs.length);
}

TEST_CASE("Multi-Paxos: explicit, BMC and event order get the same shortest length on every catalog mutation", "[engines][protocol]") {
  // n = 3, B = 2, two slots; forget-vote with restarts, the others without.
  Model mp = loadProtocol("multi-paxos");
  REQUIRE(mp.catalog.size() == 8);
  for (auto& entry : mp.catalog) {
    INFO(entry.name);
    if (entry.name == "latest-slot-only") {
      // Needs a third ballot (an acceptor's newer vote in another slot hides the one that chose),
      // where BMC takes minutes: the explicit engine alone here; event order and BMC gave 17 too.
      CheckRequest req;
      req.inst = Instance(3, 3, 2, 2, 2);
      req.inst.ordered = {3, 2};
      req.depth = 17;
      req.mutations = {entry.name};
      req.engine = "explicit";
      CheckResult r = runCheck(mp, req);
      CHECK(r.verdict == Verdict::Violated);
      CHECK(r.length == 17);
      continue;
    }
    CheckRequest req;
    req.inst = Instance(3, 2, 2, 2, 2);
    req.inst.ordered = {2, 2};  // ballots, slots
    req.depth = 14;
    req.mutations = {entry.name};
    req.restarts = entry.changes[0].kind == CatalogChange::Kind::Forget;
    int length = -2;
    // (parallel BMC agrees too, but takes 2 to 11 s a mutation here: bench/figures measures it)
    for (std::string engine : {"explicit", "bmc", "events"}) {
      INFO(engine);
      req.engine = engine;
      CheckResult r = runCheck(mp, req);
      CHECK(r.verdict == Verdict::Violated);
      CHECK(r.shortest);
      if (length == -2) length = r.length;
      CHECK(r.length == length);
    }
  }
}

TEST_CASE("Fast Paxos: explicit and event order get the same shortest length on every catalog mutation, BMC on the short ones", "[engines][protocol]") {
  // n = 3 with q1 = 3, q2c = 1, q2f = 2 (Lamport's condition holds) and rounds 0 and 1 fast: the
  // instance where every catalog mutation breaks agreement.
  Model fp = loadProtocol("fast-paxos");
  REQUIRE(fp.catalog.size() == 8);
  Instance everyMutationBreaks(3, 3, 2, 3, 1);
  everyMutationBreaks.quorums = {3, 1, 2};
  everyMutationBreaks.subsets = {{0, 1}};
  std::map<std::string, int> lengths;
  for (auto& entry : fp.catalog) {
    INFO(entry.name);
    CheckRequest req;
    req.inst = everyMutationBreaks;
    req.depth = 24;
    req.mutations = {entry.name};
    int length = -2;
    std::vector<std::string> engines = {"explicit", "events"};
    if (entry.name == "q2f-minus-one" || entry.name == "vote-twice" || entry.name == "any-without-phase1") engines.push_back("bmc");
    for (auto& engine : engines) {
      INFO(engine);
      req.engine = engine;
      CheckResult r = runCheck(fp, req);
      CHECK(r.verdict == Verdict::Violated);
      CHECK(r.shortest);
      if (length == -2) length = r.length;
      CHECK(r.length == length);
    }
    lengths[entry.name] = length;
  }
  CHECK(lengths == std::map<std::string, int>{{"recover-any", 16}, {"recover-as-classic", 16}, {"q2f-minus-one", 9},
                                              {"vote-twice", 11}, {"any-without-phase1", 8}, {"any-after-votes", 16},
                                              {"q1-minus-one", 14}, {"not-highest", 22}});
  // Unmutated, it holds at that instance for every run, and its inductive invariant proves it.
  CheckRequest req;
  req.inst = everyMutationBreaks;
  req.depth = 100;
  req.engine = "explicit";
  CheckResult all = runCheck(fp, req);
  CHECK(all.verdict == Verdict::Holds);
  CHECK(all.exhausted);
  req.engine = "induction";
  CheckResult proof = runCheck(fp, req);
  CHECK(proof.verdict == Verdict::Holds);
}

TEST_CASE("the dependence matrix, built by cell, is dependent() on every pair", "[engines][parallel]") {
  // Paxos (every pair) and Raft with two terms and logs of two entries (5,478 ground actions;
  // every pair of one row in fifty).
  std::vector<std::pair<Model, Instance>> cases;
  cases.emplace_back(paxosModel(), Instance(3, 3, 2, 2, 2));
  Instance raft;
  raft.ordered = {2, 2, 3};  // terms, log indices, and the enum of roles
  raft.quorums = {2, 2};
  cases.emplace_back(loadProtocol("raft"), raft);
  for (auto& [m, in] : cases) {
    auto grounds = groundActions(m, in);
    auto fps = footprints(m, in, grounds);
    auto dep = dependenceMatrix(fps);
    REQUIRE(dep.size() == grounds.size());
    size_t stride = grounds.size() > 2000 ? 50 : 1, wrong = 0, pairs = 0;
    for (size_t x = 0; x < grounds.size(); x += stride)
      for (size_t y = 0; y < grounds.size(); ++y, ++pairs)
        wrong += (dep[x][y] != 0) != (x == y || dependent(fps[x], fps[y]));
    INFO(m.name << ": " << grounds.size() << " ground actions, " << pairs << " pairs");
    CHECK(wrong == 0);
  }
}

namespace {
int invariantIndex(const Model& m, const std::string& name) {
  for (size_t i = 0; i < m.invariants.size(); ++i)
    if (m.invariants[i].name == name) return static_cast<int>(i);
  throw std::invalid_argument("no invariant " + name);
}
}  // namespace

TEST_CASE("spent messages: which state only grows, and which messages no action can read again", "[engines]") {
  // Paxos: every write of maxBal is guarded by b > maxBal[a] or b >= maxBal[a]. A 1a of ballot b
  // is read only by Phase1b(a, b), whose guard b > maxBal[a] is false for good once a promised b:
  // the three 1a messages can be spent. A 1b cannot (Phase2a reads no acceptor state), a 2a
  // neither (Phase2a also reads it negated: one proposal a ballot), nor a 2b (agreement reads it).
  Model paxos = paxosModel();
  Instance in(3, 3, 2, 2, 2);
  Compiled c(paxos, in);
  c.prepareSpent(invariantIndex(paxos, "agreement"));
  CHECK(c.monotone()[paxos.func("maxBal")]);
  CHECK_FALSE(c.monotone()[paxos.func("maxVal")]);
  CHECK(c.spentCells() == 3);
  // A restart that forgets maxBal lowers it: nothing is spent then.
  CheckRequest req;
  req.inst = in;
  req.restarts = true;
  req.mutations = {"forget-maxBal"};
  Model forget = instanceModel(mutate(paxos, req.mutations), req);
  Compiled f(forget, in);
  f.prepareSpent(invariantIndex(forget, "agreement"));
  CHECK_FALSE(f.monotone()[forget.func("maxBal")]);
  CHECK(f.spentCells() == 0);
  // Raft: terms only grow; votedFor, role and commitIndex do not.
  CheckRequest rr;
  rr.inst.ordered = {2, 1, 3};
  Model raft = instanceModel(loadProtocol("raft"), rr);
  Compiled r(raft, rr.inst);
  r.prepareSpent(invariantIndex(raft, "log-matching"));
  CHECK(r.monotone()[raft.func("currentTerm")]);
  CHECK_FALSE(r.monotone()[raft.func("votedFor")]);
  CHECK_FALSE(r.monotone()[raft.func("role")]);
  CHECK_FALSE(r.monotone()[raft.func("commitIndex")]);
  CHECK(r.spentCells() > 0);
}

TEST_CASE("spent messages: breadth-first search finds the same shortest runs in fewer states", "[engines]") {
  // Raft at n = 3, two terms (as the cli's catalog test), and every run of the unmutated protocol.
  Model raft = loadProtocol("raft");
  struct Case {
    std::vector<std::string> mutations;
    const char* inv;
    int length;  // Raft: -1, holds for every run
    int entries;
  };
  const Case cases[] = {
      {{}, "state-machine-safety", -1, 1},
      {{"two-votes"}, "election-safety", 6, 1},
      {{"leader-overwrites"}, "log-matching", 7, 1},
      {{"commit-minus-one"}, "leader-completeness", 8, 1},
      {{"vote-without-log-check"}, "leader-completeness", 10, 1},
      {{"no-prev-check"}, "log-matching", 7, 2},
  };
  for (const Case& c : cases) {
    INFO((c.mutations.empty() ? "raft" : c.mutations[0]) << " " << c.inv);
    CheckRequest req;
    req.inst.ordered = {2, c.entries, 3};
    req.mutations = c.mutations;
    const Instance& in = req.inst;
    Model m = instanceModel(mutate(raft, c.mutations), req);
    ExplicitOptions keep, drop;
    keep.dropSpent = false;
    ExplicitResult all = exploreBreadthFirst(m, in, c.inv, keep);
    ExplicitResult fewer = exploreBreadthFirst(m, in, c.inv, drop);
    CHECK(fewer.spentDropped);
    CHECK_FALSE(all.spentDropped);
    CHECK(fewer.verdict == all.verdict);
    CHECK(fewer.length == all.length);
    CHECK(fewer.states < all.states);
    if (c.length < 0) {
      CHECK(all.exhausted);
      CHECK(fewer.exhausted);
    } else {
      CHECK(fewer.length == c.length);
      requireBreaks(m, in, m.invariant(c.inv)->holds, fewer.path);  // a run of the protocol, every message kept
    }
  }
}
