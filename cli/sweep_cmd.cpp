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
#include "cli/sweep_out.hpp"
#include "encoder/paxos.hpp"
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

std::vector<nlohmann::json> readLines(const std::string& path, bool mustExist) {
  std::ifstream f(path);
  if (!f) {
    if (mustExist) throw BadInput(fmt::format("cannot read '{}'", path));
    return {};
  }
  std::vector<nlohmann::json> out;
  std::string line;
  int no = 0;
  while (std::getline(f, line)) {
    ++no;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    try {
      out.push_back(nlohmann::json::parse(line));
    } catch (const nlohmann::json::exception&) {
      // A run killed mid-write leaves at most a torn last line; anything else is a bad file.
      if (f.peek() == EOF) break;
      throw BadInput(fmt::format("{}:{}: not a JSON line written by madewrong sweep", path, no));
    }
  }
  return out;
}

int quorumSystems(const SweepArgs& a, const Model& paxos) {
  std::vector<QuorumSystem> systems;
  try {
    systems = readQuorumFile(a.quorums);
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
    rows.emplace_back(q, runCheck(paxos, cr));
    unknown = unknown || rows.back().second.verdict == Verdict::Unknown;
  }
  if (a.json)
    std::cout << quorumSystemsJson(rows, metaOf(a)).dump(2) << "\n";
  else
    std::cout << quorumSystemsText(rows, metaOf(a));
  return unknown ? kUnknown : kHolds;
}
}  // namespace

CLI::App* addSweepCommand(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "sweep",
      "For each n, every quorum-size pair (q1, q2): which keep --inv? Walks the safe/unsafe frontier. Without "
      "--depth and --mutate the bound is the completeness threshold 2B(n+1) of the largest n, so every verdict "
      "covers every run.");
  args = SweepArgs{};  // fresh defaults for every parse (the fuzz target parses many times)
  SweepArgs& a = args;
  cmd->add_option("--n", a.ns, "acceptor counts: 3, 3..9, 3,5,7")->capture_default_str();
  addEngineOptions(cmd, a);
  cmd->add_flag("--exhaustive", a.exhaustive, "check every pair instead of walking the frontier");
  cmd->add_flag("--json", a.json, "print the whole result as one JSON document on stdout");
  cmd->add_option("--csv", a.csv, "write one row per pair to FILE")->type_name("FILE");
  cmd->add_option("--svg", a.svg, "write a heat map of the grids, one panel per n, to FILE")->type_name("FILE");
  cmd->add_option("--shard", a.shard, "I/N: run only the pairs of shard I of N (1-based; implies --exhaustive)");
  cmd->add_option("--jsonl", a.jsonl, "append one JSON line per decided pair to FILE, as each is decided")
      ->type_name("FILE");
  cmd->add_option("--resume", a.resume, "skip the pairs already in FILE (a --jsonl file of the same sweep)")
      ->type_name("FILE");
  cmd->add_option("--merge", a.merge, "merge --jsonl files of shards into one result (no checking)")
      ->type_name("FILE...");
  cmd->add_option("--quorums", a.quorums,
                  "JSON file of explicit quorum systems (phase1/phase2 lists of acceptor sets): check each")
      ->type_name("FILE");
  return cmd;
}

int runSweepCommand(CLI::App* cmd) {
  const SweepArgs& a = args;
  Model paxos = paxosModel();
  validateEngineArgs(a, paxos);
  installSignalHandlers();
  if (!a.quorums.empty()) return quorumSystems(a, paxos);

  SweepRequest req;
  SweepMeta meta = metaOf(a);
  std::vector<SweepCell> merged;
  if (!a.merge.empty()) {
    bool first = true;
    for (auto& path : a.merge)
      for (auto& j : readLines(path, true)) {
        SweepMeta m;
        SweepCell c = cellFromJson(j, m);
        if (first) meta = m, first = false;
        if (!(m == meta)) throw BadInput(fmt::format("{}: written by a sweep with other parameters than {}", path, a.merge.front()));
        merged.push_back(c);
      }
    if (merged.empty()) throw BadInput("the --merge files hold no pairs");
  } else {
    try {
      req.ns = parseNList(a.ns);
    } catch (const std::invalid_argument& e) {
      throw BadInput(e.what());
    }
    for (int n : req.ns)
      if (n < 1 || n > kMaxAcceptors)
        throw BadInput(fmt::format("--n {} is out of range: the number of acceptors must be 1..{}", n, kMaxAcceptors));
    if (!a.shard.empty()) {
      int i = 0, n = 0;
      char slash = 0, extra = 0;
      std::istringstream in(a.shard);
      if (!(in >> i >> slash >> n) || slash != '/' || (in >> extra) || n < 1 || i < 1 || i > n)
        throw BadInput(fmt::format("--shard '{}' is not I/N with 1 <= I <= N (for example 2/8)", a.shard));
      req.shard = i;
      req.shards = n;
    }
    req.check = requestFrom(a);
    // Unmutated Paxos has a completeness threshold; a bounded "holds" short of it (n = 7 needs
    // 18 actions to break at q1 + q2 = n, past the default 16) would read as a wrong grid.
    if (cmd->count("--depth") == 0 && a.mutations.empty()) {
      int n = *std::max_element(req.ns.begin(), req.ns.end());
      int threshold = completenessThreshold(paxos, Instance(n, a.ballots, a.values, n, n));
      if (threshold > a.depth) req.check.depth = meta.depth = threshold;
    }
    req.exhaustive = a.exhaustive;
    if (!a.resume.empty())
      for (auto& j : readLines(a.resume, false)) {
        SweepMeta m;
        SweepCell c = cellFromJson(j, m);
        if (!(m == meta)) throw BadInput(fmt::format("{}: written by a sweep with other parameters", a.resume));
        req.known[{c.n, c.q1, c.q2}] = c;
      }
  }
  std::optional<std::ofstream> csv, svg, jsonl;
  if (!a.csv.empty()) csv = openOutput(a.csv, "CSV");
  if (!a.svg.empty()) svg = openOutput(a.svg, "SVG");
  if (!a.jsonl.empty()) {
    std::ofstream f(a.jsonl, std::ios::app);
    if (!f) throw BadInput(fmt::format("cannot write the JSONL file '{}' (check the directory exists and is writable)", a.jsonl));
    jsonl = std::move(f);
  }

  SweepResult res;
  if (!a.merge.empty()) {
    std::map<std::tuple<int, int, int>, SweepCell> unique;
    for (auto& c : merged) unique[{c.n, c.q1, c.q2}] = c;
    for (auto& [k, c] : unique) res.cells.push_back(c);
  } else {
    bool sameFile = !a.resume.empty() && !a.jsonl.empty() && std::filesystem::exists(a.resume) &&
                    std::filesystem::exists(a.jsonl) && std::filesystem::equivalent(a.resume, a.jsonl);
    req.onCell = [&](const SweepCell& c) {
      if (jsonl && !(sameFile && req.known.count({c.n, c.q1, c.q2}))) *jsonl << cellToJson(c, meta).dump() << std::endl;
    };
    if (!a.quiet) req.progress = [](const std::string& line) { fmt::print(stderr, "progress: {}\n", line); };
    res = runSweep(paxos, req);
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
