// End to end: the executable as a user runs it. Verdicts, exit codes, trace lengths, files,
// and the one-line errors for bad input.
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace {
struct Run {
  int rc;
  std::string out, err;
};

std::string slurp(const std::string& path) {
  std::ifstream f(path);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

Run run(const std::string& args) {
  static int counter = 0;
  std::string errFile = "madewrong_test_stderr_" + std::to_string(getpid()) + "_" + std::to_string(counter++) + ".txt";
  std::string cmd = std::string(MADEWRONG_BIN) + " " + args + " 2>" + errFile;
  FILE* p = popen(cmd.c_str(), "r");
  REQUIRE(p);
  std::string out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  int status = pclose(p);
  std::string err = slurp(errFile);
  std::remove(errFile.c_str());
  return {WEXITSTATUS(status), out, err};
}

int lines(const std::string& s) { return static_cast<int>(std::count(s.begin(), s.end(), '\n')); }
}  // namespace

TEST_CASE("cli: correct Paxos holds, exit 0", "[cli]") {
  Run r = run("check --n 3 --ballots 2 --depth 10 --engine bmc");
  CHECK(r.rc == 0);
  CHECK(r.out.find("holds: no run of at most 10 actions breaks agreement (bounded check)") != std::string::npos);
  Run full = run("check --n 3 --ballots 2 --depth 40 --engine bmc -q");
  CHECK(full.out.find("holds for every run: no run of at most 16 actions breaks agreement, and 16 is the completeness threshold") != std::string::npos);
  Run proved = run("check --n 5 --ballots 3");
  CHECK(proved.rc == 0);
  CHECK(proved.out.find("holds for every run: proved by induction") != std::string::npos);
  CHECK(proved.out.find("engine: auto -> induction") != std::string::npos);
}

TEST_CASE("cli: parallel steps reach the 3B+1 threshold: every run when --depth covers 2B(n+1)", "[cli][parallel]") {
  Run all = run("check --n 2 --ballots 2 --depth 12 --engine parallel -q");
  CHECK(all.rc == 0);
  CHECK(all.out.find("holds for every run: no run of at most 7 parallel steps breaks agreement, and 7 is the "
                     "completeness threshold 3B+1 of parallel steps") != std::string::npos);
  Run bounded = run("check --n 2 --ballots 2 --depth 11 --engine parallel -q");
  CHECK(bounded.rc == 0);
  CHECK(bounded.out.find("holds: no run of at most 11 actions breaks agreement (bounded check)") != std::string::npos);
}

TEST_CASE("cli: --engine events finds the shortest third-ballot run, or holds to --depth", "[cli]") {
  Run r = run("check --n 3 --ballots 3 --depth 30 --mutate lowest-vote --engine events -q");
  CHECK(r.rc == 12);
  CHECK(r.out.find("violated: agreement breaks after 17 actions (shortest: no run of fewer actions breaks it)") != std::string::npos);
  CHECK(r.out.find("replayed on the concrete interpreter: every step enabled, the invariant false in the last state") != std::string::npos);
  CHECK(r.out.find("engine: event order") != std::string::npos);
  Run ok = run("check --n 3 --ballots 2 --depth 12 --engine events -q");
  CHECK(ok.rc == 0);
  CHECK(ok.out.find("holds: no run of at most 12 actions breaks agreement (bounded check)") != std::string::npos);
  Run bad = run("check --engine evnts");
  CHECK(bad.rc == 2);
  CHECK(bad.err.find("unknown engine 'evnts'") != std::string::npos);
}

TEST_CASE("cli: --engine induction gives the proof or its counterexample to induction, and searches no runs", "[cli]") {
  Run ok = run("check --engine induction -q");
  CHECK(ok.rc == 0);
  CHECK(ok.out.find("holds for every run: proved by induction") != std::string::npos);
  CHECK(ok.out.find("engine: induction") != std::string::npos);
  Run cti = run("check --engine induction --mutate any-value -q");
  CHECK(cti.rc == 3);
  CHECK(cti.out.find("breaks 2a.safe") != std::string::npos);
  CHECK(cti.out.find("unknown: the inductive invariant does not prove it, and --engine induction searches no runs") !=
        std::string::npos);
  Run none = run("check --engine induction -p " MADEWRONG_TEST_PROTOCOLS "/three-quorums.mw");
  CHECK(none.rc == 2);
  CHECK(none.err == "madewrong: error: --engine induction: protocol 'three-quorums' declares no inductive invariant; choose another engine\n");
}

TEST_CASE("cli: induction asks every action whose two process parameters differ (no false proof)", "[cli]") {
  // Pass(a, b) needs a != b; asking only Pass(s1, s1), as the step query once did, called a
  // non-inductive invariant proved.
  Run r = run("check --engine induction -q -p " MADEWRONG_TEST_PROTOCOLS "/handoff.mw");
  CHECK(r.rc == 3);
  CHECK(r.out.find("Pass(a=s1, b=s2) breaks nobody-holds") != std::string::npos);
  CHECK(r.out.find("proved") == std::string::npos);
}

TEST_CASE("cli: --prove shows a counterexample to induction, then the real counterexample", "[cli]") {
  Run r = run("check --mutate any-value --prove -q");
  CHECK(r.rc == 12);
  CHECK(r.out.find("induction: Inv /\\ Next => Inv' fails") != std::string::npos);
  CHECK(r.out.find("breaks 2a.safe") != std::string::npos);
  CHECK(r.out.find("violated: agreement breaks after 12 actions") != std::string::npos);
}

TEST_CASE("cli: a mutation is violated, exit 12, with the trace in JSON", "[cli]") {
  Run r = run("check --mutate q2-minus-one --json");
  REQUIRE(r.rc == 12);
  auto j = nlohmann::json::parse(r.out);
  CHECK(j["verdict"] == "violated");
  CHECK(j["length"] == 10);
  CHECK(j["depth"] == 9);
  CHECK(j["instance"]["q2"] == 1);
  CHECK(j["instance"]["mutations"] == nlohmann::json::array({"q2-minus-one"}));
  CHECK(j["trace"].size() == 10);
  CHECK(j["trace"][0]["action"] == "Phase1a");
  CHECK(j["replayed"] == true);
}

TEST_CASE("cli: the exact steps of a known counterexample", "[cli]") {
  // n = 1: the acceptor votes for the first proposal of ballot 0, the proposer's 1b quorum
  // still reports no vote, so a second proposal is allowed too, and q2 = 1 chooses both.
  Run r = run("check --n 1 --ballots 1 --values 2 --mutate two-proposals --engine bmc");
  REQUIRE(r.rc == 12);
  CHECK(r.out.find(R"(violated: agreement breaks after 6 actions (shortest: no run of fewer actions breaks it)
   1. Phase1a(b=0)                 sends 1a(bal=0)
   2. Phase1b(a=a1, b=0)           sends 1b(acc=a1, bal=0, mbal=-1, mval=none); maxBal[a1]: -1 -> 0
   3. Phase2a(b=0, v=v2)           sends 2a(bal=0, val=v2); quorum {a1}
   4. Phase2b(a=a1, b=0, v=v2)     sends 2b(acc=a1, bal=0, val=v2); maxVBal[a1]: -1 -> 0, maxVal[a1]: none -> v2
   5. Phase2a(b=0, v=v1)           sends 2a(bal=0, val=v1); quorum {a1}
   6. Phase2b(a=a1, b=0, v=v1)     sends 2b(acc=a1, bal=0, val=v1); maxVal[a1]: v2 -> v1
violation: agreement (no two different values are chosen (chosen: q2 acceptors voted for it in one ballot)) fails for v = v1, w = v2: sent 2b(a, 0, v1) for a in {a1}, at least 1 of phase2; sent 2b(a, 0, v2) for a in {a1}, at least 1 of phase2
why: Step 5, Phase2a(b=0, v=v1), is one the protocol as written would not take: its guard Phase2a.one-proposal (`not exists x: sent 2a(b, x)`) is false there (b = 0, v = v1). So the run goes on to break agreement. One proposal per ballot is what lets the votes of a ballot add up to one value: with two, each can gather a phase-2 quorum in the same ballot.
)") != std::string::npos);
  Run j = run("check --n 1 --ballots 1 --values 2 --mutate two-proposals --json --engine bmc");
  auto doc = nlohmann::json::parse(j.out);
  CHECK(doc["trace"][1]["sent"][0] ==
        nlohmann::json({{"type", "1b"}, {"acc", "a1"}, {"bal", 0}, {"mbal", -1}, {"mval", nullptr}}));
  CHECK(doc["trace"][2]["quorum"] == nlohmann::json::array({"a1"}));
}

TEST_CASE("cli: ITF and Mermaid files", "[cli]") {
  Run r = run("check --mutate two-proposals --itf cli_trace.itf.json --mermaid cli_trace.mmd -q");
  REQUIRE(r.rc == 12);
  auto itf = nlohmann::json::parse(slurp("cli_trace.itf.json"));
  CHECK(itf["states"].size() == 10);  // the initial state and one per action
  CHECK(itf["states"][0]["msgs"]["#set"].empty());
  CHECK(itf["states"][1]["msgs"]["#set"][0]["type"] == "1a");
  CHECK(itf["states"][0]["maxBal"]["#map"][0][1]["#bigint"] == "-1");
  std::string mmd = slurp("cli_trace.mmd");
  CHECK(mmd.rfind("sequenceDiagram\n", 0) == 0);
  // The lifelines and routes protocols/paxos.mw declares: proposers, then acceptors; 1a and 2a
  // go to every acceptor, 1b and 2b back to their ballot's proposer.
  CHECK(mmd.find("participant P0 as proposer 0") != std::string::npos);
  CHECK(mmd.find("participant A3 as acceptor a3") != std::string::npos);
  CHECK(mmd.find("    P0->>A1: 1. 1a(bal=0)\n    P0->>A2: 1.\n    P0->>A3: 1.\n") != std::string::npos);
  CHECK(mmd.find("    A1->>P0: 2. 1b(acc=a1, bal=0, mbal=-1, mval=none)\n") != std::string::npos);
  CHECK(mmd.find("    P0->>A1: 4. 2a(bal=0, val=v1) with quorum {a1,a2}\n") != std::string::npos);
  CHECK(mmd.find("    A3->>P0: 9. 2b(acc=a3, bal=0, val=v2)\n") != std::string::npos);
  CHECK(mmd.find("Note over") == mmd.find("Note over P0,A3: violated:"));  // every step an arrow
}

TEST_CASE("cli: bad input is one line on stderr and exit 2", "[cli]") {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"check --n 0", "--n 0 is out of range"},
      {"check --n 3 --q1 4", "--q1 4 is out of range"},
      {"check --n 3 --q2 0", "--q2 0 is out of range"},
      {"check --n 3 --f 3", "--f 3 is out of range"},
      {"check --ballots 0", "--ballots 0 is out of range"},
      {"check --values 0", "--values 0 is out of range"},
      {"check --depth -1", "--depth -1 is out of range"},
      {"check --mutate nope", "unknown mutation 'nope'"},
      {"check --mutate any-value --mutate lowest-vote", "mutations 'any-value' and 'lowest-vote' cannot be combined"},
      // The same conflict in the other order (it used to run, the change landing on a dropped site).
      {"check --mutate lowest-vote --mutate any-value", "mutations 'lowest-vote' and 'any-value' cannot be combined"},
      {"check --mutate promise-geq --mutate promise-always", "mutations 'promise-geq' and 'promise-always' cannot be combined"},
      {"check --mutate accept-gt --mutate accept-always", "mutations 'accept-gt' and 'accept-always' cannot be combined"},
      {"check --mutate any-value --mutate any-value", "mutation 'any-value' is given twice"},
      {"check --inv nope", "unknown invariant 'nope'"},
      {"check --itf /nonexistent-dir/x.json", "cannot write the ITF file"},
      {"check --n abc", "error"},
      {"list nothing", "cannot list 'nothing'"},
      {"frobnicate", "unknown command 'frobnicate': choose check, sweep, mutants, list"},
  };
  for (auto& [args, msg] : cases) {
    INFO(args);
    Run r = run(args);
    CHECK(r.rc == 2);
    CHECK(r.out.empty());
    CHECK(lines(r.err) == 1);
    CHECK(r.err.find(msg) != std::string::npos);
  }
}

TEST_CASE("cli: non-intersecting quorums are allowed, with a note", "[cli]") {
  Run r = run("check --n 4 --q1 2 --q2 2 -q");
  CHECK(r.rc == 12);
  CHECK(r.err == "note: q1 + q2 > n does not hold at n=4 q1=2 q2=2 ballots=2 values=2: the protocol file expects these "
                 "quorum sizes to be unsafe\n");
}

TEST_CASE("cli: list mutations and invariants", "[cli]") {
  Run m = run("list mutations");
  CHECK(m.rc == 0);
  CHECK(lines(m.out) == 16);
  CHECK(m.out.find("no-promise-on-accept") != std::string::npos);
  Run i = run("list invariants");
  CHECK(i.rc == 0);
  CHECK(lines(i.out) == 2);
}

TEST_CASE("cli: a time limit gives unknown, exit 3, and says what was checked", "[cli]") {
  Run r = run("check --n 5 --ballots 3 --depth 40 --timeout 0.3 --engine bmc -q");
  CHECK(r.rc == 3);
  CHECK(r.out.find("unknown: time limit reached; every run of at most") != std::string::npos);
}

TEST_CASE("cli: sweep in two shards, merged, equals one run", "[cli][sweep]") {
  std::remove("shard1.jsonl");
  std::remove("shard2.jsonl");
  Run one = run("sweep --n 2..3 --depth 12 --exhaustive --json -q");
  REQUIRE(one.rc == 0);
  REQUIRE(run("sweep --n 2..3 --depth 12 --shard 1/2 --jsonl shard1.jsonl -q").rc == 0);
  REQUIRE(run("sweep --n 2..3 --depth 12 --shard 2/2 --jsonl shard2.jsonl -q").rc == 0);
  Run merged = run("sweep --merge shard1.jsonl shard2.jsonl --json");
  REQUIRE(merged.rc == 0);
  auto a = nlohmann::json::parse(one.out), b = nlohmann::json::parse(merged.out);
  // Verdicts and lengths must match; which of several shortest traces Z3 returns may depend on
  // what the process solved before, so traces and times are not compared.
  auto strip = [](nlohmann::json g) {
    for (auto& grid : g)
      for (auto& c : grid["cells"]) {
        c.erase("seconds");
        c.erase("trace");
        c.erase("violation");
      }
    return g;
  };
  CHECK(strip(a["grids"]) == strip(b["grids"]));
  CHECK(b["agrees_with_expected"] == true);
  CHECK(lines(slurp("shard1.jsonl")) + lines(slurp("shard2.jsonl")) == 4 + 9);
}

TEST_CASE("cli: sweep without --depth bounds unmutated Paxos by the completeness threshold", "[cli][sweep]") {
  // 2B(n+1) for the largest n: 2 * 2 * (4 + 1) = 20; a mutation has no threshold, so 16 stays.
  Run plain = run("sweep --n 2..4 --json -q");
  REQUIRE(plain.rc == 0);
  auto j = nlohmann::json::parse(plain.out);
  CHECK(j["parameters"]["max_depth"] == 20);
  CHECK(j["agrees_with_expected"] == true);
  Run mutated = run("sweep --n 2 --mutate q2-minus-one --json -q");
  REQUIRE(mutated.rc == 0);
  CHECK(nlohmann::json::parse(mutated.out)["parameters"]["max_depth"] == 16);
}

TEST_CASE("cli: sweep --resume skips what a cut-short run already wrote", "[cli][sweep]") {
  std::remove("resume.jsonl");
  REQUIRE(run("sweep --n 3 --depth 12 --exhaustive --jsonl resume.jsonl -q").rc == 0);
  // Keep only three finished pairs and a torn last line, as a killed run would leave.
  std::string all = slurp("resume.jsonl");
  std::string kept;
  size_t pos = 0;
  for (int i = 0; i < 3; ++i) pos = all.find('\n', pos) + 1;
  kept = all.substr(0, pos) + all.substr(pos, 20);
  std::ofstream("resume.jsonl") << kept;
  Run r = run("sweep --n 3 --depth 12 --exhaustive --resume resume.jsonl --json");
  REQUIRE(r.rc == 0);
  auto j = nlohmann::json::parse(r.out);
  CHECK(j["checks"] == 6);
  CHECK(j["agrees_with_expected"] == true);
  CHECK(run("sweep --n 3 --depth 11 --resume resume.jsonl -q").rc == 2);  // another sweep's file
}

TEST_CASE("cli: quorum files for check and sweep", "[cli][sweep]") {
  std::ofstream("grid.json") << R"({"phase1": [["a1","a2"],["a3","a4"]], "phase2": [["a1","a3"],["a2","a4"]]})";
  std::ofstream("rows.json") << R"({"phase1": [["a1","a2"],["a3","a4"]], "phase2": [["a1","a2"],["a3","a4"]]})";
  std::ofstream("broken.json") << R"({"phase1": [["a1","a2"]], "phase2": [[]]})";
  Run grid = run("check --quorums grid.json --depth 14 -q");
  CHECK(grid.rc == 0);
  CHECK(grid.out.find("q1={a1,a2}|{a3,a4} q2={a1,a3}|{a2,a4}") != std::string::npos);
  Run rows = run("check --quorums rows.json --depth 14 -q");
  CHECK(rows.rc == 12);
  CHECK(rows.err.find("do not intersect") != std::string::npos);
  Run broken = run("check --quorums broken.json");
  CHECK(broken.rc == 2);
  CHECK(lines(broken.err) == 1);
  CHECK(broken.err.find("empty quorum") != std::string::npos);
  Run conflict = run("check --quorums grid.json --q1 2");
  CHECK(conflict.rc == 2);
  CHECK(run("check --quorums grid.json --n 3").rc == 2);  // a4 is beyond --n 3
  CHECK(run("check --quorums nonexistent.json").rc == 2);
}

TEST_CASE("cli: an interrupted mutants run keeps whole JSON lines and exits 3", "[cli][mutants]") {
  std::remove("mutants.jsonl");
  // Interrupt as soon as the first mutant has finished.
  Run r = run("mutants --n 3 --ballots 3 --jobs 1 --jsonl mutants.jsonl -q & pid=$!; "
              "for i in $(seq 600); do [ -s mutants.jsonl ] && break; sleep 0.05; done; kill -INT $pid; wait $pid");
  // The shell's exit status is the killed run's: 3, unknown.
  CHECK(r.rc == 3);
  CHECK(r.out.find("interrupted: the table holds the mutants that finished") != std::string::npos);
  std::string text = slurp("mutants.jsonl");
  REQUIRE(lines(text) > 0);
  std::stringstream ss(text);
  int parsed = 0;
  for (std::string line; std::getline(ss, line);) {
    auto j = nlohmann::json::parse(line);
    CHECK(j.contains("id"));
    CHECK(j.contains("verdict"));
    ++parsed;
  }
  CHECK(parsed == lines(text));
}

TEST_CASE("cli: mutants report renders killed mutants with their diagrams", "[cli][mutants]") {
  Run r = run("mutants --n 3 --ballots 2 --depth 12 --operators quorum,choice --report mutants.md -q");
  REQUIRE(r.rc == 0);
  CHECK(r.out.find("quorum.q1:-1 [q1-minus-one]") != std::string::npos);
  std::string md = slurp("mutants.md");
  CHECK(md.find("### `quorum.q2:-1 [q2-minus-one]`") != std::string::npos);
  CHECK(md.find("```mermaid\nsequenceDiagram\n") != std::string::npos);
  CHECK(md.find("**Why it breaks:**") != std::string::npos);
  CHECK(run("mutants --operators nonsense").rc == 2);
  CHECK(run("mutants --jobs -1").rc == 2);
}

TEST_CASE("cli: an ITF file written with no counterexample still carries #meta", "[cli]") {
  std::remove("no_trace.itf.json");
  Run r = run("check -q --itf no_trace.itf.json");
  REQUIRE(r.rc == 0);
  auto itf = nlohmann::json::parse(slurp("no_trace.itf.json"));
  CHECK(itf["#meta"]["format"] == "ITF");
  CHECK(itf["#meta"]["description"].get<std::string>().find("no counterexample (holds)") != std::string::npos);
  CHECK(itf["states"].empty());
}

TEST_CASE("cli: sweep --quorums says a system proven by induction holds for every run, and writes its CSV", "[cli][sweep]") {
  std::ofstream("sweep_q.json") << R"({"phase1": [["a1","a2"],["a2","a3"]], "phase2": [["a2"]]})";
  std::remove("sweep_q.csv");
  Run r = run("sweep --quorums sweep_q.json --depth 16 --csv sweep_q.csv --json -q");
  REQUIRE(r.rc == 0);
  auto j = nlohmann::json::parse(r.out);
  CHECK(j["systems"][0]["verdict"] == "holds");
  CHECK(j["systems"][0]["for_every_run"] == true);
  CHECK(!j["systems"][0].contains("depth"));  // was -1
  CHECK(slurp("sweep_q.csv").find("holds,,,yes") != std::string::npos);
  Run text = run("sweep --quorums sweep_q.json --depth 16 -q");
  CHECK(text.out.find("holds for every run (proved by induction)") != std::string::npos);
  CHECK(text.out.find("-1 actions") == std::string::npos);
}

TEST_CASE("cli: a memory limit is an unknown with the limit named, exit 3, never a crash", "[cli]") {
  Run r = run("check --n 9 -B 3 --depth 60 --mutate no-promise-on-accept --memory 100 -q");
  CHECK(r.rc == 3);
  CHECK(r.out.find("unknown: memory limit of 100 MB reached") != std::string::npos);
  CHECK(r.err.empty());
  Run p = run("check --n 9 -B 3 --depth 60 --mutate no-promise-on-accept --memory 60 --engine parallel --timeout 20 -q");
  CHECK(p.rc == 3);
  CHECK(p.out.find("unknown: memory limit of 60 MB reached") != std::string::npos);
}

TEST_CASE("cli: --resume F --jsonl F cuts off a torn last line, and the file then merges", "[cli][sweep]") {
  std::remove("torn_resume.jsonl");
  REQUIRE(run("sweep --n 3 --depth 12 --exhaustive --jsonl torn_resume.jsonl -q").rc == 0);
  std::string all = slurp("torn_resume.jsonl");
  size_t second = all.find('\n') + 1;
  std::ofstream("torn_resume.jsonl") << all.substr(0, second) + all.substr(second, 30);  // one whole line, one torn
  CHECK(run("sweep --merge torn_resume.jsonl").rc == 2);  // a torn line is not merged away silently
  Run r = run("sweep --n 3 --depth 12 --exhaustive --resume torn_resume.jsonl --jsonl torn_resume.jsonl -q");
  REQUIRE(r.rc == 0);
  CHECK(r.err.find("cut off a torn last line") != std::string::npos);
  CHECK(lines(slurp("torn_resume.jsonl")) == 9);  // every pair once, each on its own line
  Run merged = run("sweep --merge torn_resume.jsonl --json");
  REQUIRE(merged.rc == 0);
  CHECK(nlohmann::json::parse(merged.out)["agrees_with_expected"] == true);
}

TEST_CASE("cli: --protocol runs a protocol that exists only as a file", "[cli][protocol]") {
  std::ofstream("cli_tiny.mw") << R"(protocol tiny
# Processes vote for a value in a round; a vote marks the process, never twice in one round.
sort node: process
sort round: ordered
sort value: symmetric
quorum majority of node
state voted[node]: round? = none
message vote(n: node, r: round, v: value)
action Vote(n: node, r: round, v: value)
  when fresh: voted[n] = none | voted[n] < r
  do mark: voted[n] := r
  do send: send vote(n: n, r: r, v: v)
invariant one "one value per round":
  forall a: node, b: node, r: round, v: value, w: value. sent vote(a, r, v) & sent vote(b, r, w) => v = w
)";
  Run r = run("check --protocol cli_tiny.mw --inv one -q --json");
  REQUIRE(r.rc == 12);
  auto j = nlohmann::json::parse(r.out);
  CHECK(j["length"] == 2);
  CHECK(j["violation"] == "one (one value per round) fails for a = n1, b = n2, r = 0, v = v1, w = v2");
  Run all = run("mutants --protocol cli_tiny.mw --inv one -q");
  CHECK(all.rc == 0);
  CHECK(all.out.find("13 mutants: 7 killed") != std::string::npos);  // one quorum system: one quorum mutant
  CHECK(run("list invariants --protocol cli_tiny.mw").out == "one                    one value per round\n");
  std::ofstream("cli_bad.mw") << "protocol bad\nsort node: process\naction A(n: node)\n  when ok: n = v\n";
  Run bad = run("check --protocol cli_bad.mw");
  CHECK(bad.rc == 2);
  CHECK(bad.err == "madewrong: error: cli_bad.mw:4:16: unknown name 'v'; expected a variable bound by a parameter, forall, "
                   "exists or atleast; a state; a definition; or an element of an enum sort\n");
  CHECK(run("list protocols").out == "fast-paxos\nmulti-paxos\npaxos\nraft\n");
}

TEST_CASE("cli: a mutant of a file protocol is explained by the first step the protocol as written would not take",
          "[cli][protocol]") {
  std::ofstream("cli_revote.mw") << R"(protocol revote
sort node: process
sort round: ordered
sort value: symmetric
state voted[node]: round? = none
message vote(n: node, r: round, v: value)
action Vote(n: node, r: round, v: value)
  when fresh: voted[n] < r
  do mark: voted[n] := r
  do send: send vote(n: n, r: r, v: v)
invariant one "no process votes twice in a round":
  forall a: node, r: round, v: value, w: value. sent vote(a, r, v) & sent vote(a, r, w) => v = w
mutation revote "a process may vote again in a round": drop Vote.fresh
)";
  CHECK(run("check --protocol cli_revote.mw --inv one -q").rc == 0);
  Run r = run("check --protocol cli_revote.mw --inv one --mutate revote -q");
  REQUIRE(r.rc == 12);
  CHECK(r.out.find("why: Step 2, Vote(n=n1, r=0, v=v2), is one the protocol as written would not take: its guard "
                   "Vote.fresh (`voted[n] < r`) is false there (n = n1, r = 0, v = v2, voted[n1] = 0). So the run goes on "
                   "to break one.\n") != std::string::npos);
  Run m = run("mutants --protocol cli_revote.mw --inv one -q --json");
  REQUIRE(m.rc == 0);
  bool explained = false;
  auto rows = nlohmann::json::parse(m.out);
  for (auto& row : rows["mutants"])
    if (row["id"] == "Vote.fresh:drop") explained = row["why"].get<std::string>().rfind("Step 2, Vote(", 0) == 0;
  CHECK(explained);
}

TEST_CASE("cli: a protocol with three quorum systems runs through every command, engine and output", "[cli][protocol]") {
  const std::string p = std::string("-p ") + MADEWRONG_TEST_PROTOCOLS + "/three-quorums.mw";
  // Its options are the ones it declares.
  Run help = run("check " + p + " --help");
  for (const char* option : {"--qs", "--ql", "--qa", "--rounds", "--values", "number of nodes (n)"})
    CHECK(help.out.find(option) != std::string::npos);
  CHECK(run("check " + p + " --q1 2 -q").err.find("--q1") != std::string::npos);
  // Start and learn quorums that need not meet: the same shortest violation on every engine,
  // with JSON, ITF and Mermaid.
  for (const char* engine : {"auto", "explicit", "bmc", "parallel", "events"}) {
    INFO(engine);
    Run r = run("check " + p + " --qs 1 --engine " + engine + " --json --itf three.itf --mermaid three.mmd -q");
    REQUIRE(r.rc == 12);
    auto j = nlohmann::json::parse(r.out);
    CHECK(j["length"] == 10);
    CHECK(j["instance"]["qs"] == 1);
    CHECK(j["instance"]["ql"] == 2);
    CHECK(j["instance"]["qa"] == 3);
    CHECK(j["instance"]["rounds"] == 2);
    CHECK(r.err == "note: qs + ql > n does not hold at n=3 qs=1 ql=2 qa=3 rounds=2 values=2: the protocol file "
                   "expects these quorum sizes to be unsafe\n");
    CHECK(nlohmann::json::parse(slurp("three.itf"))["states"].size() == 11);
    CHECK(slurp("three.mmd").find("participant N3 as node n3") != std::string::npos);
  }
  // --set names a system by its name; the accept quorums matter to the second invariant only.
  CHECK(run("check " + p + " --set start=1 --set learn=3 -q").rc == 0);
  CHECK(run("check " + p + " --inv accepted --qa 1 -q").rc == 12);
  CHECK(run("check " + p + " --inv accepted --qa 2 -q").rc == 0);
  // The sweep walks all three sizes and agrees with the condition the file states.
  Run sweep = run("sweep " + p + " --n 3 --depth 18 -q --json");
  REQUIRE(sweep.rc == 0);
  auto s = nlohmann::json::parse(sweep.out);
  CHECK(s["exhaustive_checks"] == 27);
  CHECK(s["expected_safe"] == "qs + ql > n");
  CHECK(s["agrees_with_expected"] == true);
  CHECK(s["checks"].get<int>() < 27);
  Run text = run("sweep " + p + " --n 3 --depth 18 -q");
  CHECK(text.out.find("n = 3, qs = 2   rows ql, columns qa") != std::string::npos);
  CHECK(text.out.find("agrees with qs + ql > n on all 27 triples") != std::string::npos);
  // One quorum mutant per system, and the file's catalog mutation by its name.
  Run mutants = run("mutants " + p + " --operators quorum -q --json");
  REQUIRE(mutants.rc == 0);
  std::map<std::string, std::string> verdicts;
  auto table = nlohmann::json::parse(mutants.out);
  for (auto& m : table["mutants"]) verdicts[m["id"]] = m["verdict"];
  CHECK(verdicts == std::map<std::string, std::string>{{"quorum.qs:-1", "killed"}, {"quorum.ql:-1", "killed"}, {"quorum.qa:-1", "survived"}});
  CHECK(run("check " + p + " --mutate any-value -q").rc == 12);
  // Listed quorums, one list per system, by the systems' names.
  std::ofstream("three.json") << R"({"systems": [
      {"name": "meets", "start": [["n1","n2"],["n2","n3"]], "learn": [["n2","n3"],["n1","n2"]], "accept": [["n1","n2","n3"]]},
      {"name": "misses", "start": [["n1"]], "learn": [["n2","n3"]], "accept": [["n1","n2","n3"]]}]})";
  Run listed = run("sweep " + p + " --quorums three.json -q --json");
  REQUIRE(listed.rc == 0);
  auto systems = nlohmann::json::parse(listed.out)["systems"];
  REQUIRE(systems.size() == 2);
  CHECK(systems[0]["verdict"] == "holds");
  CHECK(systems[1]["verdict"] == "violated");
  CHECK(systems[1]["length"] == 10);
  CHECK(systems[1]["start"] == "{n1}");
  CHECK(run("check " + p + " --quorums three.json -q").err.find("holds 2 quorum systems") != std::string::npos);
  // Processes are named by their sort's first letter: nodes n1, n2, ...
  std::ofstream("three-a.json") << R"({"start": [["a1","a2"]], "learn": [["a2","a3"]], "accept": [["a1","a2","a3"]]})";
  Run named = run("check " + p + " --quorums three-a.json -q");
  CHECK(named.rc == 2);
  CHECK(named.err.find("unknown process name 'a1' (processes are named n1..n16 or numbered 1..16)") != std::string::npos);
}

TEST_CASE("cli: the tutorials' protocols: two-phase commit with enum sorts, and leader election", "[cli][protocol]") {
  const std::string p = std::string("-p ") + MADEWRONG_EXAMPLE_PROTOCOLS + "/two-phase-commit.mw";
  Run ok = run("check " + p + " -q");
  CHECK(ok.rc == 0);
  CHECK(ok.out.find("holds for every run") != std::string::npos);
  // The TM commits on one RM fewer than all: the RM left out aborts on its own.
  Run fewer = run("check " + p + " --mutate commit-on-fewer --json --mermaid tpc.mmd -q");
  REQUIRE(fewer.rc == 12);
  auto j = nlohmann::json::parse(fewer.out);
  CHECK(j["length"] == 5);
  CHECK(j["trace"][2]["action"] == "RMChooseToAbort");
  CHECK(j["trace"][2]["params"]["r"] == "r3");
  CHECK(j["trace"][2]["changes"][0]["before"] == "working");  // enum elements by name
  CHECK(j["trace"][2]["changes"][0]["after"] == "aborted");
  std::string mmd = slurp("tpc.mmd");
  CHECK(mmd.find("participant T as TM\n") != std::string::npos);  // a lifeline of no sort
  CHECK(mmd.find("    R1->>T: 1. ready(r=r1)\n") != std::string::npos);
  CHECK(mmd.find("    T->>R1: 4. decide(d=commit) with quorum {r1,r2}\n") != std::string::npos);
  // Comparisons of enum elements get = and != only: no mutant orders them.
  Run muts = run("mutants " + p + " -q");
  CHECK(muts.rc == 0);
  CHECK(muts.out.find("14 mutants: 9 killed, 5 survived, 0 equivalent, 0 unknown") != std::string::npos);
  CHECK(muts.out.find("RMChooseToAbort.working:<") == std::string::npos);
  Run sweep = run("sweep " + p + " --n 2..4 -q");
  CHECK(sweep.out.find("agrees with the TM waits for all n RMs on all 9 cells") != std::string::npos);
  Run set = run("check " + p + " --set phase=3");
  CHECK(set.rc == 2);
  CHECK(set.err == "madewrong: error: --set phase=3: sort phase is an enum of 4 named elements; its size is fixed\n");

  const std::string e = std::string("-p ") + MADEWRONG_EXAMPLE_PROTOCOLS + "/election.mw";
  Run twice = run("check " + e + " --mutate vote-twice --mermaid el.mmd -q");
  CHECK(twice.rc == 12);
  CHECK(twice.out.find("violated: one-leader breaks after 6 actions") != std::string::npos);
  CHECK(slurp("el.mmd").find("    S1->>S2: 2. vote(voter=s1, term=0, cand=s2)\n") != std::string::npos);
  CHECK(run("check " + e + " --prove -q").out.find("holds for every run: proved by induction") != std::string::npos);
}

TEST_CASE("cli: --faults restart: what an acceptor must keep on disk", "[cli][faults]") {
  Run ok = run("check --faults restart -B 3 -q");
  CHECK(ok.rc == 0);
  CHECK(ok.out.find("holds for every run") != std::string::npos);
  CHECK(ok.out.find("faults=restart") != std::string::npos);
  Run every = run("check --faults restart -B 3 --engine explicit --depth 1000 -q");
  CHECK(every.rc == 0);
  CHECK(every.out.find("holds for every run: all ") != std::string::npos);
  Run bal = run("check --faults restart --mutate forget-maxBal -q");
  CHECK(bal.rc == 12);
  CHECK(bal.out.find("violated: agreement breaks after 13 actions") != std::string::npos);
  CHECK(bal.out.find("Restart(p=a") != std::string::npos);
  CHECK(bal.out.find("maxBal[a") != std::string::npos);
  CHECK(bal.out.find("A promise must outlive a crash") != std::string::npos);  // the file's lesson
  Run forget = run("mutants --faults restart --operators forget -q --json");
  CHECK(forget.rc == 0);
  auto rows = nlohmann::json::parse(forget.out)["mutants"];
  REQUIRE(rows.size() == 3);
  std::map<std::string, std::string> verdicts;
  for (auto& row : rows) verdicts[row["id"]] = row["verdict"];
  CHECK(verdicts["maxBal:forget"] == "killed");
  CHECK(verdicts["maxVBal:forget"] == "killed");
  // Forgetting only the value stalls Phase2a (a reported vote without a value), breaking nothing.
  CHECK(verdicts["maxVal:forget"] == "survived");
  Run vote = run("check --faults restart --mutate forget-vote -q");
  CHECK(vote.rc == 12);
  CHECK(vote.out.find("violated: agreement breaks after 13 actions") != std::string::npos);
  // Read by value (a 1b reports a vote when it carries one), forgetting the value breaks agreement,
  // and all three variables must reach the disk: mutants made on that reading kill every forget.
  Run byValue = run("check --faults restart --mutate vote-by-value --mutate forget-maxVal -q");
  CHECK(byValue.rc == 12);
  CHECK(byValue.out.find("violated: agreement breaks after 13 actions") != std::string::npos);
  CHECK(byValue.out.find("Restart(p=a1)                maxVal[a1]: v1 -> none") != std::string::npos);
  CHECK(byValue.out.find("sends 1b(acc=a1, bal=1, mbal=0, mval=none)") != std::string::npos);
  CHECK(byValue.out.find("replayed on the concrete interpreter") != std::string::npos);
  Run sameWithout = run("check --faults restart -B 3 --mutate vote-by-value --engine explicit --depth 1000 -q");
  CHECK(sameWithout.rc == 0);
  CHECK(sameWithout.out.find("holds for every run: all ") != std::string::npos);
  Run onBase = run("mutants --faults restart --operators forget --mutate vote-by-value -B 3 -q --json");
  CHECK(onBase.rc == 0);
  auto based = nlohmann::json::parse(onBase.out);
  CHECK(based["killed"] == 3);
  CHECK(based["parameters"].get<std::string>().find("on=vote-by-value faults=restart") != std::string::npos);
  for (auto& row : based["mutants"]) CHECK(row["verdict"] == "killed");
  // A --jsonl of a run without restarts, or on another base, is not taken over by --resume.
  std::remove("update.jsonl");
  REQUIRE(run("mutants --operators update --jsonl update.jsonl -q").rc == 0);
  for (const char* other : {"--faults restart", "--mutate vote-by-value"}) {
    Run resumed = run(std::string("mutants --operators update --resume update.jsonl -q ") + other);
    CHECK(resumed.rc == 2);
    CHECK(resumed.err.find("written by a mutants run with other parameters") != std::string::npos);
  }
  Run noFaults = run("check --mutate forget-maxVal");
  CHECK(noFaults.rc == 2);
  CHECK(noFaults.err == "madewrong: error: --mutate: maxVal is lost only when a process restarts; add --faults restart\n");
  Run noFaultsOp = run("mutants --operators forget");
  CHECK(noFaultsOp.rc == 2);
  CHECK(noFaultsOp.err.find("add --faults restart") != std::string::npos);
  CHECK(run("check --faults crash").err == "madewrong: error: --faults crash: choose none or restart\n");
}

TEST_CASE("cli: Multi-Paxos: one 1b per slot in one step, proofs, and its catalog", "[cli][protocol]") {
  Run proved = run("check -p multi-paxos --prove --n 5 -B 4 -q");
  CHECK(proved.rc == 0);
  CHECK(proved.out.find("holds for every run: proved by induction") != std::string::npos);
  // Phase1b sends a 1b for every slot (`forall s: slot. send 1b(...)`), drawn as one arrow each.
  Run r = run("check -p multi-paxos --mutate no-vote-report --mermaid mp.mmd -q");
  CHECK(r.rc == 12);
  CHECK(r.out.find("violated: agreement breaks after 12 actions") != std::string::npos);
  CHECK(r.out.find("Phase1b(a=a1, b=0)           sends 1b(acc=a1, bal=0, slot=0, mbal=-1, mval=none); sends 1b(acc=a1, bal=0, "
                   "slot=1, mbal=-1, mval=none)") != std::string::npos);
  CHECK(slurp("mp.mmd").find("    A1->>L0: 3. 1b(acc=a1, bal=0, slot=1, mbal=-1, mval=none)\n") != std::string::npos);
  for (auto [name, length] : {std::pair{"skip-phase1", 6}, {"two-proposals", 9}, {"q1-minus-one", 10}, {"other-slot", 12}, {"reuse-value", 13}}) {
    INFO(name);
    Run m = run(std::string("check -p multi-paxos --mutate ") + name + " --json -q");
    CHECK(m.rc == 12);
    CHECK(nlohmann::json::parse(m.out)["length"] == length);
  }
  Run forget = run("check -p multi-paxos --faults restart --mutate forget-vote -q");
  CHECK(forget.out.find("violated: agreement breaks after 13 actions") != std::string::npos);
}

TEST_CASE("cli: Fast Paxos: both quorum setups hold for every run, its catalog breaks it, fast rounds are an option", "[cli][protocol]") {
  // Majority classic quorums with fast quorums of (n + f) / 2 + 1, and every quorum 2n/3 + 1.
  for (std::string setup : {"", " --q1 3 --q2c 3 --q2f 3"}) {
    INFO(setup);
    Run all = run("check -p fast-paxos --engine explicit --depth 1000 -q" + setup);
    CHECK(all.rc == 0);
    CHECK(all.out.find("holds for every run: all ") != std::string::npos);
  }
  Run proved = run("check -p fast-paxos --prove --n 5 -q");
  CHECK(proved.rc == 0);
  CHECK(proved.out.find("holds for every run: proved by induction") != std::string::npos);
  CHECK(proved.out.find("n=5 q1=3 q2c=3 q2f=4 rounds=3 values=2 fast-rounds=0") != std::string::npos);
  // Each catalog mutation at n = 3, where it breaks agreement: at the defaults, or with the
  // quorums or fast rounds it needs (a fast quorum of all n acceptors leaves nothing to recover).
  for (auto [args, length] : std::vector<std::pair<std::string, int>>{
           {"--mutate q2f-minus-one", 15}, {"--mutate vote-twice", 12}, {"--mutate q1-minus-one", 12},
           {"--mutate not-highest", 19}, {"--mutate recover-any --q1 3 --q2f 2", 17},
           {"--mutate recover-as-classic --q1 3 --q2c 1 --q2f 2", 16},
           {"--mutate any-without-phase1 --fast-rounds 0,1", 10}, {"--mutate any-after-votes --fast-rounds 0,1", 16}}) {
    INFO(args);
    Run m = run("check -p fast-paxos " + args + " --depth 30 --json -q");
    CHECK(m.rc == 12);
    auto j = nlohmann::json::parse(m.out);
    CHECK(j["length"] == length);
    CHECK(j["shortest"] == true);
  }
  // Only a fast round above the lowest needs phase 1: with round 0 the only fast round, sending
  // any without it breaks nothing, as the mutation's lesson says.
  CHECK(run("check -p fast-paxos --mutate any-without-phase1 -q").rc == 0);
  // The collision a coordinator recovers from, as a run.
  Run collision = run("check -p fast-paxos --inv no-collision -q");
  CHECK(collision.rc == 12);
  CHECK(collision.out.find("violated: no-collision breaks after 8 actions") != std::string::npos);
  CHECK(collision.out.find("Any(r=0)                     sends 2a-any(rnd=0); quorum {a1,a2}") != std::string::npos);
  // The fast rounds, as an option and as --set; bad lists are one-line errors.
  CHECK(run("check -p fast-paxos --fast-rounds none -q --depth 4").out.find("fast-rounds=none") != std::string::npos);
  CHECK(run("check -p fast-paxos --set fast=1,2 -q --depth 4").out.find("fast-rounds=1,2") != std::string::npos);
  CHECK(run("check -p fast-paxos --fast-rounds 3").err == "madewrong: error: --fast-rounds 3: 3 is not an element of round, which is 0..2 here\n");
  CHECK(run("check -p fast-paxos --fast-rounds 0,x").err ==
        "madewrong: error: --fast-rounds 0,x: 'x' is not an element of round (a number 0..2)\n");
  CHECK(run("check -p fast-paxos --fast-rounds 1,1").err == "madewrong: error: --fast-rounds 1,1: '1' is listed twice\n");
  CHECK(run("check -p fast-paxos --fast-rounds 0 --set fast=1").err ==
        "madewrong: error: --fast-rounds and --set fast both give subset fast: give one\n");
  CHECK(run("check -p fast-paxos --help").out.find("--fast-rounds TEXT") != std::string::npos);
}

TEST_CASE("cli: Fast Paxos sweep: a q1 x q2c grid per fast-quorum size, cells with their quorums", "[cli][sweep]") {
  Run s = run("sweep -p fast-paxos --n 3 --json");
  REQUIRE(s.rc == 0);
  auto j = nlohmann::json::parse(s.out);
  REQUIRE(j["grids"].size() == 1);
  auto& cells = j["grids"][0]["cells"];
  REQUIRE(cells.size() == 27);
  for (auto& c : cells) {
    INFO(c.dump());
    CHECK(c["n"] == 3);
    CHECK(c["quorums"].size() == 3);
    CHECK((c["verdict"] == "holds" || c["verdict"] == "violated"));
    CHECK(c["length"].is_null() == (c["verdict"] == "holds"));
  }
  CHECK(j["agrees_with_expected"] == true);
  CHECK(j["exhaustive_checks"] == 27);
  CHECK(j["checks"] < 27);
  Run text = run("sweep -p fast-paxos --n 3 --svg fp.svg --csv fp.csv");
  CHECK(text.out.find("n = 3, q2f = 2   rows q1, columns q2c;") != std::string::npos);
  CHECK(text.out.find("not monotone: q2f") != std::string::npos);
  CHECK(text.out.find("agrees with q1 + q2c > n and q1 + 2 q2f > 2n on all 27 triples") != std::string::npos);
  std::string svg = slurp("fp.svg");
  for (int q2f = 1; q2f <= 3; ++q2f) CHECK(svg.find(">n = 3, q2f = " + std::to_string(q2f) + "</text>") != std::string::npos);
  CHECK(slurp("fp.csv").rfind("n,q1,q2c,q2f,verdict,length,depth,source,seconds\n", 0) == 0);
}

TEST_CASE("cli: check --svg draws the trace: one arrow or box per step, each message to the steps that act on it", "[cli][svg]") {
  std::remove("lv.svg");
  // With -B 3 and no --depth the bound is Paxos's completeness threshold (24), so lowest-vote's
  // 17-action run is found.
  Run r = run("check --mutate lowest-vote -B 3 --svg lv.svg --json -q");
  REQUIRE(r.rc == 12);
  auto j = nlohmann::json::parse(r.out);
  CHECK(j["instance"]["max_depth"] == 24);
  auto trace = j["trace"];
  REQUIRE(trace.size() == 17);
  std::string svg = slurp("lv.svg");
  // Well-formed XML, by a parser that is not ours.
  CHECK(std::system("python3 -c \"import xml.etree.ElementTree as E; E.parse('lv.svg')\"") == 0);
  CHECK(svg.find("http://") == svg.find("http://www.w3.org/2000/svg"));  // nothing fetched from elsewhere
  // Paxos's own reading of who acts on a message, worked out here from the JSON trace: a 1a(b)
  // by the acceptors' Phase1b(a, b); a 1b(a, b) by Phase2a(b) when a is in its quorum; a 2a(b, v)
  // by Phase2b(a, b, v); a 2b by no step (drawn to its ballot's proposer, dashed).
  auto acc = [](const nlohmann::json& v) { return "A" + v.get<std::string>().substr(1); };
  auto actor = [&](const nlohmann::json& s) {
    std::string a = s["action"];
    return a == "Phase1a" || a == "Phase2a" ? "P" + std::to_string(s["params"]["b"].get<int>()) : acc(s["params"]["a"]);
  };
  std::vector<std::string> groups;
  for (size_t at = svg.find("<g class=\"step "); at != std::string::npos; at = svg.find("<g class=\"step ", at + 1))
    groups.push_back(svg.substr(at, svg.find('>', at) - at));
  REQUIRE(groups.size() == trace.size());
  for (size_t i = 0; i < trace.size(); ++i) {
    const auto& s = trace[i];
    INFO("step " << i + 1 << ": " << groups[i]);
    CHECK(groups[i].find("data-step=\"" + std::to_string(i + 1) + "\"") != std::string::npos);
    std::vector<std::string> to;
    auto add = [&](const std::string& x) {
      if (std::find(to.begin(), to.end(), x) == to.end()) to.push_back(x);
    };
    std::string a = s["action"];
    for (size_t k = i + 1; k < trace.size(); ++k) {
      const auto& later = trace[k];
      std::string b = later["action"];
      if (a == "Phase1a" && b == "Phase1b" && later["params"]["b"] == s["params"]["b"]) add(actor(later));
      if (a == "Phase1b" && b == "Phase2a" && later["params"]["b"] == s["params"]["b"] &&
          std::find(later["quorum"].begin(), later["quorum"].end(), s["params"]["a"]) != later["quorum"].end())
        add(actor(later));
      if (a == "Phase2a" && b == "Phase2b" && later["params"]["b"] == s["params"]["b"] && later["params"]["v"] == s["params"]["v"])
        add(actor(later));
    }
    if (a == "Phase2b") add("P" + std::to_string(s["params"]["b"].get<int>()));
    std::string toList;
    for (auto& x : to) toList += (toList.empty() ? "" : ",") + x;
    CHECK(groups[i].find("class=\"step arrow") != std::string::npos);
    CHECK(groups[i].find("data-from=\"" + actor(s) + "\"") != std::string::npos);
    CHECK(groups[i].find("data-to=\"" + toList + "\"") != std::string::npos);
  }
  // The violation rests on the two quorums' votes: v2 by a1, a3 in ballot 1; v1 by a1, a2 in 2.
  std::vector<int> red;
  for (size_t i = 0; i < groups.size(); ++i)
    if (groups[i].find("class=\"step arrow witness\"") != std::string::npos) red.push_back(static_cast<int>(i) + 1);
  CHECK(red == std::vector<int>{12, 15, 16, 17});
  CHECK(svg.find("It rests on: 2b(acc=a3, bal=1, val=v2) (step 12)") != std::string::npos);
  // A restart sends nothing: a box on the acceptor's lifeline.
  REQUIRE(run("check --faults restart --mutate forget-maxBal --svg fb.svg -q").rc == 12);
  CHECK(slurp("fb.svg").find("<g class=\"step local\" id=\"step-") != std::string::npos);
  CHECK(slurp("fb.svg").find("data-action=\"Restart(p=a") != std::string::npos);
  // No counterexample: still a picture, saying so.
  REQUIRE(run("check -B 2 --svg ok.svg -q").rc == 0);
  CHECK(slurp("ok.svg").find("no counterexample: holds") != std::string::npos);
}

TEST_CASE("cli: --json traces are structured in check, mutants and sweep, and survive --jsonl and --merge", "[cli][json]") {
  // One step of q1-minus-one's trace: action, parameters, quorum, messages, changed cells, text.
  auto phase2a = [](const nlohmann::json& trace) {
    for (auto& s : trace)
      if (s["action"] == "Phase2a") return s;
    return nlohmann::json();
  };
  auto expectStep = [](const nlohmann::json& s) {
    REQUIRE(s.is_object());
    CHECK(s["params"]["b"].is_number_integer());
    CHECK(s["quorum"].is_array());
    CHECK(!s["quorum"].empty());
    CHECK(s["sent"][0]["type"] == "2a");
    CHECK(s["changes"].is_array());
    CHECK(s["text"].get<std::string>().rfind("Phase2a(b=", 0) == 0);
  };
  Run check = run("check --mutate q1-minus-one --json -q");
  REQUIRE(check.rc == 12);
  auto steps = nlohmann::json::parse(check.out)["trace"];
  expectStep(phase2a(steps));
  CHECK(steps[2]["changes"][0] == nlohmann::json({{"var", "maxBal"}, {"args", {"a1"}}, {"before", -1}, {"after", 0}}));

  std::remove("q.jsonl");
  Run mutants = run("mutants --operators quorum --json --jsonl q.jsonl -q");
  REQUIRE(mutants.rc == 0);
  auto rows = nlohmann::json::parse(mutants.out)["mutants"];
  REQUIRE(rows.size() == 2);
  for (auto& row : rows) expectStep(phase2a(row["trace"]));
  Run merged = run("mutants --merge q.jsonl --json");
  REQUIRE(merged.rc == 0);
  auto mergedRows = nlohmann::json::parse(merged.out)["mutants"];
  REQUIRE(mergedRows.size() == 2);
  for (auto& row : mergedRows) expectStep(phase2a(row["trace"]));

  std::remove("s.jsonl");
  Run sweep = run("sweep --n 3 --json --jsonl s.jsonl -q");
  REQUIRE(sweep.rc == 0);
  Run sweepMerged = run("sweep --merge s.jsonl --json");
  REQUIRE(sweepMerged.rc == 0);
  for (auto* out : {&sweep.out, &sweepMerged.out}) {
    int violated = 0;
    auto doc = nlohmann::json::parse(*out);
    for (auto& cell : doc["grids"][0]["cells"])
      if (cell["verdict"] == "violated") {
        ++violated;
        CHECK(cell["trace"].size() == cell["length"].get<size_t>());
        CHECK(cell["trace"][0]["step"] == 1);
        CHECK(cell["trace"][0]["text"].get<std::string>().rfind("Phase1a(b=", 0) == 0);
      }
    CHECK(violated == 3);
  }
}

TEST_CASE("cli: mutants --html: one page, each mutant's change in the file's words, its diagram and its steps", "[cli][html]") {
  std::remove("m.html");
  Run r = run("mutants --operators comparison,quorum --html m.html -q");
  REQUIRE(r.rc == 0);
  std::string page = slurp("m.html");
  CHECK(page.rfind("<!DOCTYPE html>", 0) == 0);
  // promise-geq: the comparison before and after, as the protocol file writes it.
  CHECK(page.find("<td>Phase1b.promise</td><td class=\"before\">b &gt; maxBal[a]</td><td class=\"after\">b &gt;= maxBal[a]</td>") !=
        std::string::npos);
  // A killed mutant's section: linked from the table, with its diagram and its step-through data.
  size_t link = page.find("<a href=\"#m1\">");
  REQUIRE(link != std::string::npos);
  size_t section = page.find("<section class=\"mutant\" id=\"m1\">");
  REQUIRE(section != std::string::npos);
  CHECK(page.find("<svg", section) < page.find("</section>", section));
  CHECK(page.find("id=\"m1-step-1\"", section) != std::string::npos);  // the diagram's ids made unique on the page
  CHECK(page.find("<script type=\"application/json\">{\"messages\":", section) < page.find("</section>", section));
  CHECK(page.find("<h2 id=\"survivors\">") != std::string::npos);
  CHECK(run("mutants --html m.html --report m.html").err ==
        "madewrong: error: --report and --html both name 'm.html': give each its own file\n");
  std::remove("s.html");
  REQUIRE(run("sweep --n 3 --html s.html -q").rc == 0);
  CHECK(slurp("s.html").find("<svg") != std::string::npos);
}

TEST_CASE("cli: a protocol file's own words are escaped in every SVG and HTML page", "[cli][svg]") {
  std::string text = slurp(std::string(MADEWRONG_EXAMPLE_PROTOCOLS) + "/election.mw");
  size_t at = text.find("\"2 majority > n\"");
  REQUIRE(at != std::string::npos);
  text.replace(at, 16, "\"2 majority > n & <no tie>\"");
  std::ofstream("escaped.mw") << text;
  REQUIRE(run("sweep -p escaped.mw --n 3 --svg escaped.svg --html escaped.html -q").rc == 0);
  CHECK(slurp("escaped.svg").find("2 majority &gt; n &amp; &lt;no tie&gt;") != std::string::npos);
  CHECK(std::system("python3 -c \"import xml.etree.ElementTree as E; E.parse('escaped.svg')\"") == 0);
  CHECK(slurp("escaped.html").find("&lt;no tie&gt;") != std::string::npos);
  CHECK(slurp("escaped.html").find("<no tie>") == std::string::npos);
}

TEST_CASE("cli: --every-size reads a cell that does not exist (f[none]) as none, as the bounded engines do", "[cli][every-size]") {
  Run bounded = run("check --prove -q -p " MADEWRONG_TEST_PROTOCOLS "/none-cell.mw");
  CHECK(bounded.out.find("holds for every run: proved by induction") != std::string::npos);
  // Before, mark(none) was any element in first-order logic, and Look(i = none) broke the proof.
  Run every = run("check --prove --every-size -q -p " MADEWRONG_TEST_PROTOCOLS "/none-cell.mw");
  CHECK(every.rc == 0);
  CHECK(every.out.find("holds for every size: the inductive invariant (2 conjuncts) is proved") != std::string::npos);
}

TEST_CASE("cli: check --prove --every-size: proofs for every size, counterexamples to induction, one-line refusals", "[cli][every-size]") {
  // Paxos, and the two mutants the essay asks about, hold for every number of acceptors, ballots
  // and values, under the intersection axiom the file's condition gives.
  for (const char* m : {"", " --mutate promise-geq", " --mutate accept-gt"}) {
    Run r = run(std::string("check --prove --every-size -q") + m);
    INFO(m);
    CHECK(r.rc == 0);
    CHECK(r.out.find("holds for every size: the inductive invariant (11 conjuncts) is proved in first-order logic") != std::string::npos);
    CHECK(r.out.find("assumes: any 2 quorums (phase1, phase2) have a process in common, from q1 + q2 > n") != std::string::npos);
  }
  Run e = run(std::string("check -p ") + MADEWRONG_EXAMPLE_PROTOCOLS + "/election.mw --prove --every-size -q");
  CHECK(e.rc == 0);
  CHECK(e.out.find("holds for every size") != std::string::npos);
  CHECK(e.out.find("fragment: the queries leave EPR") != std::string::npos);
  // Smaller phase-1 quorums: at n = 1 the sizes no longer meet, so no intersection axiom; the
  // implication fails on a finite structure, and the bounded engines find the real run.
  Run q = run("check --prove --every-size --mutate q1-minus-one -q");
  CHECK(q.rc == 12);
  CHECK(q.out.find("assumes: no intersection of phase1, phase2 quorums: with these sizes q1 + q2 > n fails at n = 1") != std::string::npos);
  CHECK(q.out.find("not proved for every size: Inv does not imply agreement (a counterexample to induction") != std::string::npos);
  CHECK(q.out.find("violated: agreement breaks after 10 actions") != std::string::npos);
  CHECK(q.out.find("replayed on the concrete interpreter") != std::string::npos);
  CHECK(run("check --every-size").err == "madewrong: error: --every-size is a proof: give --prove too\n");
  CHECK(run("check --prove --every-size --faults restart").err ==
        "madewrong: error: --every-size: --faults restart is not in the first-order encoding yet\n");
  // Fast Paxos: the fast rounds are any subset of the rounds, and the three-way intersection is
  // an axiom. (Z3 leaves a Phase2a case of 2a.safe open; a short budget makes that quick.)
  Run fast = run("check -p fast-paxos --prove --every-size --timeout 3 -q");
  CHECK(fast.out.find("assumes: any 3 quorums (q1, q2f, q2f) have a process in common, from q1 + q2c > n and q1 + 2 q2f > 2n") !=
        std::string::npos);
  CHECK(fast.out.find("holds for every size") == std::string::npos);
  CHECK(fast.rc == 3);
}

TEST_CASE("cli: mutants --every-size: each survivor proved safe for every size, or not", "[cli][every-size]") {
  // Paxos's weakened guards that survive three ballots: all four keep the inductive invariant.
  Run w = run("mutants -B 3 --operators weaken --every-size -q --json");
  REQUIRE(w.rc == 0);
  auto doc = nlohmann::json::parse(w.out);
  int survivors = 0;
  for (auto& row : doc["mutants"])
    if (row["verdict"] == "survived") {
      ++survivors;
      CHECK(row["every_size"]["verdict"] == "proved");
    }
  CHECK(survivors == 4);
  // The election's surviving mutant (no server ever votes) is safe, but not by the file's
  // invariant: its counterexample to induction is named, and a Houdini search proves it with
  // what every protocol offers (no vote is ever sent, votedFor keeps its initial value).
  Run e = run(std::string("mutants -p ") + MADEWRONG_EXAMPLE_PROTOCOLS + "/election.mw --every-size -q --json");
  REQUIRE(e.rc == 0);
  auto el = nlohmann::json::parse(e.out);
  nlohmann::json fresh;
  for (auto& row : el["mutants"])
    if (row["id"] == "Vote.fresh:!=") fresh = row;
  REQUIRE(fresh.is_object());
  CHECK(fresh["every_size"]["verdict"] == "proved");
  std::string why = fresh["every_size"]["text"];
  CHECK(why.find("safe for every size: not by the file's invariant (votes-remembered is not preserved by Vote(") == 0);
  CHECK(why.find("a Houdini search keeps 6 of 6 candidates, an inductive invariant that implies one-leader") != std::string::npos);
  CHECK(why.find("new in it: never-sent.vote, never-sent.leader, initial.votedFor") != std::string::npos);
  CHECK(fresh["every_size"]["conjuncts"].size() == 6);
  CHECK(fresh["every_size"]["conjuncts"][5] == "initial.votedFor: votedFor keeps its initial value");
  Run t = run(std::string("mutants -p ") + MADEWRONG_EXAMPLE_PROTOCOLS + "/election.mw --every-size -q");
  CHECK(t.out.find("Vote.fresh:!=                                    safe, every size (6)") != std::string::npos);
  CHECK(t.out.find("(1 of 1 survivors safe for every size, 0 killed at a larger instance, 0 open)") != std::string::npos);
  CHECK(run("mutants --every-size --faults restart").err ==
        "madewrong: error: --every-size: --faults restart is not in the first-order encoding yet\n");
}

TEST_CASE("cli: every size is never claimed where a larger instance breaks it, nor for an invariant that is not inductive", "[cli][every-size]") {
  // Paxos with quorums of fixed sizes, 3 to promise and 2 to choose, whatever n is: they meet at
  // n = 3 and 4 and not from n = 5 on. The instance n = 3 holds for every run; the every-size
  // proof must not take the intersection axiom, and the search it falls back to goes to n = 5,
  // where two disjoint quorums choose two values.
  std::string paxos = slurp(std::string(MADEWRONG_TEST_PROTOCOLS) + "/../../protocols/paxos.mw");
  auto replaced = [](std::string text, const std::string& from, const std::string& to) {
    size_t at = text.find(from);
    REQUIRE(at != std::string::npos);
    return text.replace(at, from.size(), to);
  };
  std::string fixed = replaced(replaced(paxos, "quorum phase1 of acceptor, size acceptor - f,", "quorum phase1 of acceptor, size 3,"),
                               "quorum phase2 of acceptor, size acceptor - f,", "quorum phase2 of acceptor, size 2,");
  std::ofstream("fixed-quorums.mw") << fixed;
  Run small = run("check -p fixed-quorums.mw --prove -B 3 -q");
  CHECK(small.rc == 0);
  CHECK(small.out.find("holds for every run: proved by induction") != std::string::npos);
  Run every = run("check -p fixed-quorums.mw --prove --every-size -q");
  CHECK(every.rc == 12);
  CHECK(every.out.find("holds for every size") == std::string::npos);
  CHECK(every.out.find("assumes: no intersection of phase1, phase2 quorums: with these sizes q1 + q2 > n fails at n = 5") != std::string::npos);
  CHECK(every.out.find("at n=5 q1=3 q2=2 ") != std::string::npos);
  CHECK(every.out.find("violated: agreement breaks after 14 actions") != std::string::npos);
  CHECK(every.out.find("replayed on the concrete interpreter") != std::string::npos);
  // Quorum sizes given on the command line are fixed for the proof: phase-1 quorums of one
  // acceptor do not meet phase-2 quorums at n = 3, so no axiom and no proof (before, the proof
  // read the file's n - f and said "holds for every size").
  Run given = run("check --prove --every-size --q1 1 -q");
  CHECK(given.out.find("holds for every size") == std::string::npos);
  CHECK(given.out.find("assumes: no intersection of phase1, phase2 quorums: q1 + q2 > n fails at n=3 q1=1 q2=2") != std::string::npos);
  CHECK(given.rc == 12);
  Run meet = run("check --prove --every-size --n 4 --q1 2 --q2 3 -q");
  CHECK(meet.rc == 0);
  CHECK(meet.out.find("assumes: any 2 quorums (phase1, phase2) have a process in common, from q1 + q2 > n at n=4 q1=2 q2=3 "
                      "(for every n whose quorums meet so)") != std::string::npos);

  // A deliberately wrong invariant: Paxos without `acc.voted-last` (an acceptor's maxVal is the
  // value of a 2b it sent) is still true but no longer inductive; the proof names where it breaks,
  // and so does the instance's induction.
  std::string weak = paxos;
  size_t from = weak.find("inductive acc.voted-last "), to = weak.find("inductive", from + 10);
  REQUIRE(to != std::string::npos);
  weak.erase(from, to - from);
  std::ofstream("weak-invariant.mw") << weak;
  Run w = run("check -p weak-invariant.mw --prove --every-size --timeout 5 -q");
  CHECK(w.out.find("holds for every size") == std::string::npos);
  CHECK(w.out.find("not proved for every size: 1b.reports-vote is not preserved by Phase1b(") != std::string::npos);
  CHECK(w.out.find("induction: Inv /\\ Next => Inv' fails (a counterexample to induction, replayed): from a state where Inv holds, "
                   "Phase1b(a=a1, b=1) breaks 1b.reports-vote") != std::string::npos);
  CHECK(w.rc == 3);
}

TEST_CASE("cli: sweep --every-size proves the safe cells for every size, one proof per set of quorum intersections", "[cli][every-size][sweep]") {
  // With one ballot nothing can break agreement, so every pair holds at this instance; only the
  // pairs with q1 + q2 > n get the intersection axiom, and only they are proved for every size.
  Run r = run("sweep --n 3 -B 1 --every-size -q --json");
  REQUIRE(r.rc == 0);
  auto j = nlohmann::json::parse(r.out);
  REQUIRE(j["every_size"].size() == 2);
  for (auto& g : j["every_size"]) {
    bool meet = g["verdict"] == "proved";
    CHECK(g["cells"].size() == (meet ? 6u : 3u));
    std::string axiom = g["assumes"][1];
    CHECK(axiom.find(meet ? "any 2 quorums (phase1, phase2) have a process in common, from q1 + q2 > n at n=3"
                          : "no intersection of phase1, phase2 quorums: q1 + q2 > n fails at n=3") == 0);
  }
  for (auto& cell : j["grids"][0]["cells"]) {
    int q1 = cell["q1"], q2 = cell["q2"];
    CHECK(cell["verdict"] == "holds");
    CHECK(cell["every_size"] == (q1 + q2 > 3 ? "proved" : "not proved"));
  }
  Run t = run("sweep --n 3..4 --every-size -q");
  CHECK(t.out.find("every size: 16 of the 16 pairs that hold here proved for every size, by 1 first-order proof") != std::string::npos);
  CHECK(run("sweep --every-size --quorums q.json").err == "madewrong: error: --every-size proves for every size: --quorums lists one instance's quorums\n");
}

TEST_CASE("cli: Raft: the explicit engine and the Z3 engines get the same shortest lengths on its catalog", "[cli][protocol][raft]") {
  // n = 3, two terms, logs of one entry (two for no-prev-check); parallel BMC only where it is quick.
  struct Case {
    const char* args;
    int length;
    bool parallel;
  };
  const Case cases[] = {
      {"-L 1 --mutate two-votes --inv election-safety", 6, true},
      {"-L 1 --mutate election-minus-one --inv election-safety", 4, true},
      {"-L 1 --mutate leader-overwrites --inv log-matching", 7, true},
      {"-L 1 --mutate commit-minus-one --inv leader-completeness", 8, true},
      {"-L 1 --mutate commit-minus-one --inv state-machine-safety", 10, false},
      {"-L 1 --mutate vote-without-log-check --inv leader-completeness", 10, false},
      {"-L 1 --mutate forget-votedFor --faults restart --inv election-safety", 7, false},
      {"-L 2 --mutate no-prev-check --inv log-matching", 7, false},
  };
  for (const Case& c : cases) {
    for (const char* engine : {"explicit", "bmc", "parallel"}) {
      if (std::string(engine) == "parallel" && !c.parallel) continue;
      INFO(c.args << " --engine " << engine);
      Run r = run(std::string("check -p raft -T 2 -q --engine ") + engine + " " + c.args);
      CHECK(r.rc == 12);
      CHECK(r.out.find("breaks after " + std::to_string(c.length) + " actions (shortest") != std::string::npos);
      CHECK(r.out.find("replayed on the concrete interpreter") != std::string::npos);
    }
  }
}

TEST_CASE("cli: Raft with restarts: every run keeps safety, and each state Figure 2 marks persistent must be", "[cli][protocol][raft]") {
  // Restarts with everything persistent kept: every reachable state of the small instance is safe.
  Run all = run("check -p raft -T 2 -L 1 --faults restart --engine explicit --depth 1000 -q");
  CHECK(all.rc == 0);
  CHECK(all.out.find("holds for every run: all ") != std::string::npos);
  // Forgetting the term or the vote: a second leader in one term.
  for (const char* m : {"forget-currentTerm", "forget-votedFor"}) {
    INFO(m);
    Run r = run(std::string("check -p raft -T 2 -L 1 --faults restart --inv election-safety -q --mutate ") + m);
    CHECK(r.rc == 12);
    CHECK(r.out.find("violated: election-safety breaks after 7 actions (shortest") != std::string::npos);
    CHECK(r.out.find("restart") != std::string::npos);
  }
  // Forgetting the log: a later leader lacks a committed entry.
  Run log = run("check -p raft -T 2 -L 1 --faults restart --mutate forget-log --inv leader-completeness -q");
  CHECK(log.rc == 12);
  CHECK(log.out.find("violated: leader-completeness breaks after 11 actions (shortest") != std::string::npos);
  // Without restarts a forget mutation changes nothing: one line says so.
  Run none = run("check -p raft -T 2 -L 1 --mutate forget-log -q");
  CHECK(none.rc == 2);
  CHECK(none.err == "madewrong: error: --mutate: logTerm is lost only when a process restarts; add --faults restart\n");
}

TEST_CASE("cli: Raft's inductive invariant proves every invariant for every run, and each killed mutant breaks it", "[cli][protocol][raft]") {
  for (const char* inv : {"state-machine-safety", "election-safety", "log-matching", "leader-completeness"}) {
    INFO(inv);
    Run r = run(std::string("check -p raft -T 2 -L 1 --prove -q --inv ") + inv);
    CHECK(r.rc == 0);
    CHECK(r.out.find("holds for every run: proved by induction") != std::string::npos);
    CHECK(r.out.find("Inv has 40 conjuncts") != std::string::npos);
  }
  Run restarts = run("check -p raft -T 2 -L 1 --faults restart --prove -q --inv state-machine-safety");
  CHECK(restarts.rc == 0);
  CHECK(restarts.out.find("holds for every run: proved by induction") != std::string::npos);
  // A mutant that breaks Raft breaks the argument at the step the lesson names.
  struct Case {
    const char *mutation, *faults, *breaks;
  };
  for (auto c : {Case{"vote-without-log-check", "none", "Vote(s=s1, c=s1, t=1, li=-1, lt=-1, myLi=0, myLt=0) breaks lc.votes"},
                 Case{"two-votes", "none", "breaks vote.remembered"},
                 Case{"commit-old-term", "none", "Commit(l=s1, i=0) breaks lc.acked-hold"},
                 Case{"forget-log", "restart", "Restart(p=s1) breaks lc.acked-hold"}}) {
    INFO(c.mutation);
    Run r = run(std::string("check -p raft -T 2 -L 1 --engine induction -q --inv state-machine-safety --faults ") + c.faults +
                " --mutate " + c.mutation);
    CHECK(r.rc == 3);
    CHECK(r.out.find(c.breaks) != std::string::npos);
  }
}

TEST_CASE("cli: Raft with logs of two entries is proved for every run (n=3, T=2, L=2)", "[cli][protocol][raft]") {
  Run r = run("check -p raft -T 2 -L 2 --engine induction -q --inv state-machine-safety");
  CHECK(r.rc == 0);
  CHECK(r.out.find("holds for every run: proved by induction") != std::string::npos);
}

TEST_CASE("cli: Raft as a protocol file: every run of a small instance, and its catalog breaks it", "[cli][protocol][raft]") {
  // n = 3, two terms, logs of one entry: every reachable state keeps state machine safety.
  Run all = run("check -p raft -T 2 -L 1 --engine explicit --depth 1000 -q");
  CHECK(all.rc == 0);
  CHECK(all.out.find("holds for every run: all 2535 reachable states keep state-machine-safety (states that differ only "
                     "in spent messages counted as one;") != std::string::npos);
  CHECK(all.out.find("spent messages dropped") != std::string::npos);
  // Every message kept: the states of Ongaro's spec at this instance (up to symmetry).
  Run kept = run("check -p raft -T 2 -L 1 --engine explicit --depth 1000 -q --keep-spent");
  CHECK(kept.rc == 0);
  CHECK(kept.out.find("holds for every run: all 16524 reachable states keep state-machine-safety (none is") != std::string::npos);
  // Two votes in one term: two leaders of one term, the shortest run.
  Run two = run("check -p raft -T 2 -L 1 --mutate two-votes --inv election-safety -q");
  CHECK(two.rc == 12);
  CHECK(two.out.find("violated: election-safety breaks after 6 actions (shortest") != std::string::npos);
  CHECK(two.out.find("replayed on the concrete interpreter") != std::string::npos);
  // Commit quorums one smaller than majorities: a committed entry a later leader lacks.
  Run commit = run("check -p raft -T 2 -L 1 --mutate commit-minus-one -q");
  CHECK(commit.rc == 12);
  CHECK(commit.out.find("violated: state-machine-safety breaks after 10 actions (shortest") != std::string::npos);
  // Without `has`, AppendEntries would send a missing entry's term (none) in a field that has no
  // none: such a step does not happen, in every engine (before, the explicit engine stopped with
  // an internal error, and `mutants -p raft` with it).
  Run has = run("check -p raft -T 2 -L 1 --mutate AppendEntries.has:drop --engine explicit --depth 1000 -q");
  CHECK(has.rc == 0);
  CHECK(has.out.find("holds for every run: all 2535 reachable states keep") != std::string::npos);
  Run hasBmc = run("check -p raft -T 2 -L 1 --mutate AppendEntries.has:drop --engine bmc --depth 8 -q");
  CHECK(hasBmc.rc == 0);
  // A leader that rewrites its own entry (no Leader Append-Only): log matching fails.
  Run over = run("check -p raft -T 2 -L 1 --mutate leader-overwrites --inv log-matching -q");
  CHECK(over.rc == 12);
  CHECK(over.out.find("violated: log-matching breaks after 7 actions (shortest") != std::string::npos);
  // Without the prevLog check, an entry lands after a different history (logs of two entries).
  Run prev = run("check -p raft -T 2 -L 2 --mutate no-prev-check --inv log-matching -q");
  CHECK(prev.rc == 12);
  CHECK(prev.out.find("violated: log-matching breaks after 7 actions (shortest") != std::string::npos);
  // The event-order query does not take AppendEntries (it reads the leader's state and writes
  // none): one line, exit 2.
  Run events = run("check -p raft -T 2 -L 1 --engine events -q");
  CHECK(events.rc == 2);
  CHECK(events.err == "madewrong: error: --engine events does not apply to this model: AppendEntries reads a process's state but writes "
                      "none (a send that depends on the state)\n");
  // An action that reads one process's state and writes another's is not an event of one process:
  // --engine events refuses it in one line (before, an internal error, exit 1).
  std::ofstream("cli_copy.mw") << "protocol copy\nsort node: process\nsort round: ordered\nstate r[node]: round? = none\n"
                                  "action Start(a: node, k: round)\n  do set: r[a] := k\n"
                                  "action Copy(a: node, b: node)\n  when differ: r[a] != r[b]\n  do take: r[a] := r[b]\n"
                                  "invariant set \"every node has a round\": forall a: node. r[a] != none\n";
  Run copy = run("check -p cli_copy.mw --engine events -q");
  CHECK(copy.rc == 2);
  CHECK(copy.err == "madewrong: error: --engine events does not apply to this model: Copy reads or writes the state of more than one process\n");
}
