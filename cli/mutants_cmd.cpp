// `madewrong mutants`: every single-site mutant, run, ranked and explained.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <chrono>
#include <iostream>
#include <optional>
#include <sstream>
#include <thread>

#include "cli/common.hpp"
#include "cli/printers.hpp"
#include "encoder/paxos.hpp"
#include "mutations/operators.hpp"
#include "queries/mutants.hpp"

namespace mw::cli {

namespace {
struct MutantsArgs : EngineArgs {
  int n = 3, f = kNotGiven, q1 = kNotGiven, q2 = kNotGiven, jobs = kNotGiven;
  std::string operators, jsonl, report;
  bool json = false;
} args;

const char* kSurvivorNote =
    "breaks nothing within the bound: the step it changes is either stricter than safety needs (the way Flexible "
    "Paxos was found) or the bound is too small to show the difference";
const char* kEveryRunNote =
    "breaks nothing in any run of this instance: here the step it changes is stricter than safety needs (a larger "
    "instance may still break it)";

std::string verdictText(const MutantRow& r) {
  if (!r.equivalentTo.empty()) return "equivalent to " + r.equivalentTo;
  if (!r.done) return "not run (interrupted)";
  if (r.verdict == Verdict::Violated) return fmt::format("killed at {}", r.length);
  if (r.verdict == Verdict::Holds) return r.everyRun ? "survived every run" : fmt::format("survived to {}", r.depthChecked);
  return fmt::format("unknown ({})", r.reason);
}

std::string idWithAliases(const MutantRow& r) {
  return r.aliases.empty() ? r.id : fmt::format("{} [{}]", r.id, fmt::join(r.aliases, ", "));
}

nlohmann::json rowJson(const MutantRow& r) {
  nlohmann::json j = {{"id", r.id},     {"operator", r.op},         {"site", r.site},
                      {"description", r.description}, {"aliases", r.aliases}};
  if (!r.equivalentTo.empty()) {
    j["verdict"] = "equivalent";
    j["equivalent_to"] = r.equivalentTo;
    return j;
  }
  j["verdict"] = !r.done ? "not run" : r.verdict == Verdict::Violated ? "killed" : r.verdict == Verdict::Holds ? "survived" : "unknown";
  j["depth"] = r.depthChecked;
  j["every_run"] = r.everyRun;
  j["engine"] = r.engine;
  j["seconds"] = r.seconds;
  if (r.verdict == Verdict::Violated) {
    j["length"] = r.length;
    j["why"] = r.why;
    std::vector<std::string> steps;
    for (auto& s : r.result->trace->steps) steps.push_back(stepLine(r.result->model, s));
    j["trace"] = steps;
  }
  if (r.verdict == Verdict::Unknown) j["reason"] = r.reason;
  return j;
}

struct Counts {
  int killed = 0, survived = 0, equivalent = 0, unknown = 0, notRun = 0;
};
Counts count(const MutantsResult& res) {
  Counts c;
  for (auto& r : res.rows) {
    if (!r.equivalentTo.empty()) ++c.equivalent;
    else if (!r.done) ++c.notRun;
    else if (r.verdict == Verdict::Violated) ++c.killed;
    else if (r.verdict == Verdict::Holds) ++c.survived;
    else ++c.unknown;
  }
  return c;
}

std::string summary(const MutantsResult& res) {
  Counts c = count(res);
  std::string s = fmt::format("{} mutants: {} killed, {} survived, {} equivalent, {} unknown", res.rows.size(), c.killed,
                              c.survived, c.equivalent, c.unknown);
  if (c.notRun) s += fmt::format(", {} not run (interrupted)", c.notRun);
  return s + fmt::format(" ({:.1f} s)", res.seconds);
}

std::string table(const MutantsResult& res, const std::string& head) {
  std::string out = head + "\n";
  out += fmt::format("{:>3}  {:<48} {:<22} {:>7}  {}\n", "#", "mutant [catalog name]", "verdict", "seconds", "what it changes");
  int i = 0;
  for (const MutantRow* r : ranked(res)) {
    if (!r->equivalentTo.empty()) continue;
    out += fmt::format("{:>3}  {:<48} {:<22} {:>7.2f}  {}\n", ++i, idWithAliases(*r), verdictText(*r), r->seconds,
                       r->description);
  }
  bool anySurvivor = false;
  for (const MutantRow* r : ranked(res))
    if (r->done && r->equivalentTo.empty() && r->verdict == Verdict::Holds) {
      if (!anySurvivor) out += "\nsurvivors:\n";
      anySurvivor = true;
      out += fmt::format("  {} {}\n", r->id, r->everyRun ? kEveryRunNote : kSurvivorNote);
    }
  bool anyEq = false;
  for (const MutantRow* r : ranked(res))
    if (!r->equivalentTo.empty()) {
      if (!anyEq) out += "\nequivalent (same transitions and invariants as the mutant named; not run again):\n";
      anyEq = true;
      out += fmt::format("  {} = {}\n", idWithAliases(*r), r->equivalentTo);
    }
  if (res.interrupted) out += "\ninterrupted: the table holds the mutants that finished\n";
  out += "\n" + summary(res) + "\n";
  return out;
}

std::string reportMarkdown(const MutantsResult& res, const std::string& head) {
  std::string md = "# Paxos, made wrong one step at a time\n\n";
  md += "`" + head + "`\n\n" + summary(res) + ".\n\n";
  md += "Every killed mutant below comes with its shortest counterexample, replayed step by step on the concrete "
        "interpreter before it was written here, and drawn as a sequence diagram.\n\n";
  md += "| mutant | verdict | what it changes |\n| --- | --- | --- |\n";
  for (const MutantRow* r : ranked(res))
    if (r->equivalentTo.empty()) md += fmt::format("| `{}` | {} | {} |\n", idWithAliases(*r), verdictText(*r), r->description);
  md += "\n## Killed mutants\n";
  for (const MutantRow* r : ranked(res)) {
    if (!r->equivalentTo.empty() || r->verdict != Verdict::Violated || !r->done) continue;
    md += fmt::format("\n### `{}`\n\n**What it changes:** {}.\n\n**Why it breaks:** {}\n\n", idWithAliases(*r),
                      r->description, r->why);
    md += fmt::format("Shortest counterexample: {} actions.\n\n```mermaid\n{}```\n", r->length,
                      mermaidDiagram(*r->result));
  }
  md += "\n## Survivors\n\n";
  for (const MutantRow* r : ranked(res))
    if (r->equivalentTo.empty() && r->done && r->verdict == Verdict::Holds)
      md += fmt::format("- `{}` ({}): {}.\n", r->id, r->description, r->everyRun ? kEveryRunNote : kSurvivorNote);
  md += "\n## Equivalent mutants\n\n";
  for (const MutantRow* r : ranked(res))
    if (!r->equivalentTo.empty()) md += fmt::format("- `{}` = `{}`\n", r->id, r->equivalentTo);
  return md;
}
}  // namespace

CLI::App* addMutantsCommand(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "mutants", "Every single-site mutant of Paxos, checked, ranked (killed first, by trace length) and explained");
  args = MutantsArgs{};  // fresh defaults for every parse (the fuzz target parses many times)
  MutantsArgs& a = args;
  a.depth = 24;
  a.engine = "auto";
  cmd->add_option("--n", a.n, "number of acceptors")->capture_default_str();
  cmd->add_option("--f", a.f, "tolerated crash faults: q1 = q2 = n - f (default (n-1)/2, rounded down)");
  cmd->add_option("--q1", a.q1, "phase-1 quorum size, 1..n");
  cmd->add_option("--q2", a.q2, "phase-2 quorum size, 1..n");
  addEngineOptions(cmd, a, false);
  cmd->add_option("--operators", a.operators,
                  "comma-separated: comparison, weaken, update, variable, quorum, choice (default: all)");
  cmd->add_option("--jobs,-j", a.jobs, "worker threads (default: the number of cores)");
  cmd->add_flag("--json", a.json, "print the whole result as one JSON document on stdout");
  cmd->add_option("--jsonl", a.jsonl, "write one JSON line per finished mutant to FILE, flushed as it finishes")
      ->check(kFileName);
  cmd->add_option("--report", a.report, "write a Markdown report with a sequence diagram per killed mutant to FILE")
      ->check(kFileName)->check(kFileName)->type_name("FILE...");
  return cmd;
}

int runMutantsCommand(CLI::App* cmd) {
  const MutantsArgs& a = args;
  Model paxos = paxosModel();
  MutantsRequest req;
  req.check = requestFrom(a);
  req.check.maxStates = std::min(a.maxStates, 3'000'000L);
  Instance& inst = req.check.inst;
  inst = sizedInstance(a.n, a.f, a.q1, a.q2, a.ballots, a.values);
  validateEngineArgs(a, paxos);
  if (cmd->count("--operators")) req.operators = commaList("--operators", a.operators);
  try {
    generateMutants(paxos, req.operators);
  } catch (const std::invalid_argument& e) {
    throw BadInput(e.what());
  }
  if (a.jobs != kNotGiven && (a.jobs < 1 || a.jobs > 256)) throw BadInput(fmt::format("--jobs {} is out of range: it must be 1..256", a.jobs));
  req.jobs = a.jobs != kNotGiven ? a.jobs : std::max(1u, std::thread::hardware_concurrency());
  std::optional<std::ofstream> jsonl, report;
  if (!a.jsonl.empty()) jsonl = openOutput(a.jsonl, "JSONL");
  if (!a.report.empty()) report = openOutput(a.report, "report");

  std::string head = fmt::format("paxos mutants: n={} q1={} q2={} ballots={} values={} depth={} inv={} operators={} engine={} jobs={}",
                                 a.n, inst.q1, inst.q2, a.ballots, a.values, a.depth, a.inv,
                                 a.operators.empty() ? "all" : a.operators, a.engine, req.jobs);
  auto start = std::chrono::steady_clock::now();
  int killed = 0, survived = 0;
  req.onResult = [&](const MutantRow& row, int done, int total) {
    if (jsonl) *jsonl << rowJson(row).dump() << std::endl;  // flushed: an interrupted run keeps every line
    killed += row.verdict == Verdict::Violated;
    survived += row.verdict == Verdict::Holds;
    if (!a.quiet) {
      double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      fmt::print(stderr, "progress: {}/{} done, {} killed, {} survived, {:.1f} s elapsed, about {:.0f} s left\n", done,
                 total, killed, survived, secs, secs / done * (total - done));
    }
  };
  installSignalHandlers();
  MutantsResult res = runMutants(paxos, req);
  if (a.json) {
    nlohmann::json rows = nlohmann::json::array();
    for (const MutantRow* r : ranked(res)) rows.push_back(rowJson(*r));
    Counts c = count(res);
    std::cout << nlohmann::json{{"parameters", head},
                                {"mutants", rows},
                                {"killed", c.killed},
                                {"survived", c.survived},
                                {"equivalent", c.equivalent},
                                {"unknown", c.unknown},
                                {"not_run", c.notRun},
                                {"interrupted", res.interrupted},
                                {"seconds", res.seconds}}
                     .dump(2)
              << "\n";
  } else {
    std::cout << table(res, head);
  }
  if (report) *report << reportMarkdown(res, head);
  Counts c = count(res);
  return res.interrupted || c.unknown ? kUnknown : kHolds;
}

}  // namespace mw::cli
