#include "cli/common.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <z3++.h>

#include <cmath>
#include <csignal>
#include <filesystem>
#include <sstream>

#include "language/load.hpp"
#include "language/parser.hpp"
#include "mutations/catalog.hpp"

namespace mw::cli {

std::atomic<bool> stopRequested{false};
static double memoryGiven = 0;  // --memory, for stopWords
extern "C" void onStopSignal(int) { stopRequested.store(true); }

void installSignalHandlers() {
  std::signal(SIGINT, onStopSignal);
  std::signal(SIGTERM, onStopSignal);
}

void addEngineOptions(CLI::App* cmd, EngineArgs& a, bool withMutations) {
  cmd->add_option("--protocol,-p", a.protocol,
                  "a built-in protocol (`madewrong list protocols`) or a protocol file (docs/language.md)")
      ->capture_default_str();
  cmd->add_option("--ballots,-B", a.ballots, "ballots 0..B-1")->capture_default_str();
  cmd->add_option("--values,-V", a.values, "proposable values v1..vV")->capture_default_str();
  cmd->add_option("--depth,-k", a.depth, "the bound: the most actions in a run")->capture_default_str();
  cmd->add_option("--inv", a.inv, "the invariant to check (`madewrong list invariants`; default: the protocol's first)");
  if (withMutations)
    cmd->add_option("--mutate,-m", a.mutations, "apply a catalog mutation (`madewrong list mutations`) or a mutant by the id `madewrong mutants` prints; repeatable");
  cmd->add_option("--timeout", a.timeout, "seconds before a check gives up with verdict unknown (0: no limit)");
  cmd->add_option("--engine", a.engine,
                  "auto: induction (if the model has an inductive invariant), then breadth-first search with a "
                  "state cap and after it best-first search by a lower bound, racing the event-order query (one Z3 query "
                  "over the run's events and their order; it proves shortest lengths) or, where that encoding does "
                  "not apply, parallel BMC, each bounding the other by its finds, and says which answered; parallel: Z3, several independent actions per step, shortest "
                  "in actions, up to the completeness threshold of parallel steps the protocol file states (every run); bmc: Z3, one "
                  "action per step; events: the event-order query alone, on both cores (a run, then one action less "
                  "until none: a shortest violation; or holds to --depth); explicit: breadth-first search over concrete states only ('holds for every run' "
                  "when it runs out of states)")
      ->capture_default_str();
  cmd->add_option("--max-states", a.maxStates, "a cap on the states any breadth-first or best-first search stores: --engine explicit answers unknown "
                  "past it; under auto the explicit side stops there and the Z3 side goes on alone")
      ->capture_default_str();
  cmd->add_flag("--no-symmetry", a.noSymmetry,
                "no symmetry reduction over acceptors and values (explicit engine) and no symmetry breaking (parallel BMC, event-order query)");
  cmd->add_option("--memory", a.memory,
                  "megabytes of resident memory for the whole process (explicit states, every Z3 context): past it "
                  "every engine stops, unknown (exit 3); the peak stays within MB + 32 (about 55 MB to start a check)");
  cmd->add_flag("--quiet,-q", a.quiet, "no progress lines on stderr");
}

Model openProtocol(const std::string& nameOrPath) {
  try {
    return loadProtocol(nameOrPath);
  } catch (const ProtocolError& e) {
    throw BadInput(e.what());
  } catch (const std::invalid_argument& e) {
    throw BadInput(e.what());
  }
}

void defaultInvariant(EngineArgs& a, const Model& protocol) {
  if (!a.inv.empty()) return;
  if (protocol.invariants.empty())
    throw BadInput(fmt::format("protocol {} declares no invariant; expected at least one `invariant` to check", protocol.name));
  a.inv = protocol.invariants.front().name;
}

void validateEngineArgs(const EngineArgs& a, const Model& protocol) {
  if (a.ballots < 1 || a.ballots > 64)
    throw BadInput(fmt::format("--ballots {} is out of range: the number of ballots must be 1..64", a.ballots));
  if (a.values < 1 || a.values > 64)
    throw BadInput(fmt::format("--values {} is out of range: the number of values must be 1..64", a.values));
  if (a.depth < 0) throw BadInput(fmt::format("--depth {} is out of range: the number of actions must be 0 or more", a.depth));
  if (!std::isfinite(a.timeout) || a.timeout < 0)
    throw BadInput(fmt::format("--timeout {} is out of range: seconds must be 0 (no limit) or more", a.timeout));
  if (!protocol.invariant(a.inv)) {
    std::string names;
    for (auto& i : protocol.invariants) names += (names.empty() ? "" : ", ") + i.name;
    throw BadInput(fmt::format("unknown invariant '{}': choose one of {}", a.inv, names));
  }
  try {
    mutate(protocol, a.mutations);
  } catch (const std::invalid_argument& e) {
    throw BadInput(e.what());
  }
  if (a.engine != "bmc" && a.engine != "parallel" && a.engine != "explicit" && a.engine != "auto" && a.engine != "events")
    throw BadInput(fmt::format("unknown engine '{}': choose auto, parallel (Z3, several actions per step), bmc (Z3, one action per step), events (Z3, the run's events and their order) or explicit (breadth-first states)", a.engine));
  if (a.maxStates < 1) throw BadInput(fmt::format("--max-states {} is out of range: it must be 1 or more", a.maxStates));
  if (!std::isfinite(a.memory) || a.memory < 0) throw BadInput(fmt::format("--memory {} is out of range: megabytes must be 0 (no limit) or more", a.memory));
  limitProcessMemory(a.memory, &stopRequested);
  memoryGiven = a.memory;  // before any engine thread starts
}

Instance sizedInstance(int n, int f, int q1, int q2, int ballots, int values) {
  if (n < 1 || n > kMaxAcceptors)
    throw BadInput(fmt::format("--n {} is out of range: the number of acceptors must be 1..{}", n, kMaxAcceptors));
  if (f != kNotGiven && (f < 0 || f >= n))
    throw BadInput(fmt::format("--f {} is out of range: tolerated faults must be 0..n-1 = 0..{}", f, n - 1));
  int faults = f == kNotGiven ? (n - 1) / 2 : f;
  Instance in(n, ballots, values, q1 == kNotGiven ? n - faults : q1, q2 == kNotGiven ? n - faults : q2);
  if (in.q1 < 1 || in.q1 > n)
    throw BadInput(fmt::format("--q1 {} is out of range: a quorum size must be 1..n = 1..{}", in.q1, n));
  if (in.q2 < 1 || in.q2 > n)
    throw BadInput(fmt::format("--q2 {} is out of range: a quorum size must be 1..n = 1..{}", in.q2, n));
  return in;
}

void checkMutatedQuorums(const Model& mutated, const Instance& in) {
  if (!in.q1Sets.empty()) return;  // listed quorums have no size to shrink
  for (int which = 1; which <= 2; ++which)  // the model language has two quorum systems today
    if (mutated.quorumSize(in, which) < 1)
      throw BadInput(fmt::format("mutations {} leave quorum system {} with {} acceptors (its size is {} here); a quorum "
                                 "needs at least one: give a larger size",
                                 fmt::join(mutated.mutations, ", "), which, mutated.quorumSize(in, which),
                                 which == 1 ? in.q1 : in.q2));
}

const CLI::Validator kFileName(
    [](std::string& path) { return path.empty() ? std::string("an empty file name: give a path") : std::string(); }, "");

void refuseSameFile(const std::vector<std::pair<std::string, std::string>>& optionAndPath) {
  namespace fs = std::filesystem;
  for (size_t i = 0; i < optionAndPath.size(); ++i)
    for (size_t j = i + 1; j < optionAndPath.size(); ++j) {
      auto& [o1, p1] = optionAndPath[i];
      auto& [o2, p2] = optionAndPath[j];
      if (p1.empty() || p2.empty()) continue;
      auto where = [](const std::string& p) {
        std::error_code ec;
        fs::path c = fs::weakly_canonical(fs::absolute(p), ec);
        return ec ? fs::absolute(p).lexically_normal() : c;
      };
      bool same = where(p1) == where(p2);
      if (same) throw BadInput(fmt::format("{} and {} both name '{}': give each its own file", o1, o2, p1));
    }
}

std::pair<int, int> parseShard(const std::string& text) {
  int i = 0, n = 0;
  char slash = 0, extra = 0;
  std::istringstream in(text);
  if (!(in >> i >> slash >> n) || slash != '/' || (in >> extra) || n < 1 || i < 1 || i > n)
    throw BadInput(fmt::format("--shard '{}' is not I/N with 1 <= I <= N (for example 2/8)", text));
  return {i, n};
}

std::vector<std::string> commaList(const std::string& option, const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  for (;;) {
    size_t comma = text.find(',', start);
    std::string item = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (item.empty()) throw BadInput(fmt::format("{} '{}' has an empty item: give names separated by single commas", option, text));
    out.push_back(item);
    if (comma == std::string::npos) return out;
    start = comma + 1;
  }
}

CheckRequest requestFrom(const EngineArgs& a) {
  CheckRequest req;
  req.inst.ballots = a.ballots;
  req.inst.values = a.values;
  req.depth = a.depth;
  req.invariant = a.inv;
  req.mutations = a.mutations;
  req.timeoutSeconds = a.timeout;
  req.engine = a.engine;
  req.symmetry = !a.noSymmetry;
  req.memoryMB = a.memory;
  req.maxStates = a.maxStates;
  req.stop = &stopRequested;
  return req;
}

std::string stopWords(const std::string& reason) {
  if (reason != "memory limit") return "interrupted";
  return fmt::format("memory limit of {} MB reached", memoryGiven);
}

std::ofstream openOutput(const std::string& path, const char* what) {
  std::ofstream out(path);
  if (!out)
    throw BadInput(fmt::format("cannot write the {} file '{}' (check the directory exists and is writable)", what, path));
  return out;
}

}  // namespace mw::cli
