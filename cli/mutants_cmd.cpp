// `madewrong mutants`: every single-site mutant, run, ranked and explained.
#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <chrono>
#include <filesystem>
#include <iostream>
#include <map>
#include <optional>
#include <sstream>
#include <thread>

#include "cli/common.hpp"
#include "cli/html_report.hpp"
#include "cli/jsonl.hpp"
#include "cli/printers.hpp"
#include "language/load.hpp"
#include "mutations/catalog.hpp"
#include "mutations/operators.hpp"
#include "queries/mutants.hpp"

namespace mw::cli {

namespace {
struct MutantsArgs : EngineArgs {
  InstanceArgs inst;
  int jobs = kNotGiven;
  std::string operators, jsonl, report, html, shard, resume;
  std::vector<std::string> merge;
  bool json = false, everySize = false;
} args;

const char* kSurvivorNote =
    "breaks nothing within the bound: the step it changes is either stricter than safety needs (the way Flexible "
    "Paxos was found) or the bound is too small to show the difference";
const char* kEveryRunNote =
    "breaks nothing in any run of this instance: here the step it changes is stricter than safety needs (a larger "
    "instance may still break it)";

// What a survivor's verdict rests on, in words.
std::string survivorNote(const MutantRow& r) {
  std::string note = r.everyRun ? kEveryRunNote : kSurvivorNote;
  if (r.changedOnly)
    note += "; proved by induction on the actions it changes (the protocol's own proof, done once for this run, covers "
            "the rest)";
  return note;
}

std::string verdictText(const MutantRow& r) {
  if (!r.equivalentTo.empty()) return "equivalent to " + r.equivalentTo;
  if (!r.done) return "not run (stopped)";
  if (r.verdict == Verdict::Violated) return fmt::format("killed at {}", r.length);
  if (r.verdict == Verdict::Holds && r.everySize == "proved") return fmt::format("safe, every size ({})", r.everySizeConjuncts.size());
  if (r.verdict == Verdict::Holds && r.everySize == "killed larger") return "killed, larger size";
  if (r.verdict == Verdict::Holds && !r.everySize.empty()) return r.everyRun ? "survived; size open" : fmt::format("survived {}; size open", r.depthChecked);
  if (r.verdict == Verdict::Holds) return r.everyRun ? "survived every run" : fmt::format("survived to {}", r.depthChecked);
  return fmt::format("unknown ({})", r.reason);
}

std::string idWithAliases(const MutantRow& r) {
  return r.aliases.empty() ? r.id : fmt::format("{} [{}]", r.id, fmt::join(r.aliases, ", "));
}

// One mutant as a JSON object; `parameters` (the run's, without --jobs) lets --resume and --merge
// refuse rows of another run.
// `withSvg`: the SVG diagram too (--jsonl keeps it, so that a merged run can still draw pages).
nlohmann::json rowJson(const MutantRow& r, const std::string& parameters, bool withSvg = false) {
  nlohmann::json j = {{"id", r.id},     {"operator", r.op},         {"site", r.site},
                      {"description", r.description}, {"aliases", r.aliases}, {"parameters", parameters}};
  if (!r.equivalentTo.empty()) {
    j["verdict"] = "equivalent";
    j["equivalent_to"] = r.equivalentTo;
    return j;
  }
  j["verdict"] = !r.done ? "not run" : r.verdict == Verdict::Violated ? "killed" : r.verdict == Verdict::Holds ? "survived" : "unknown";
  j["depth"] = r.depthChecked;
  j["every_run"] = r.everyRun;
  j["engine"] = r.engine;
  if (r.changedOnly) j["changed_actions_only"] = true;
  j["seconds"] = r.seconds;
  if (r.verdict == Verdict::Violated) {
    j["length"] = r.length;
    j["why"] = r.why;
    j["trace"] = r.result ? traceSteps(*r.result) : !r.steps.empty() ? nlohmann::json::parse(r.steps) : nlohmann::json(r.trace);
    j["diagram"] = r.result ? mermaidDiagram(*r.result) : r.diagram;
    if (withSvg) j["svg"] = r.result ? svgDiagram(*r.result) : r.svg;
  }
  if (r.verdict == Verdict::Unknown) j["reason"] = r.reason;
  if (!r.everySize.empty()) j["every_size"] = {{"verdict", r.everySize}, {"text", r.everySizeText}, {"conjuncts", r.everySizeConjuncts}};
  return j;
}

// A row written by rowJson, read back (--resume, --merge); throws BadInput naming the line.
MutantRow rowFromJson(const JsonLine& l, const std::string& parameters) {
  const nlohmann::json& j = l.value;
  auto bad = [&](const std::string& why) {
    return BadInput(fmt::format("{}: not a mutant written by madewrong mutants --jsonl: {}", l.where, why));
  };
  MutantRow r;
  try {
    if (!j.is_object()) throw bad("not a JSON object");
    if (!j.contains("parameters") || !j["parameters"].is_string()) throw bad("\"parameters\" is missing");
    if (j.at("parameters").get<std::string>() != parameters)
      throw BadInput(fmt::format("{}: written by a mutants run with other parameters ({})", l.where,
                                 j.at("parameters").get<std::string>()));
    r.id = j.at("id").get<std::string>();
    r.op = j.at("operator").get<std::string>();
    r.site = j.at("site").get<std::string>();
    r.description = j.at("description").get<std::string>();
    r.aliases = j.at("aliases").get<std::vector<std::string>>();
    std::string v = j.at("verdict").get<std::string>();
    if (v == "equivalent") {
      r.equivalentTo = j.at("equivalent_to").get<std::string>();
      return r;
    }
    if (v != "killed" && v != "survived" && v != "unknown") throw bad(fmt::format("\"verdict\" is '{}'", v));
    r.done = true;
    r.verdict = v == "killed" ? Verdict::Violated : v == "survived" ? Verdict::Holds : Verdict::Unknown;
    r.depthChecked = j.at("depth").get<int>();
    r.everyRun = j.at("every_run").get<bool>();
    r.engine = j.at("engine").get<std::string>();
    r.changedOnly = j.value("changed_actions_only", false);
    r.seconds = j.at("seconds").get<double>();
    if (r.verdict == Verdict::Violated) {
      r.length = j.at("length").get<int>();
      if (r.length < 0) throw bad("\"length\" is negative");
      r.why = j.at("why").get<std::string>();
      try {
        r.trace = traceTexts(j.at("trace"), false);
      } catch (const std::invalid_argument& e) {
        throw bad(fmt::format("\"trace\": {}", e.what()));
      }
      if (!j["trace"].empty() && j["trace"][0].is_object()) r.steps = j["trace"].dump();
      r.diagram = j.at("diagram").get<std::string>();
      if (j.contains("svg")) r.svg = j.at("svg").get<std::string>();
    }
    if (r.verdict == Verdict::Unknown) r.reason = j.at("reason").get<std::string>();
    if (j.contains("every_size")) {
      r.everySize = j.at("every_size").at("verdict").get<std::string>();
      r.everySizeText = j.at("every_size").at("text").get<std::string>();
      if (j.at("every_size").contains("conjuncts")) r.everySizeConjuncts = j.at("every_size").at("conjuncts").get<std::vector<std::string>>();
    }
  } catch (const nlohmann::json::exception& e) {
    throw bad(fmt::format("a field is missing or of the wrong type ({})", e.what()));
  }
  return r;
}

// Two decided rows of one mutant agree when verdict and length are the same.
const MergeKey kMutantKey{
    [](const nlohmann::json& j) { return fmt::format("mutant {}", j.value("id", "")); },
    [](const nlohmann::json& j) { return j.value("verdict", "") != "unknown"; },
    [](const nlohmann::json& a, const nlohmann::json& b) {
      auto say = [](const nlohmann::json& j) {
        return j.value("verdict", "") == "killed" ? fmt::format("killed at {}", j.value("length", -1)) : j.value("verdict", "");
      };
      return say(a) == say(b) ? std::string() : fmt::format("{} against {}", say(a), say(b));
    }};

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
  int proved = 0, tried = 0, larger = 0;
  for (auto& r : res.rows) {
    tried += !r.everySize.empty();
    proved += r.everySize == "proved";
    larger += r.everySize == "killed larger";
  }
  if (tried)
    s += fmt::format(" ({} of {} survivors safe for every size, {} killed at a larger instance, {} open)", proved, tried, larger,
                     tried - proved - larger);
  if (c.notRun) s += fmt::format(", {} not run ({})", c.notRun, res.stopReason == "memory limit" ? "memory limit" : "interrupted");
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
      out += fmt::format("  {} {}{}\n", r->id, survivorNote(*r),
                         r->everySizeText.empty() ? "" : ".\n    " + r->everySizeText);
    }
  bool anyEq = false;
  for (const MutantRow* r : ranked(res))
    if (!r->equivalentTo.empty()) {
      if (!anyEq) out += "\nequivalent (same transitions and invariants as the mutant named; not run again):\n";
      anyEq = true;
      out += fmt::format("  {} = {}\n", idWithAliases(*r), r->equivalentTo);
    }
  if (res.interrupted) out += fmt::format("\n{}: the table holds the mutants that finished\n", stopWords(res.stopReason));
  out += "\n" + summary(res) + "\n";
  return out;
}

std::string reportMarkdown(const MutantsResult& res, const std::string& head, const std::string& protocol) {
  std::string md = fmt::format("# {}, made wrong one step at a time\n\n", protocol);
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
                      r->result ? mermaidDiagram(*r->result) : r->diagram);
  }
  md += "\n## Survivors\n\n";
  for (const MutantRow* r : ranked(res))
    if (r->equivalentTo.empty() && r->done && r->verdict == Verdict::Holds)
    {
      md += fmt::format("- `{}` ({}): {}.{}\n", r->id, r->description, survivorNote(*r),
                        r->everySizeText.empty() ? "" : " " + r->everySizeText + ".");
      if (!r->everySizeConjuncts.empty()) md += "  The proof's conjuncts:\n";
      for (auto& c : r->everySizeConjuncts) md += "  - " + c + "\n";
    }
  md += "\n## Equivalent mutants\n\n";
  for (const MutantRow* r : ranked(res))
    if (!r->equivalentTo.empty()) md += fmt::format("- `{}` = `{}`\n", r->id, r->equivalentTo);
  return md;
}
// The page's rows, in the table's order, each with what it changes in the file's words.
std::vector<HtmlMutant> htmlRows(const MutantsResult& res, const Model& base, const std::vector<std::string>& operators) {
  std::map<std::string, Model> models;
  for (auto& m : generateMutants(base, operators)) models.emplace(m.id, std::move(m.model));
  std::vector<HtmlMutant> out;
  for (const MutantRow* r : ranked(res)) {
    HtmlMutant h;
    h.id = r->id;
    h.title = idWithAliases(*r);
    h.verdict = verdictText(*r);
    h.description = r->description;
    h.kind = !r->equivalentTo.empty() ? "equivalent" : !r->done ? "not run"
             : r->verdict == Verdict::Violated ? "killed" : r->verdict == Verdict::Holds ? "survived" : "unknown";
    h.equivalentTo = r->equivalentTo;
    h.note = survivorNote(*r) + (r->everySizeText.empty() ? "" : ". " + r->everySizeText);
    if (auto it = models.find(r->id); it != models.end()) h.changes = changedText(base, it->second);
    if (h.kind == "killed") {
      h.why = r->why;
      h.svg = r->result ? svgDiagram(*r->result) : r->svg;
      h.steps = r->trace;
      if (r->result) h.stepper = stepperData(*r->result);
    }
    out.push_back(std::move(h));
  }
  return out;
}
}  // namespace

CLI::App* addMutantsCommand(CLI::App& app, const Model& protocol) {
  auto* cmd = app.add_subcommand(
      "mutants", "Every single-site mutant of the protocol, checked, ranked (killed first, by trace length) and explained");
  args = MutantsArgs{};  // fresh defaults for every parse (the fuzz target parses many times)
  MutantsArgs& a = args;
  a.depth = 24;
  a.engine = "auto";
  addInstanceOptions(cmd, a.inst, protocol, "number of {} (n)");
  addEngineOptions(cmd, a, false);
  cmd->add_option("--mutate,-m", a.mutations,
                  "make the mutants on the protocol with this catalog mutation (or mutant id) applied first, e.g. a "
                  "reading of the protocol to compare; repeatable");
  cmd->add_option("--operators", a.operators,
                  "comma-separated: comparison, weaken, update, variable, quorum, choice, forget (default: all; forget, which makes a persistent state volatile, only with --faults restart)");
  cmd->add_option("--jobs,-j", a.jobs, "worker threads (default: the number of cores)");
  cmd->add_flag("--json", a.json, "print the whole result as one JSON document on stdout");
  cmd->add_option("--jsonl", a.jsonl,
                  "append one JSON line per decided mutant (equivalent ones too) to FILE, flushed as it is decided")
      ->check(kFileName)->type_name("FILE");
  cmd->add_option("--shard", a.shard, "I/N: check only the mutants of shard I of N (1-based), for spreading over machines");
  cmd->add_option("--resume", a.resume, "take the decided mutants from FILE (a --jsonl file of the same run); check the rest")
      ->check(kFileName)->type_name("FILE");
  cmd->add_option("--merge", a.merge, "merge --jsonl files of shards into one table (no checking)")
      ->check(kFileName)->type_name("FILE");
  cmd->add_option("--report", a.report, "write a Markdown report with a sequence diagram per killed mutant to FILE")
      ->check(kFileName)->type_name("FILE");
  cmd->add_flag("--every-size", a.everySize,
                "for each survivor, a proof for every size: the protocol's inductive invariant on the mutant in "
                "first-order logic, else a Houdini search (its conjuncts rewritten by the mutant's change, and "
                "never-sent / keeps-initial candidates), else a check at a larger instance (docs/every-size.md)");
  cmd->add_option("--html", a.html,
                  "write one self-contained HTML page to FILE: the table, and for each killed mutant what it changes in "
                  "the protocol file's words, why it breaks, its SVG sequence diagram and a step-through of its states; "
                  "then the survivors and the equivalences")
      ->check(kFileName)->type_name("FILE");
  return cmd;
}

int runMutantsCommand(CLI::App* cmd, const Model& protocol) {
  const MutantsArgs& a = args;
  defaultInvariant(args, protocol);
  MutantsRequest req;
  req.check = requestFrom(a);
  req.check.maxStates = std::min(a.maxStates, 3'000'000L);
  Instance& inst = req.check.inst;
  inst = instanceFrom(protocol, a.inst, a.inst.n);
  validateEngineArgs(a, protocol);
  if (cmd->count("--operators")) req.operators = commaList("--operators", a.operators);
  req.everySize = a.everySize;
  req.sizesGiven = quorumSizeGiven(a.inst, protocol);
  if (a.everySize && req.check.restarts) throw BadInput("--every-size: --faults restart is not in the first-order encoding yet");
  if (a.everySize && protocol.inductive.empty())
    throw BadInput(fmt::format("--every-size: protocol '{}' states no inductive invariant to prove", protocol.name));
  if (!req.check.restarts && std::find(req.operators.begin(), req.operators.end(), "forget") != req.operators.end())
    throw BadInput("--operators forget: a forgotten state is lost only when a process restarts; add --faults restart");
  // The mutants are made on the protocol as written, or on it with --mutate applied (a base).
  Model base = protocol;
  try {
    base = mutate(protocol, a.mutations);
    generateMutants(base, req.operators);
  } catch (const std::invalid_argument& e) {
    throw BadInput(e.what());
  }
  checkMutatedQuorums(base, inst);
  if (a.jobs != kNotGiven && (a.jobs < 1 || a.jobs > 256)) throw BadInput(fmt::format("--jobs {} is out of range: it must be 1..256", a.jobs));
  req.jobs = a.jobs != kNotGiven ? a.jobs : std::max(1u, std::thread::hardware_concurrency());
  if (!a.shard.empty()) std::tie(req.shard, req.shards) = parseShard(a.shard);
  refuseSameFile({{"--jsonl", a.jsonl}, {"--report", a.report}, {"--html", a.html}});

  std::string params = fmt::format("{} mutants: {} depth={} inv={} operators={} engine={}", protocol.name,
                                   instanceText(protocol, inst), a.depth, a.inv, a.operators.empty() ? "all" : a.operators,
                                   a.engine);
  if (!a.mutations.empty()) params += fmt::format(" on={}", fmt::join(a.mutations, ","));
  if (req.check.restarts) params += " faults=restart";
  if (a.everySize) params += " every-size";
  std::string head = params + fmt::format(" jobs={}", req.jobs) +
                     (req.shards > 1 ? fmt::format(" shard={}/{}", req.shard, req.shards) : "");
  std::optional<std::ofstream> report, html;
  if (!a.report.empty()) report = openOutput(a.report, "report");
  if (!a.html.empty()) html = openOutput(a.html, "HTML");
  MutantsResult res;
  if (!a.merge.empty()) {
    std::vector<std::string> others = {"--shard", "--resume", "--jsonl", "--n", "--f", "--set", "--depth", "--operators", "--engine", "--inv", "--faults", "--mutate"};
    for (auto& [option, value] : a.inst.given) others.push_back("--" + option);
    for (auto& other : others)
      if (cmd->count(other))
        throw BadInput(fmt::format("--merge only reads finished shards; {} belongs to the runs that wrote them", other));
    std::vector<JsonLine> lines;
    for (auto& path : a.merge)
      for (auto& l : readJsonl(path, TornLine::Refuse, "madewrong mutants --jsonl")) lines.push_back(std::move(l));
    if (lines.empty()) throw BadInput("the --merge files hold no mutants");
    // The first line's run is the one every other line must come from.
    params = lines.front().value.is_object() ? lines.front().value.value("parameters", "") : "";
    for (auto& l : lines) rowFromJson(l, params);  // every line is checked, not only the first of each mutant
    for (auto& l : mergeDecided(lines, kMutantKey)) res.rows.push_back(rowFromJson(l, params));
    head = params + " (merged)";
  } else {
    // Only decided rows are taken over: an unknown one (a limit was hit) is checked again.
    if (!a.resume.empty())
      for (auto& l : readJsonl(a.resume, TornLine::Ignore, "madewrong mutants --jsonl")) {
        MutantRow row = rowFromJson(l, params);
        if (!row.equivalentTo.empty() || row.verdict != Verdict::Unknown) req.known[row.id] = row;
      }
    std::optional<std::ofstream> jsonl;
    if (!a.jsonl.empty()) jsonl = appendJsonl(a.jsonl);
    bool sameFile = jsonl && !a.resume.empty() && std::filesystem::equivalent(a.resume, a.jsonl);
    req.onRecord = [&](const MutantRow& row) {
      if (jsonl && !(sameFile && req.known.count(row.id))) *jsonl << rowJson(row, params, true).dump() << std::endl;  // flushed
    };
    auto start = std::chrono::steady_clock::now();
    int killed = 0, survived = 0;
    req.onResult = [&](const MutantRow& row, int done, int total) {
      killed += row.verdict == Verdict::Violated;
      survived += row.verdict == Verdict::Holds;
      if (!a.quiet) {
        double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        fmt::print(stderr, "progress: {}/{} done, {} killed, {} survived, {:.1f} s elapsed, about {:.0f} s left\n", done,
                   total, killed, survived, secs, secs / done * (total - done));
      }
    };
    // Before any check, the mutants are compared for equivalence: minutes on a large instance.
    double shown = 0;
    req.onEquivalence = [&](size_t done, size_t total) {
      double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      if (a.quiet || (secs - shown < 1 && done < total)) return;
      shown = secs;
      fmt::print(stderr, "progress: looking for equivalent mutants, {}/{} compared, {:.1f} s elapsed\n", done, total, secs);
    };
    req.onPhase = [&](const std::string& line) {
      if (!a.quiet) fmt::print(stderr, "progress: {}\n", line);
    };
    installSignalHandlers();
    res = runMutants(base, req);
  }
  if (a.json) {
    nlohmann::json rows = nlohmann::json::array();
    for (const MutantRow* r : ranked(res)) rows.push_back(rowJson(*r, params));
    Counts c = count(res);
    std::cout << nlohmann::json{{"parameters", head},
                                {"mutants", rows},
                                {"killed", c.killed},
                                {"survived", c.survived},
                                {"equivalent", c.equivalent},
                                {"unknown", c.unknown},
                                {"not_run", c.notRun},
                                {"interrupted", res.interrupted},
                                {"stop_reason", res.stopReason},
                                {"seconds", res.seconds}}
                     .dump(2)
              << "\n";
  } else {
    std::cout << table(res, head);
  }
  if (report) *report << reportMarkdown(res, head, params.substr(0, params.find(' ')));
  if (html) *html << mutantsHtml(protocol.name, head, summary(res), htmlRows(res, base, req.operators));
  Counts c = count(res);
  return res.interrupted || c.unknown ? kUnknown : kHolds;
}

}  // namespace mw::cli
