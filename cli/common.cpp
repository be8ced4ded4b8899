#include <CLI/CLI.hpp>
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
#include "queries/quorum_file.hpp"

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
  cmd->add_option("--depth,-k", a.depth, "the bound: the most actions in a run")->capture_default_str();
  cmd->add_option("--inv", a.inv, "the invariant to check (`madewrong list invariants`; default: the protocol's first)");
  if (withMutations)
    cmd->add_option("--mutate,-m", a.mutations, "apply a catalog mutation (`madewrong list mutations`) or a mutant by the id `madewrong mutants` prints; repeatable");
  cmd->add_option("--timeout", a.timeout, "seconds before a check gives up with verdict unknown (0: no limit)");
  cmd->add_option("--engine", a.engine,
                  "auto: induction (if the model has an inductive invariant), then breadth-first search with a "
                  "state cap and after it best-first search by a lower bound, racing the event-order query (one Z3 query "
                  "over the run's events and their order; it proves shortest lengths) or, where that encoding does "
                  "not apply, parallel BMC (in mutants and sweep, none on a protocol of over 5,000 ground actions: Z3 takes "
                  "minutes to free such a context), each bounding the other by its finds, and says which answered; parallel: Z3, several independent actions per step, shortest "
                  "in actions, up to the completeness threshold of parallel steps the protocol file states (every run); bmc: Z3, one "
                  "action per step; events: the event-order query alone, on both cores (a run, then one action less "
                  "until none: a shortest violation; or holds to --depth); explicit: breadth-first search over concrete states only ('holds for every run' "
                  "when it runs out of states); induction: only the proof by the protocol file's inductive invariant, for every run, "
                  "or its counterexample to induction (no search)")
      ->capture_default_str();
  cmd->add_option("--faults", a.faults,
                  "none, or restart: any process may restart at any time, and its state returns to its initial "
                  "values except what the protocol file marks `persistent`; messages sent stay sent")
      ->capture_default_str();
  cmd->add_option("--max-states", a.maxStates, "a cap on the states any breadth-first or best-first search stores: --engine explicit answers unknown "
                  "past it; under auto the explicit side stops there and the Z3 side goes on alone")
      ->capture_default_str();
  cmd->add_flag("--no-symmetry", a.noSymmetry,
                "no symmetry reduction over the processes and the symmetric sort (explicit engine) and no symmetry breaking (parallel BMC, event-order query)");
  cmd->add_flag("--keep-spent", a.keepSpent,
                "breadth-first and best-first search keep every sent message in their states; by default a spent message "
                "(one no action can read any more, and the invariant does not read) is left out, which finds the same runs "
                "in fewer states");
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
  if (a.depth < 0) throw BadInput(fmt::format("--depth {} is out of range: the number of actions must be 0 or more", a.depth));
  if (!std::isfinite(a.timeout) || a.timeout < 0)
    throw BadInput(fmt::format("--timeout {} is out of range: seconds must be 0 (no limit) or more", a.timeout));
  if (!protocol.invariant(a.inv)) {
    std::string names;
    for (auto& i : protocol.invariants) names += (names.empty() ? "" : ", ") + i.name;
    throw BadInput(fmt::format("unknown invariant '{}': choose one of {}", a.inv, names));
  }
  if (a.faults != "none" && a.faults != "restart")
    throw BadInput(fmt::format("--faults {}: choose none or restart", a.faults));
  try {
    Model mutated = mutate(protocol, a.mutations);
    // A forgotten state differs from the protocol only when a process restarts.
    for (size_t f = 0; f < protocol.funcs.size() && a.faults != "restart"; ++f)
      if (protocol.funcs[f].persistent && !mutated.funcs[f].persistent)
        throw BadInput(fmt::format("--mutate: {} is lost only when a process restarts; add --faults restart", protocol.funcs[f].name));
  } catch (const std::invalid_argument& e) {
    throw BadInput(e.what());
  }
  if (!knownEngine(a.engine)) throw BadInput(fmt::format("unknown engine '{}': choose {}", a.engine, engineChoices()));
  if (a.engine == "induction" && protocol.inductive.empty())
    throw BadInput(fmt::format("--engine induction: protocol '{}' declares no inductive invariant; choose another engine", protocol.name));
  if (a.maxStates < 1) throw BadInput(fmt::format("--max-states {} is out of range: it must be 1 or more", a.maxStates));
  if (!std::isfinite(a.memory) || a.memory < 0) throw BadInput(fmt::format("--memory {} is out of range: megabytes must be 0 (no limit) or more", a.memory));
  limitProcessMemory(a.memory, &stopRequested);
  memoryGiven = a.memory;  // before any engine thread starts
}


namespace {
const char* roleText(Role r) { return r == Role::Ordered ? "ordered: 0..N-1" : "interchangeable"; }
// "--ballots" (or "--set ballot" where the file declares no option), for errors.
std::string shownOption(const std::string& option, const std::string& name) {
  return option.empty() ? fmt::format("--set {}", name) : "--" + option;
}
}  // namespace

void addInstanceOptions(CLI::App* cmd, InstanceArgs& a, const Model& protocol, const char* nText) {
  std::string process = "processes";
  for (auto& d : protocol.sorts)
    if (d.sort.role == Role::Process) process = d.name + "s";
  if (nText) a.nOption = cmd->add_option("--n", a.n, fmt::format(fmt::runtime(nText), process))->capture_default_str();
  cmd->add_option("--f", a.f, "faults tolerated: a quorum system's default size is what the protocol file says, "
                              "n - f unless it says otherwise (default f = (n-1)/2, rounded down)");
  for (auto& d : protocol.sorts) {
    if (d.option.empty()) continue;
    std::string flags = "--" + d.option + (d.shortOption.empty() ? "" : ",-" + d.shortOption);
    Instance defaults;
    defaults.ordered.assign(16, 1);
    std::string help = fmt::format("size of sort {} ({}), 1..64; default {}", d.name, roleText(d.sort.role),
                                   d.size ? std::to_string(d.size->eval(defaults)) : "?");
    a.given[d.option] = kNotGiven;
    cmd->add_option(flags, a.given[d.option], help);
  }
  for (auto& q : protocol.systems) {
    if (q.option.empty()) continue;
    a.given[q.option] = kNotGiven;
    cmd->add_option("--" + q.option, a.given[q.option],
                    fmt::format("size of {}, 1..n (overrides --f)", q.text.empty() ? q.name + " quorums" : q.text));
  }
  for (auto& d : protocol.subsets) {
    if (d.option.empty()) continue;
    a.givenSubsets[d.option] = "";
    std::string defaults;
    for (int v : d.defaults) defaults += (defaults.empty() ? "" : ",") + showValue(protocol, d.sort, v);
    cmd->add_option("--" + d.option, a.givenSubsets[d.option],
                    fmt::format("{}: elements of {}, comma-separated, or none; default {}",
                                d.text.empty() ? "subset " + d.name : d.text, protocol.sortText(d.sort), defaults.empty() ? "none" : defaults));
  }
  cmd->add_option("--set", a.sets, "NAME=VALUE: a sort's size or a quorum system's size (or NAME=E1,E2 a subset's elements), "
                                   "by its name in the protocol file (or its option's); repeatable");
}

namespace {
// --set NAME=VALUE, checked against the protocol's names: name -> value.
std::map<std::string, int> parsedSets(const InstanceArgs& a, const Model& protocol) {
  std::map<std::string, int> out;
  for (auto& s : a.sets) {
    size_t eq = s.find('=');
    std::string name = s.substr(0, eq);
    if (eq == std::string::npos || name.empty())
      throw BadInput(fmt::format("--set '{}' is not NAME=VALUE (for example --set {}=3)", s,
                                 protocol.sorts.size() > 1 ? protocol.sorts[1].name : "size"));
    bool subset = false;
    for (auto& d : protocol.subsets) subset = subset || name == d.name || (!d.option.empty() && name == d.option);
    if (subset) continue;  // elements, not a number: subsetsFrom reads them
    std::string canonical;
    for (auto& d : protocol.sorts)
      if (d.isEnum() && name == d.name)
        throw BadInput(fmt::format("--set {}: sort {} is an enum of {} named elements; its size is fixed", s, d.name, d.constants.size()));
    for (auto& d : protocol.sorts)
      if (d.sort.role != Role::Process && (name == d.name || (!d.option.empty() && name == d.option))) canonical = d.name;
    for (auto& q : protocol.systems)
      if (name == q.name || (!q.option.empty() && name == q.option)) canonical = q.name;
    if (canonical.empty()) {
      std::string names;
      for (auto& d : protocol.sorts)
        if (d.sort.role != Role::Process && !d.isEnum()) names += (names.empty() ? "" : ", ") + d.name;
      for (auto& q : protocol.systems) names += (names.empty() ? "" : ", ") + q.name;
      for (auto& q : protocol.subsets) names += (names.empty() ? "" : ", ") + q.name;
      throw BadInput(fmt::format("--set {}: protocol {} has no sort{} '{}' (it has {}; n is --n)", s,
                                 protocol.name, protocol.subsets.empty() ? " or quorum system" : ", quorum system or subset", name, names.empty() ? "none" : names));
    }
    std::string value = s.substr(eq + 1);
    int v = 0;
    size_t used = 0;
    try {
      v = std::stoi(value, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (value.empty() || used != value.size()) throw BadInput(fmt::format("--set {}: '{}' is not a whole number", s, value));
    if (out.count(canonical)) throw BadInput(fmt::format("--set {}: '{}' is set twice", s, canonical));
    out[canonical] = v;
  }
  return out;
}
}  // namespace

// Each subset's elements: from its option, else from --set, else the file's default; each must be
// an element of its sort at this instance.
std::vector<std::vector<int>> subsetsFrom(const Model& protocol, const InstanceArgs& a, const Instance& in) {
  std::vector<std::vector<int>> out;
  for (auto& d : protocol.subsets) {
    std::string text, how;
    if (!d.option.empty() && a.givenSubsets.count(d.option) && !a.givenSubsets.at(d.option).empty()) {
      text = a.givenSubsets.at(d.option);
      how = "--" + d.option;
    }
    for (auto& s : a.sets) {
      size_t eq = s.find('=');
      std::string name = s.substr(0, eq);
      if (eq == std::string::npos || !(name == d.name || (!d.option.empty() && name == d.option))) continue;
      if (!how.empty()) throw BadInput(fmt::format("{} and --set {} both give subset {}: give one", how, name, d.name));
      text = s.substr(eq + 1);
      how = "--set " + name;
      if (text.empty()) throw BadInput(fmt::format("--set {}: give the elements of {}, comma-separated, or none", s, d.name));
    }
    std::vector<int> elems;
    if (how.empty()) {
      elems = d.defaults;
    } else if (text != "none") {
      const SortDecl* decl = protocol.sortDecl(d.sort);
      for (auto& item : commaList(how, text)) {
        int v = -1;
        if (decl && decl->isEnum()) {
          auto it = std::find(decl->constants.begin(), decl->constants.end(), item);
          if (it == decl->constants.end())
            throw BadInput(fmt::format("{} {}: '{}' is not an element of {} ({})", how, text, item, decl->name, fmt::join(decl->constants, ", ")));
          v = static_cast<int>(it - decl->constants.begin());
        } else {
          size_t used = 0;
          try {
            v = std::stoi(item, &used);
          } catch (const std::exception&) {
            used = 0;
          }
          if (used != item.size() || v < 0)
            throw BadInput(fmt::format("{} {}: '{}' is not an element of {} (a number 0..{})", how, text, item, protocol.sortText(d.sort), in.hi(d.sort)));
        }
        if (std::find(elems.begin(), elems.end(), v) != elems.end())
          throw BadInput(fmt::format("{} {}: '{}' is listed twice", how, text, item));
        elems.push_back(v);
      }
    }
    for (int v : elems)
      if (v > in.hi(d.sort))
        throw BadInput(fmt::format("{} {}: {} is not an element of {}, which is 0..{} here{}", how.empty() ? "subset " + d.name : how,
                                   how.empty() ? "(the file's default)" : text, v, protocol.sortText(d.sort), in.hi(d.sort),
                                   how.empty() ? fmt::format(" (give --{})", d.key()) : ""));
    std::sort(elems.begin(), elems.end());
    out.push_back(std::move(elems));
  }
  return out;
}

bool quorumSizeGiven(const InstanceArgs& a, const Model& protocol) {
  if (a.f != kNotGiven) return true;
  for (auto& q : protocol.systems)
    if (!q.option.empty() && a.given.count(q.option) && a.given.at(q.option) != kNotGiven) return true;
  auto sets = parsedSets(a, protocol);
  for (auto& q : protocol.systems)
    if (sets.count(q.name)) return true;
  return false;
}

Instance instanceFrom(const Model& protocol, const InstanceArgs& a, int n) {
  if (n < 1 || n > kMaxProcesses)
    throw BadInput(fmt::format("--n {} is out of range: n must be 1..{}", n, kMaxProcesses));
  if (a.f != kNotGiven && (a.f < 0 || a.f >= n))
    throw BadInput(fmt::format("--f {} is out of range: tolerated faults must be 0..n-1 = 0..{}", a.f, n - 1));
  std::map<std::string, int> sets = parsedSets(a, protocol);
  // A value from the sort's or system's own option, else from --set; both given is refused.
  // `how` says which, for errors ("--ballots", "--set ballot").
  std::string how;
  auto given = [&](const std::string& name, const std::string& option) -> int {
    int byOption = !option.empty() && a.given.count(option) ? a.given.at(option) : kNotGiven;
    auto it = sets.find(name);
    if (byOption != kNotGiven && it != sets.end())
      throw BadInput(fmt::format("--{} and --set {} both give {}: give one", option, it->first, name));
    how = byOption != kNotGiven ? "--" + option : fmt::format("--set {}", name);
    return byOption != kNotGiven ? byOption : it != sets.end() ? it->second : kNotGiven;
  };
  Instance in;
  in.n = n;
  in.values = 1;
  in.ordered.clear();
  in.quorums.clear();
  for (auto& d : protocol.sorts)  // ordered sorts in declaration order: their index
    if (d.sort.role == Role::Ordered) in.ordered.push_back(1);
  // Sizes may refer to sorts declared before them; sizes given on the command line first.
  for (auto& d : protocol.sorts) {
    if (d.sort.role == Role::Process) continue;
    if (d.isEnum()) {  // its elements are its size
      in.ordered[d.sort.index] = static_cast<int>(d.constants.size());
      continue;
    }
    int v = given(d.name, d.option);
    bool fromFile = v == kNotGiven;
    if (fromFile) v = d.size ? static_cast<int>(std::clamp<long>(d.size->eval(in), -1, 1000)) : 1;
    if (v < 1 || v > 64)
      throw BadInput(fromFile ? fmt::format("sort {} gets size {} from the protocol file at n = {}: a size must be 1..64 (give {})",
                                            d.name, v, n, shownOption(d.option, d.name))
                              : fmt::format("{} {} is out of range: the size of sort {} must be 1..64", how, v, d.name));
    (d.sort.role == Role::Ordered ? in.ordered[d.sort.index] : in.values) = v;
  }
  int faults = a.f == kNotGiven ? (n - 1) / 2 : a.f;
  for (auto& q : protocol.systems) {
    int v = given(q.name, q.option);
    bool fromFile = v == kNotGiven;
    if (fromFile) v = static_cast<int>(std::clamp<long>(q.defaultSize(in, faults), -1000, 1000));
    if (v < 1 || v > n)
      throw BadInput(fromFile ? fmt::format("quorum system {} gets size {} from the protocol file at n = {}, f = {}: a quorum "
                                            "size must be 1..n (give {} or --f)",
                                            q.name, v, n, faults, shownOption(q.option, q.name))
                              : fmt::format("{} {} is out of range: a quorum size must be 1..n = 1..{}", how, v, n));
    in.quorums.push_back(v);
  }
  in.subsets = subsetsFrom(protocol, a, in);
  return in;
}

std::string instanceText(const Model& protocol, const Instance& in) {
  std::string out = fmt::format("n={}", in.n);
  for (size_t k = 0; k < protocol.systems.size(); ++k) {
    std::string size = in.sets(static_cast<int>(k) + 1).empty() ? std::to_string(protocol.quorumSize(in, static_cast<int>(k) + 1))
                                                                 : showQuorumList(in.sets(static_cast<int>(k) + 1), processLetter(protocol));
    out += fmt::format(" {}={}", protocol.systems[k].key(), size);
  }
  for (auto& [name, size] : sortSizes(protocol, in)) out += fmt::format(" {}={}", name, size);
  for (size_t k = 0; k < protocol.subsets.size(); ++k) {
    std::string elems;
    for (int v : protocol.subsetOf(in, static_cast<int>(k))) elems += (elems.empty() ? "" : ",") + showValue(protocol, protocol.subsets[k].sort, v);
    out += fmt::format(" {}={}", protocol.subsets[k].key(), elems.empty() ? "none" : elems);
  }
  return out;
}

std::vector<std::pair<std::string, int>> sortSizes(const Model& protocol, const Instance& in) {
  std::vector<std::pair<std::string, int>> out;
  for (auto& d : protocol.sorts)
    if (d.sort.role != Role::Process && !d.isEnum()) out.emplace_back(d.key(), in.size(d.sort));
  return out;
}

std::vector<ListedQuorums> readListedQuorums(const std::string& path, const Model& protocol, int nGiven) {
  std::vector<std::string> names;
  for (auto& q : protocol.systems) names.push_back(q.name);
  if (names.empty()) throw BadInput(fmt::format("--quorums: protocol {} declares no quorum system", protocol.name));
  try {
    return readQuorumFile(path, names, processLetter(protocol), nGiven);
  } catch (const QuorumFileError& e) {
    throw BadInput(e.what());
  }
}

void refuseQuorumMutations(const Model& protocol, const std::vector<std::string>& mutations) {
  for (auto& m : mutations) {
    Model one = mutate(protocol, {m});
    for (int d : one.quorumDelta)
      if (d != 0) throw BadInput(fmt::format("mutation '{}' shrinks a quorum size, and --quorums lists quorums, not sizes", m));
  }
}

void checkMutatedQuorums(const Model& mutated, const Instance& in) {
  for (size_t k = 0; k < mutated.systems.size(); ++k) {
    int which = static_cast<int>(k) + 1;
    if (!in.sets(which).empty()) continue;  // listed quorums have no size to shrink
    if (mutated.quorumSize(in, which) < 1)
      throw BadInput(fmt::format("mutations {} leave quorum system {} with {} members (its size is {} here); a quorum "
                                 "needs at least one: give a larger size",
                                 fmt::join(mutated.mutations, ", "), mutated.systems[k].name, mutated.quorumSize(in, which),
                                 in.quorums.at(k)));
  }
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
  req.depth = a.depth;
  req.invariant = a.inv;
  req.mutations = a.mutations;
  req.timeoutSeconds = a.timeout;
  req.engine = a.engine;
  req.symmetry = !a.noSymmetry;
  req.dropSpent = !a.keepSpent;
  req.memoryMB = a.memory;
  req.maxStates = a.maxStates;
  req.restarts = a.faults == "restart";
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
