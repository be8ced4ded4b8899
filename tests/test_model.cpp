// The model language, the Paxos model and the interpreter, without any solver.
#include <catch2/catch.hpp>

#include "model/interp.hpp"
#include "language/load.hpp"
#include "mutations/catalog.hpp"

using namespace mw;

namespace {
Ground act(const Model& m, const std::string& name, std::vector<int> params) {
  for (size_t i = 0; i < m.actions.size(); ++i)
    if (m.actions[i].name == name) return {static_cast<int>(i), std::move(params)};
  FAIL("no action " << name);
  return {};
}
bool enabled(const Interp& in, const State& s, const Ground& g) {
  std::vector<uint32_t> q;
  return in.enabled(s, g, q);
}
}  // namespace

TEST_CASE("layout indexes every cell once and inverts", "[model]") {
  Model m = paxosModel();
  Instance in{3, 3, 2, 2, 2};
  Layout L(m, in);
  CHECK(L.funcCells == 3 * 3);                       // three functions over 3 acceptors
  CHECK(L.relCells == 3 + 3 * 3 * 4 * 3 + 3 * 2 + 3 * 3 * 2);
  int r = m.rel("1b");
  for (auto& t : tuples(in, m.rels[r].sorts)) CHECK(L.relFields(r, L.relIndex(r, t)) == t);
  CHECK(L.relOf(L.relIndex(r, {2, 1, -1, -1})) == r);
}

TEST_CASE("Paxos actions follow Paxos.tla on concrete states", "[model]") {
  Model m = paxosModel();
  Instance inst{3, 2, 2, 2, 2};
  Interp in(m, inst);
  const Layout& L = in.layout();
  State s = in.init();
  CHECK(s.f[L.funcIndex(m.func("maxBal"), {0})] == -1);

  // An acceptor cannot promise a ballot nobody started.
  CHECK_FALSE(enabled(in, s, act(m, "Phase1b", {0, 1})));
  s = in.apply(s, act(m, "Phase1a", {1}));
  REQUIRE(enabled(in, s, act(m, "Phase1b", {0, 1})));
  s = in.apply(s, act(m, "Phase1b", {0, 1}));
  CHECK(s.f[L.funcIndex(m.func("maxBal"), {0})] == 1);
  CHECK(s.r[L.relIndex(m.rel("1b"), {0, 1, -1, -1})] == 1);
  // The promise is strict: ballot 1 again is refused.
  CHECK_FALSE(enabled(in, s, act(m, "Phase1b", {0, 1})));

  // Phase2a needs q1 = 2 promises.
  CHECK_FALSE(enabled(in, s, act(m, "Phase2a", {1, 0})));
  s = in.apply(s, act(m, "Phase1b", {2, 1}));
  std::vector<uint32_t> q;
  REQUIRE(in.enabled(s, act(m, "Phase2a", {1, 0}), q));
  CHECK(q[0] == 0b101u);  // the smallest quorum that works: a1 and a3
  s = in.apply(s, act(m, "Phase2a", {1, 0}));
  // One 2a per ballot.
  CHECK_FALSE(enabled(in, s, act(m, "Phase2a", {1, 1})));
  // An acceptor that promised ballot 1 does not vote in ballot 0, but votes in ballot 1.
  CHECK(enabled(in, s, act(m, "Phase2b", {0, 1, 0})));
  CHECK(enabled(in, s, act(m, "Phase2b", {1, 1, 0})));
}

TEST_CASE("Phase2a must re-propose the highest reported vote", "[model]") {
  Model m = paxosModel();
  Instance inst{3, 3, 2, 2, 2};
  Interp in(m, inst);
  State s = in.init();
  // a1 votes v2 in ballot 0, then a1 and a2 promise ballot 2.
  for (auto g : {act(m, "Phase1a", {0}), act(m, "Phase1b", {0, 0}), act(m, "Phase1b", {1, 0}),
                 act(m, "Phase2a", {0, 1}), act(m, "Phase2b", {0, 0, 1}), act(m, "Phase1a", {2}),
                 act(m, "Phase1b", {0, 2}), act(m, "Phase1b", {1, 2})}) {
    REQUIRE(enabled(in, s, g));
    s = in.apply(s, g);
  }
  CHECK(enabled(in, s, act(m, "Phase2a", {2, 1})));
  CHECK_FALSE(enabled(in, s, act(m, "Phase2a", {2, 0})));
  Model any = mutate(m, {"any-value"});
  Interp anyIn(any, inst);
  CHECK(enabled(anyIn, s, act(any, "Phase2a", {2, 0})));
}

TEST_CASE("catalog mutations apply by name and unknown names are refused", "[mutations]") {
  Model base = paxosModel();
  for (auto& mu : paxosModel().catalog) {
    INFO(mu.name);
    Model m = mutate(base, {mu.name});
    CHECK(m.mutations == std::vector<std::string>{mu.name});
  }
  Model both = mutate(base, {"q1-minus-one", "q2-minus-one"});
  CHECK(both.quorumSize(Instance{5, 2, 2, 3, 3}, 1) == 2);
  CHECK(both.quorumSize(Instance{5, 2, 2, 3, 3}, 2) == 2);
  CHECK_THROWS_AS(mutate(base, {"no-such-mutation"}), std::invalid_argument);
}

TEST_CASE("invariants read the 2b messages", "[model]") {
  Model m = paxosModel();
  Instance inst{3, 2, 2, 2, 2};
  Interp in(m, inst);
  const Layout& L = in.layout();
  State s = in.init();
  int r = m.rel("2b");
  auto& agreement = m.invariant("agreement")->holds;
  auto& perBallot = m.invariant("one-value-per-ballot")->holds;
  s.r[L.relIndex(r, {0, 0, 0})] = s.r[L.relIndex(r, {1, 0, 0})] = 1;  // v1 chosen in ballot 0
  CHECK(in.holds(s, agreement));
  s.r[L.relIndex(r, {2, 1, 1})] = 1;  // a single vote for v2 in ballot 1: not chosen
  CHECK(in.holds(s, agreement));
  CHECK(in.holds(s, perBallot));
  s.r[L.relIndex(r, {1, 1, 1})] = 1;  // now v2 is chosen too
  CHECK_FALSE(in.holds(s, agreement));
  s.r[L.relIndex(r, {0, 1, 0})] = 1;  // and ballot 1 has votes for both
  CHECK_FALSE(in.holds(s, perBallot));
}
