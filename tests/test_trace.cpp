// Decoding and replay: a trace is shown only if the concrete interpreter re-executes it.
#include <catch2/catch.hpp>

#include "language/load.hpp"
#include "mutations/catalog.hpp"
#include "queries/check.hpp"

using namespace mw;

namespace {
RawTrace rawOf(const Model& m, const Instance& inst, const Trace& t) {
  RawTrace raw;
  raw.states.push_back(t.init);
  for (auto& s : t.steps) {
    raw.actions.push_back(s.action);
    raw.quorums.push_back(std::vector<uint32_t>(m.quorumCount, kFree));
    raw.states.push_back(s.after);
  }
  (void)inst;
  return raw;
}
}  // namespace

TEST_CASE("the two-proposals counterexample: its steps, replayed", "[trace]") {
  CheckRequest req;
  req.inst = {3, 2, 2, 2, 2};
  req.depth = 12;
  req.mutations = {"two-proposals"};
  CheckResult r = runCheck(paxosModel(), req);
  REQUIRE(r.verdict == Verdict::Violated);
  REQUIRE(r.trace);
  auto& steps = r.trace->steps;
  REQUIRE(steps.size() == 9);
  // Whatever the interleaving, the run needs: one 1a, two promises, two 2a in one ballot with
  // different values, and two votes for each value (one acceptor voting twice).
  std::map<std::string, int> counts;
  for (auto& s : steps) counts[r.model.actions[s.action.action].name]++;
  CHECK(counts["Phase1a"] == 1);
  CHECK(counts["Phase1b"] == 2);
  CHECK(counts["Phase2a"] == 2);
  CHECK(counts["Phase2b"] == 4);
  CHECK(r.model.actions[steps[0].action.action].name == "Phase1a");
  for (auto& s : steps)
    if (r.model.actions[s.action.action].name == "Phase2a") {
      CHECK(s.usedQuorum);
      CHECK(s.quorum.size() == 2);
    }
  CHECK(r.violation.find("two different values are chosen") != std::string::npos);
}

TEST_CASE("replay rejects a trace that is not a run of the model", "[trace]") {
  Model m = mutate(paxosModel(), {"two-proposals"});
  Instance inst{3, 2, 2, 2, 2};
  CheckRequest req;
  req.inst = inst;
  req.mutations = {"two-proposals"};
  CheckResult r = runCheck(paxosModel(), req);
  REQUIRE(r.trace);
  Interp in(m, inst);
  auto& inv = m.invariant("agreement")->holds;
  RawTrace good = rawOf(m, inst, *r.trace);
  CHECK_NOTHROW(replay(in, good, inv));

  RawTrace skipped = good;  // drop the first Phase1a: nothing after it is enabled
  skipped.actions.erase(skipped.actions.begin());
  skipped.quorums.erase(skipped.quorums.begin());
  skipped.states.erase(skipped.states.begin() + 1);
  CHECK_THROWS_AS(replay(in, skipped, inv), ReplayError);

  RawTrace wrongState = good;  // the solver claims a state the action does not produce
  wrongState.states[2].f[0] = 1;
  CHECK_THROWS_AS(replay(in, wrongState, inv), ReplayError);

  RawTrace tooShort = good;  // the invariant still holds before the last vote
  tooShort.actions.pop_back();
  tooShort.quorums.pop_back();
  tooShort.states.pop_back();
  CHECK_THROWS_AS(replay(in, tooShort, inv), ReplayError);

  // The original protocol refuses the second proposal.
  Model correct = paxosModel();
  Interp strict(correct, inst);
  CHECK_THROWS_AS(replay(strict, good, inv), ReplayError);
}
