// `madewrong sweep`: quorum sizes against safety, for every n asked, as grids, JSON, CSV and SVG;
// sharded runs that append one JSON line per cell, resumable, and merged afterwards.
#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>

#include "cli/common.hpp"
#include "cli/jsonl.hpp"
#include "cli/sweep_out.hpp"
#include "language/load.hpp"
#include "queries/completeness.hpp"
#include "queries/quorum_file.hpp"
#include "queries/sweep.hpp"

namespace mw::cli {

namespace {
struct SweepArgs : EngineArgs {
  std::string ns = "3", shard, jsonl, resume, csv, svg, quorums;
  std::vector<std::string> merge;
  bool exhaustive = false, json = false;
} args;

SweepMeta metaOf(const SweepArgs& a) {
  return SweepMeta{a.ballots, a.values, a.depth, a.inv, a.mutations, a.engine};
}

// Two decided cells of one pair agree when verdict and length are the same.
const MergeKey kCellKey{
    [](const nlohmann::json& j) { return fmt::format("n={} q1={} q2={}", j.value("n", 0), j.value("q1", 0), j.value("q2", 0)); },
    [](const nlohmann::json& j) { return j.value("verdict", "") != "unknown"; },
    [](const nlohmann::json& a, const nlohmann::json& b) {
      auto say = [](const nlohmann::json& j) {
        return j.value("verdict", "") == "violated" ? fmt::format("violated in {}", j.value("length", -1)) : j.value("verdict", "");
      };
      return say(a) == say(b) ? std::string() : fmt::format("{} against {}", say(a), say(b));
    }};

int quorumSystems(CLI::App* cmd, const SweepArgs& a, const Model& protocol) {
  for (const char* other : {"--svg", "--shard", "--jsonl", "--resume", "--merge", "--exhaustive"})
    if (cmd->count(other))
      throw BadInput(fmt::format("--quorums checks each listed quorum system once; {} belongs to a sweep of quorum sizes", other));
  int nGiven = 0;
  if (cmd->count("--n")) {
    std::vector<int> ns;
    try {
      ns = parseNList(a.ns, kMaxAcceptors);
    } catch (const std::invalid_argument& e) {
      throw BadInput(e.what());
    }
    if (ns.size() != 1) throw BadInput(fmt::format("--n '{}' names several sizes; with --quorums give one, or none", a.ns));
    nGiven = ns[0];
  }
  std::optional<std::ofstream> csv;
  if (!a.csv.empty()) csv = openOutput(a.csv, "CSV");
  std::vector<QuorumSystem> systems;
  try {
    systems = readQuorumFile(a.quorums, nGiven);
  } catch (const QuorumFileError& e) {
    throw BadInput(e.what());
  }
  for (auto& m : a.mutations)
    if (m == "q1-minus-one" || m == "q2-minus-one")
      throw BadInput(fmt::format("mutation '{}' shrinks a quorum size, and --quorums lists quorums, not sizes", m));
  std::vector<std::pair<QuorumSystem, CheckResult>> rows;
  bool unknown = false;
  for (auto& q : systems) {
    CheckRequest cr = requestFrom(a);
    cr.inst = Instance(q.n, a.ballots, a.values, 0, 0);
    cr.inst.q1Sets = q.phase1;
    cr.inst.q2Sets = q.phase2;
    rows.emplace_back(q, runCheck(protocol, cr));
    unknown = unknown || rows.back().second.verdict == Verdict::Unknown;
  }
  if (a.json)
    std::cout << quorumSystemsJson(rows, metaOf(a)).dump(2) << "\n";
  else
    std::cout << quorumSystemsText(rows, metaOf(a));
  if (csv) *csv << quorumSystemsCsv(rows);
  return unknown ? kUnknown : kHolds;
}
}  // namespace

CLI::App* addSweepCommand(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "sweep",
      "For each n, every quorum-size pair (q1, q2): which keep --inv? Walks the safe/unsafe frontier. Without "
      "--depth and --mutate the bound is the protocol's completeness threshold at the largest n, so every verdict "
      "covers every run.");
  args = SweepArgs{};  // fresh defaults for every parse (the fuzz target parses many times)
  SweepArgs& a = args;
  cmd->add_option("--n", a.ns, "acceptor counts: 3, 3..9, 3,5,7")->capture_default_str();
  addEngineOptions(cmd, a);
  cmd->add_flag("--exhaustive", a.exhaustive, "check every pair instead of walking the frontier");
  cmd->add_flag("--json", a.json, "print the whole result as one JSON document on stdout");
  cmd->add_option("--csv", a.csv, "write one row per pair to FILE")->check(kFileName)->type_name("FILE");
  cmd->add_option("--svg", a.svg, "write a heat map of the grids, one panel per n, to FILE")->check(kFileName)->type_name("FILE");
  cmd->add_option("--shard", a.shard, "I/N: run only the pairs of shard I of N (1-based; implies --exhaustive)");
  cmd->add_option("--jsonl", a.jsonl, "append one JSON line per decided pair to FILE, as each is decided")
      ->check(kFileName)->type_name("FILE");
  cmd->add_option("--resume", a.resume, "skip the pairs already in FILE (a --jsonl file of the same sweep)")
      ->check(kFileName)->type_name("FILE");
  cmd->add_option("--merge", a.merge, "merge --jsonl files of shards into one result (no checking)")
      ->check(kFileName)->type_name("FILE");
  cmd->add_option("--quorums", a.quorums,
                  "JSON file of explicit quorum systems (phase1/phase2 lists of acceptor sets): check each")
      ->check(kFileName)->type_name("FILE");
  return cmd;
}

int runSweepCommand(CLI::App* cmd) {
  const SweepArgs& a = args;
  Model protocol = openProtocol(a.protocol);
  defaultInvariant(args, protocol);
  validateEngineArgs(a, protocol);
  installSignalHandlers();
  if (!a.quorums.empty()) return quorumSystems(cmd, a, protocol);

  SweepRequest req;
  SweepMeta meta = metaOf(a);
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
      SweepMeta m;
      cellFromJson(l.value, m, l.where);
      if (first) meta = m, first = false;
      if (!(m == meta))
        throw BadInput(fmt::format("{}: written by a sweep with other parameters than {}", l.where, lines.front().where));
    }
    for (auto& l : mergeDecided(lines, kCellKey)) {
      SweepMeta m;
      merged.push_back(cellFromJson(l.value, m, l.where));
    }
    if (merged.empty()) throw BadInput("the --merge files hold no pairs");
  } else {
    try {
      req.ns = parseNList(a.ns, kMaxAcceptors);
    } catch (const std::invalid_argument& e) {
      throw BadInput(e.what());
    }
    if (!a.shard.empty()) std::tie(req.shard, req.shards) = parseShard(a.shard);
    req.check = requestFrom(a);
    // Unmutated Paxos has a completeness threshold; a bounded "holds" short of it (n = 7 needs
    // 18 actions to break at q1 + q2 = n, past the default 16) would read as a wrong grid.
    if (cmd->count("--depth") == 0 && a.mutations.empty()) {
      int n = *std::max_element(req.ns.begin(), req.ns.end());
      int threshold = completenessThreshold(protocol, Instance(n, a.ballots, a.values, n, n));
      if (threshold > a.depth) req.check.depth = meta.depth = threshold;
    }
    req.exhaustive = a.exhaustive;
    // Only decided pairs are taken over: an unknown one (a limit, or a run stopped before it
    // was decided) is checked again.
    if (!a.resume.empty())
      for (auto& l : readJsonl(a.resume, TornLine::Ignore, "madewrong sweep --jsonl")) {
        SweepMeta m;
        SweepCell c = cellFromJson(l.value, m, l.where);
        if (!(m == meta)) throw BadInput(fmt::format("{}: written by a sweep with other parameters", l.where));
        if (c.verdict != Verdict::Unknown) req.known[{c.n, c.q1, c.q2}] = c;
      }
  }
  std::optional<std::ofstream> csv, svg, jsonl;
  if (!a.csv.empty()) csv = openOutput(a.csv, "CSV");
  if (!a.svg.empty()) svg = openOutput(a.svg, "SVG");
  refuseSameFile({{"--csv", a.csv}, {"--svg", a.svg}, {"--jsonl", a.jsonl}});
  if (!a.jsonl.empty()) jsonl = appendJsonl(a.jsonl);

  SweepResult res;
  if (!a.merge.empty()) {
    std::map<std::tuple<int, int, int>, SweepCell> sorted;
    for (auto& c : merged) sorted[{c.n, c.q1, c.q2}] = c;
    for (auto& [k, c] : sorted) res.cells.push_back(c);
  } else {
    bool sameFile = !a.resume.empty() && !a.jsonl.empty() && std::filesystem::exists(a.resume) &&
                    std::filesystem::exists(a.jsonl) && std::filesystem::equivalent(a.resume, a.jsonl);
    // A pair stopped by Ctrl-C or SIGTERM was not decided: it is left out, and --resume runs it.
    req.onCell = [&](const SweepCell& c) {
      bool stopped = c.verdict == Verdict::Unknown && c.reason == "interrupted";
      if (jsonl && !stopped && !(sameFile && req.known.count({c.n, c.q1, c.q2})))
        *jsonl << cellToJson(c, meta).dump() << std::endl;
    };
    if (!a.quiet) req.progress = [](const std::string& line) { fmt::print(stderr, "progress: {}\n", line); };
    res = runSweep(protocol, req);
  }
  if (a.json)
    std::cout << sweepJson(res, meta).dump(2) << "\n";
  else
    std::cout << sweepText(res, meta);
  if (csv) *csv << sweepCsv(res);
  if (svg) *svg << sweepSvg(res, meta);
  bool unknown = res.interrupted;
  for (auto& c : res.cells) unknown = unknown || c.verdict == Verdict::Unknown;
  return unknown ? kUnknown : kHolds;
}

}  // namespace mw::cli
