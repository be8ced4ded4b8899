// `madewrong sweep`: quorum sizes against safety, for every n asked, as grids, JSON, CSV and SVG;
// sharded runs that append one JSON line per cell, resumable, and merged afterwards.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>

#include "cli/common.hpp"
#include "cli/html_report.hpp"
#include "cli/jsonl.hpp"
#include "cli/sweep_out.hpp"
#include "queries/every_size.hpp"
#include "language/load.hpp"
#include "queries/completeness.hpp"
#include "queries/quorum_file.hpp"
#include "queries/sweep.hpp"

namespace mw::cli {

namespace {
struct SweepArgs : EngineArgs {
  InstanceArgs inst;  // its n is unused: --n takes a list here
  std::string ns = "3", shard, jsonl, resume, csv, svg, html, quorums;
  std::vector<std::string> merge;
  bool exhaustive = false, json = false, everySize = false;
} args;

// The run's parameters; the sizes are the sorts' (they do not depend on n unless the file says so:
// then they are those at the largest n).
SweepMeta metaOf(const SweepArgs& a, const Model& protocol, const Instance& in) {
  SweepMeta m;
  m.protocol = protocol.name;
  for (auto& q : protocol.systems) {
    m.systems.push_back(q.name);
    m.axes.push_back(q.key());
  }
  m.expect = protocol.expectSafe;
  m.sizes = sortSizes(protocol, in);
  m.depth = a.depth;
  m.invariant = a.inv;
  m.mutations = a.mutations;
  m.engine = a.engine;
  return m;
}

// Two decided records of one cell agree when verdict and length are the same.
MergeKey cellKey(const SweepMeta& meta) {
  return MergeKey{
    [axes = meta.axes](const nlohmann::json& j) {
      std::string key = fmt::format("n={}", j.value("n", 0));
      for (auto& axis : axes) key += fmt::format(" {}={}", axis, j.value(axis, 0));
      return key;
    },
    [](const nlohmann::json& j) { return j.value("verdict", "") != "unknown"; },
    [](const nlohmann::json& a, const nlohmann::json& b) {
      auto say = [](const nlohmann::json& j) {
        return j.value("verdict", "") == "violated" ? fmt::format("violated in {}", j.value("length", -1)) : j.value("verdict", "");
      };
      return say(a) == say(b) ? std::string() : fmt::format("{} against {}", say(a), say(b));
    }};
}

int quorumSystems(CLI::App* cmd, const SweepArgs& a, const Model& protocol) {
  for (const char* other : {"--svg", "--html", "--shard", "--jsonl", "--resume", "--merge", "--exhaustive"})
    if (cmd->count(other))
      throw BadInput(fmt::format("--quorums checks each listed quorum system once; {} belongs to a sweep of quorum sizes", other));
  int nGiven = 0;
  if (cmd->count("--n")) {
    std::vector<int> ns;
    try {
      ns = parseNList(a.ns, kMaxProcesses);
    } catch (const std::invalid_argument& e) {
      throw BadInput(e.what());
    }
    if (ns.size() != 1) throw BadInput(fmt::format("--n '{}' names several sizes; with --quorums give one, or none", a.ns));
    nGiven = ns[0];
  }
  if (quorumSizeGiven(a.inst, protocol))
    throw BadInput("--quorums lists the quorums itself: it cannot be combined with --f or a quorum size");
  std::optional<std::ofstream> csv;
  if (!a.csv.empty()) csv = openOutput(a.csv, "CSV");
  std::vector<ListedQuorums> systems = readListedQuorums(a.quorums, protocol, nGiven);
  refuseQuorumMutations(protocol, a.mutations);
  std::vector<std::pair<ListedQuorums, CheckResult>> rows;
  bool unknown = false;
  SweepMeta meta;
  for (auto& q : systems) {
    CheckRequest cr = requestFrom(a);
    cr.inst = instanceFrom(protocol, a.inst, q.n);
    cr.inst.quorumSets = q.sets;
    meta = metaOf(a, protocol, cr.inst);
    rows.emplace_back(q, runCheck(protocol, cr));
    unknown = unknown || rows.back().second.verdict == Verdict::Unknown;
  }
  if (a.json)
    std::cout << quorumSystemsJson(rows, meta).dump(2) << "\n";
  else
    std::cout << quorumSystemsText(rows, meta);
  if (csv) *csv << quorumSystemsCsv(rows, meta);
  return unknown ? kUnknown : kHolds;
}
}  // namespace

CLI::App* addSweepCommand(CLI::App& app, const Model& protocol) {
  auto* cmd = app.add_subcommand(
      "sweep",
      "For each n, every choice of the sizes of the protocol's quorum systems (one size per system): which keep --inv? Walks "
      "the safe/unsafe frontier, and compares with the sizes the protocol file expects safe. Without "
      "--depth and --mutate the bound is the protocol's completeness threshold at the largest n, so every verdict "
      "covers every run.");
  args = SweepArgs{};  // fresh defaults for every parse (the fuzz target parses many times)
  SweepArgs& a = args;
  cmd->add_option("--n", a.ns, "the numbers of processes (n): 3, 3..9, 3,5,7")->capture_default_str();
  addInstanceOptions(cmd, a.inst, protocol, nullptr);
  addEngineOptions(cmd, a);
  cmd->add_flag("--every-size", a.everySize,
                "then prove each cell that holds for every size: one first-order proof per set of quorum intersections the cells' sizes "
                "give (for Paxos, q1 + q2 > n), for every number of ballots and values and every n whose quorums meet the same way");
  cmd->add_flag("--exhaustive", a.exhaustive, "check every cell (one size per quorum system) instead of walking the frontier");
  cmd->add_flag("--json", a.json, "print the whole result as one JSON document on stdout");
  cmd->add_option("--csv", a.csv, "write one row per cell to FILE")->check(kFileName)->type_name("FILE");
  cmd->add_option("--svg", a.svg, "write a heat map of the grids, one panel per n (and per size of each system outside the grid), to FILE")->check(kFileName)->type_name("FILE");
  cmd->add_option("--html", a.html, "write one self-contained HTML page with the heat map and the report to FILE")->check(kFileName)->type_name("FILE");
  cmd->add_option("--shard", a.shard, "I/N: run only the cells of shard I of N (1-based; implies --exhaustive)");
  cmd->add_option("--jsonl", a.jsonl, "append one JSON line per decided cell to FILE, as each is decided")
      ->check(kFileName)->type_name("FILE");
  cmd->add_option("--resume", a.resume, "skip the cells already in FILE (a --jsonl file of the same sweep)")
      ->check(kFileName)->type_name("FILE");
  cmd->add_option("--merge", a.merge, "merge --jsonl files of shards into one result (no checking)")
      ->check(kFileName)->type_name("FILE");
  cmd->add_option("--quorums", a.quorums,
                  "JSON file of explicit quorums (per quorum system of the protocol, a list of process sets): check each")
      ->check(kFileName)->type_name("FILE");
  return cmd;
}

int runSweepCommand(CLI::App* cmd, const Model& protocol) {
  const SweepArgs& a = args;
  defaultInvariant(args, protocol);
  validateEngineArgs(a, protocol);
  installSignalHandlers();
  if (!a.quorums.empty() && a.everySize)
    throw BadInput("--every-size proves for every size: --quorums lists one instance's quorums");
  if (!a.quorums.empty()) return quorumSystems(cmd, a, protocol);
  if (protocol.systems.empty())
    throw BadInput(fmt::format("sweep tries the sizes of quorum systems, and protocol {} declares none", protocol.name));
  if (quorumSizeGiven(a.inst, protocol))
    throw BadInput("sweep tries every quorum size: --f and quorum sizes have no place here (give them to check)");

  SweepRequest req;
  // The sorts' sizes at the largest n asked (the same at every n unless the file's sizes use n).
  int largest = 1;
  try {
    for (int n : parseNList(a.ns, kMaxProcesses)) largest = std::max(largest, n);
  } catch (const std::invalid_argument& e) {
    if (a.merge.empty()) throw BadInput(e.what());
  }
  Instance sized = instanceFrom(protocol, a.inst, largest);
  SweepMeta meta = metaOf(a, protocol, sized);
  std::vector<SweepCell> merged;
  if (!a.merge.empty()) {
    for (const char* other : {"--n", "--shard", "--resume", "--jsonl", "--exhaustive", "--depth", "--mutate"})
      if (cmd->count(other))
        throw BadInput(fmt::format("--merge only reads finished shards; {} belongs to the runs that wrote them", other));
    std::vector<JsonLine> lines;
    for (auto& path : a.merge)
      for (auto& l : readJsonl(path, TornLine::Refuse, "madewrong sweep --jsonl")) lines.push_back(std::move(l));
    bool first = true;
    for (auto& l : lines) {
      SweepMeta m = meta;
      cellFromJson(l.value, m, l.where);
      if (first) meta = m, first = false;
      if (!(m == meta))
        throw BadInput(fmt::format("{}: written by a sweep with other parameters than {}", l.where, lines.front().where));
    }
    for (auto& l : mergeDecided(lines, cellKey(meta))) {
      SweepMeta m = meta;
      merged.push_back(cellFromJson(l.value, m, l.where));
    }
    if (merged.empty()) throw BadInput("the --merge files hold no cells");
  } else {
    try {
      req.ns = parseNList(a.ns, kMaxProcesses);
    } catch (const std::invalid_argument& e) {
      throw BadInput(e.what());
    }
    if (!a.shard.empty()) std::tie(req.shard, req.shards) = parseShard(a.shard);
    req.check = requestFrom(a);
    req.check.inst = sized;
    // Unmutated Paxos has a completeness threshold; a bounded "holds" short of it (n = 7 needs
    // 18 actions to break at q1 + q2 = n, past the default 16) would read as a wrong grid.
    if (cmd->count("--depth") == 0 && a.mutations.empty()) {
      int n = *std::max_element(req.ns.begin(), req.ns.end());
      Instance atLargest = sized;
      atLargest.n = n;
      for (int& q : atLargest.quorums) q = n;
      int threshold = completenessThreshold(protocol, atLargest);
      if (threshold > a.depth) req.check.depth = meta.depth = threshold;
    }
    req.exhaustive = a.exhaustive;
    // Only decided pairs are taken over: an unknown one (a limit, or a run stopped before it
    // was decided) is checked again.
    if (!a.resume.empty())
      for (auto& l : readJsonl(a.resume, TornLine::Ignore, "madewrong sweep --jsonl")) {
        SweepMeta m = meta;
        SweepCell c = cellFromJson(l.value, m, l.where);
        if (!(m == meta)) throw BadInput(fmt::format("{}: written by a sweep with other parameters", l.where));
        if (c.verdict != Verdict::Unknown) req.known[{c.n, c.sizes}] = c;
      }
  }
  std::optional<std::ofstream> csv, svg, html, jsonl;
  if (!a.csv.empty()) csv = openOutput(a.csv, "CSV");
  if (!a.svg.empty()) svg = openOutput(a.svg, "SVG");
  if (!a.html.empty()) html = openOutput(a.html, "HTML");
  refuseSameFile({{"--csv", a.csv}, {"--svg", a.svg}, {"--html", a.html}, {"--jsonl", a.jsonl}});
  if (!a.jsonl.empty()) jsonl = appendJsonl(a.jsonl);

  SweepResult res;
  if (!a.merge.empty()) {
    std::map<std::pair<int, std::vector<int>>, SweepCell> sorted;
    for (auto& c : merged) sorted[{c.n, c.sizes}] = c;
    for (auto& [k, c] : sorted) res.cells.push_back(c);
    chooseAxes(res, protocol, meta.mutations, meta.invariant);
  } else {
    bool sameFile = !a.resume.empty() && !a.jsonl.empty() && std::filesystem::exists(a.resume) &&
                    std::filesystem::exists(a.jsonl) && std::filesystem::equivalent(a.resume, a.jsonl);
    // A pair stopped by Ctrl-C or SIGTERM was not decided: it is left out, and --resume runs it.
    req.onCell = [&](const SweepCell& c) {
      bool stopped = c.verdict == Verdict::Unknown && c.reason == "interrupted";
      if (jsonl && !stopped && !(sameFile && req.known.count({c.n, c.sizes})))
        *jsonl << cellToJson(c, meta).dump() << std::endl;
    };
    if (!a.quiet) req.progress = [](const std::string& line) { fmt::print(stderr, "progress: {}\n", line); };
    res = runSweep(protocol, req);
  }
  std::vector<SweepProof> proofs;
  if (a.everySize) {
    CheckRequest check = requestFrom(a);
    check.inst = sized;
    check.stop = req.check.stop;
    try {
      proofs = proveSafeCells(protocol, res, check, a.quiet ? std::function<void(const std::string&)>()
                                                          : [](const std::string& line) { fmt::print(stderr, "progress: {}\n", line); });
    } catch (const std::invalid_argument& ex) {
      throw BadInput(ex.what());
    }
    for (auto& p : proofs)
      for (size_t i : p.cells)
        res.cells[i].everySize = outcomeWord(p.proof.outcome);
  }
  if (a.json) {
    nlohmann::json j = sweepJson(res, meta);
    if (a.everySize) j["every_size"] = everySizeJson(proofs, res, meta);
    std::cout << j.dump(2) << "\n";
  } else {
    std::cout << sweepText(res, meta);
    if (a.everySize) std::cout << everySizeText(proofs, res, meta);
  }
  if (csv) *csv << sweepCsv(res, meta);
  if (svg) *svg << sweepSvg(res, meta);
  if (html) *html << sweepHtml(protocol.name, fmt::format("sweep --n {}: {}", a.ns, a.merge.empty() ? "" : "(merged)"), sweepSvg(res, meta), sweepText(res, meta));
  bool unknown = res.interrupted;
  for (auto& c : res.cells) unknown = unknown || c.verdict == Verdict::Unknown;
  return unknown ? kUnknown : kHolds;
}

}  // namespace mw::cli
