// The madewrong executable: CLI11 commands, input checks, output files and exit codes.
//
// Exit codes follow TLC and Apalache: 0 the property holds (to the bound), 12 a violation was
// found, 2 bad input, 3 unknown (a limit was hit), 1 an internal error (a trace that did not
// replay: a bug, reported as such and never as a result).
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <iostream>

#include <z3++.h>

#include "cli/printers.hpp"
#include "encoder/paxos.hpp"
#include "mutations/catalog.hpp"
#include "queries/check.hpp"

namespace {

constexpr int kHolds = 0, kInternal = 1, kBadInput = 2, kUnknown = 3, kViolated = 12;
constexpr int kMaxAcceptors = 16;

// Set by SIGINT/SIGTERM: the engines stop at the next check, the verdict is unknown, and the
// output files are still written whole.
std::atomic<bool> stopRequested{false};
extern "C" void onSignal(int) { stopRequested.store(true); }

struct BadInput : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct CheckArgs {
  int n = 3, ballots = 2, values = 2, depth = 16;
  int f = -1, q1 = -1, q2 = -1;
  std::string inv = "agreement";
  std::vector<std::string> mutations;
  double timeout = 0;
  std::string engine = "bmc";
  long maxStates = 5'000'000;
  bool json = false, quiet = false, noSymmetry = false;
  double memory = 0;
  std::string itf, mermaid;
};

// An output file is opened before the run so that a bad path fails fast, as bad input.
std::ofstream openOutput(const std::string& path, const char* what) {
  std::ofstream out(path);
  if (!out) throw BadInput(fmt::format("cannot write the {} file '{}' (check the directory exists and is writable)", what, path));
  return out;
}

mw::CheckRequest validate(const CheckArgs& a, const mw::Model& paxos) {
  if (a.n < 1 || a.n > kMaxAcceptors) throw BadInput(fmt::format("--n {} is out of range: the number of acceptors must be 1..{}", a.n, kMaxAcceptors));
  if (a.f != -1 && (a.f < 0 || a.f >= a.n))
    throw BadInput(fmt::format("--f {} is out of range: tolerated faults must be 0..n-1 = 0..{}", a.f, a.n - 1));
  int f = a.f == -1 ? (a.n - 1) / 2 : a.f;
  mw::CheckRequest req;
  req.inst.n = a.n;
  req.inst.q1 = a.q1 == -1 ? a.n - f : a.q1;
  req.inst.q2 = a.q2 == -1 ? a.n - f : a.q2;
  if (req.inst.q1 < 1 || req.inst.q1 > a.n) throw BadInput(fmt::format("--q1 {} is out of range: a quorum size must be 1..n = 1..{}", req.inst.q1, a.n));
  if (req.inst.q2 < 1 || req.inst.q2 > a.n) throw BadInput(fmt::format("--q2 {} is out of range: a quorum size must be 1..n = 1..{}", req.inst.q2, a.n));
  if (a.ballots < 1 || a.ballots > 64) throw BadInput(fmt::format("--ballots {} is out of range: the number of ballots must be 1..64", a.ballots));
  if (a.values < 1 || a.values > 64) throw BadInput(fmt::format("--values {} is out of range: the number of values must be 1..64", a.values));
  if (a.depth < 0) throw BadInput(fmt::format("--depth {} is out of range: the number of actions must be 0 or more", a.depth));
  if (a.timeout < 0) throw BadInput(fmt::format("--timeout {} is out of range: seconds must be 0 (no limit) or more", a.timeout));
  if (!paxos.invariant(a.inv)) {
    std::string names;
    for (auto& i : paxos.invariants) names += (names.empty() ? "" : ", ") + i.name;
    throw BadInput(fmt::format("unknown invariant '{}': choose one of {}", a.inv, names));
  }
  try {
    mw::mutate(paxos, a.mutations);
  } catch (const std::invalid_argument& e) {
    throw BadInput(e.what());
  }
  req.inst.ballots = a.ballots;
  req.inst.values = a.values;
  req.depth = a.depth;
  req.invariant = a.inv;
  req.mutations = a.mutations;
  req.timeoutSeconds = a.timeout;
  if (a.engine != "bmc" && a.engine != "explicit")
    throw BadInput(fmt::format("unknown engine '{}': choose bmc (Z3, bounded) or explicit (breadth-first states)", a.engine));
  if (a.maxStates < 1) throw BadInput(fmt::format("--max-states {} is out of range: it must be 1 or more", a.maxStates));
  if (a.memory < 0) throw BadInput(fmt::format("--memory {} is out of range: megabytes must be 0 (no limit) or more", a.memory));
  req.engine = a.engine;
  req.symmetry = !a.noSymmetry;
  req.memoryMB = a.memory;
  req.stop = &stopRequested;
  req.maxStates = a.maxStates;
  return req;
}

int runCheck(const CheckArgs& a) {
  mw::Model paxos = mw::paxosModel();
  mw::CheckRequest req = validate(a, paxos);
  std::optional<std::ofstream> itf, mermaid;
  if (!a.itf.empty()) itf = openOutput(a.itf, "ITF");
  if (!a.mermaid.empty()) mermaid = openOutput(a.mermaid, "Mermaid");
  if (req.inst.q1 + req.inst.q2 <= req.inst.n)
    fmt::print(stderr, "note: q1 + q2 = {} <= n = {}: phase-1 and phase-2 quorums need not intersect\n",
               req.inst.q1 + req.inst.q2, req.inst.n);
  if (!a.quiet) req.progress = [](const std::string& line) { fmt::print(stderr, "progress: {}\n", line); };

  if (a.memory > 0) z3::set_param("memory_max_size", static_cast<int>(a.memory));
  std::signal(SIGINT, onSignal);
  std::signal(SIGTERM, onSignal);
  mw::CheckResult r = mw::runCheck(paxos, req);
  if (a.json)
    std::cout << mw::jsonReport(r).dump(2) << "\n";
  else
    std::cout << mw::textReport(r);
  if (r.trace) {
    if (itf) *itf << mw::itfTrace(r).dump(2) << "\n";
    if (mermaid) *mermaid << mw::mermaidDiagram(r);
  } else {
    if (itf) *itf << nlohmann::json{{"vars", nlohmann::json::array()}, {"states", nlohmann::json::array()}}.dump(2) << "\n";
    if (mermaid) *mermaid << "sequenceDiagram\n    Note over madewrong: no counterexample\n";
  }
  switch (r.verdict) {
    case mw::Verdict::Holds: return kHolds;
    case mw::Verdict::Violated: return kViolated;
    case mw::Verdict::Unknown: return kUnknown;
  }
  return kInternal;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "madewrong: break Paxos on purpose. A bounded SMT verifier that looks for the shortest run of a\n"
      "(possibly mutated) protocol that breaks an invariant, or proves there is none up to a depth."};
  app.require_subcommand(1);
  app.footer("Exit codes: 0 holds to the bound, 12 violated, 2 bad input, 3 unknown (a limit was hit), 1 internal error.");

  CheckArgs a;
  auto* check = app.add_subcommand("check", "Is there a run of at most --depth actions that breaks --inv?");
  check->add_option("--n", a.n, "number of acceptors")->capture_default_str();
  check->add_option("--f", a.f, "tolerated crash faults: q1 = q2 = n - f (default (n-1)/2, rounded down)");
  check->add_option("--q1", a.q1, "phase-1 quorum size, 1..n (overrides --f; Flexible Paxos)");
  check->add_option("--q2", a.q2, "phase-2 quorum size, 1..n (overrides --f): a value is chosen by q2 votes in one ballot");
  check->add_option("--ballots,-B", a.ballots, "ballots 0..B-1")->capture_default_str();
  check->add_option("--values,-V", a.values, "proposable values v1..vV")->capture_default_str();
  check->add_option("--depth,-k", a.depth, "the bound: the most actions in a run")->capture_default_str();
  check->add_option("--inv", a.inv, "invariant: agreement | one-value-per-ballot")->capture_default_str();
  check->add_option("--mutate,-m", a.mutations, "apply a catalog mutation (repeatable); see `madewrong list mutations`");
  check->add_option("--timeout", a.timeout, "seconds before giving up with verdict unknown (0: no limit)");
  check->add_option("--engine", a.engine,
                    "bmc: Z3 bounded model checking; explicit: breadth-first search over concrete states, which "
                    "also proves 'holds for every run' when it runs out of new states")
      ->capture_default_str();
  check->add_option("--max-states", a.maxStates, "explicit engine: give up (unknown) after this many states")
      ->capture_default_str();
  check->add_flag("--no-symmetry", a.noSymmetry, "explicit engine: no symmetry reduction over acceptors and values");
  check->add_option("--memory", a.memory, "megabytes: the explicit engine stops (unknown) past it; Z3 gets it as its limit");
  check->add_flag("--json", a.json, "print the whole result as one JSON document on stdout");
  check->add_option("--itf", a.itf, "write the counterexample as ITF JSON (Apalache/Quint trace format) to FILE")->type_name("FILE");
  check->add_option("--mermaid", a.mermaid, "write the counterexample as a Mermaid sequence diagram to FILE")->type_name("FILE");
  check->add_flag("--quiet,-q", a.quiet, "no progress lines on stderr");

  auto* list = app.add_subcommand("list", "List the named catalog: `list mutations` or `list invariants`");
  std::string what;
  list->add_option("what", what, "mutations | invariants")->required();

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    fmt::print(stderr, "madewrong: error: {} (see --help)\n", e.what());
    return kBadInput;
  }

  try {
    if (list->parsed()) {
      if (what == "mutations") {
        for (auto& m : mw::catalog()) fmt::print("{:<22} {}\n", m.name, m.description);
      } else if (what == "invariants") {
        for (auto& i : mw::paxosModel().invariants) fmt::print("{:<22} {}\n", i.name, i.description);
      } else {
        throw BadInput(fmt::format("cannot list '{}': choose mutations or invariants", what));
      }
      return kHolds;
    }
    return runCheck(a);
  } catch (const BadInput& e) {
    fmt::print(stderr, "madewrong: error: {}\n", e.what());
    return kBadInput;
  } catch (const mw::ReplayError& e) {
    fmt::print(stderr, "madewrong: internal error: the counterexample did not replay ({}); this is a bug, please report it\n", e.what());
    return kInternal;
  } catch (const std::exception& e) {
    fmt::print(stderr, "madewrong: internal error: {}\n", e.what());
    return kInternal;
  }
}
