// `madewrong check`: one instance, one verdict, the shortest counterexample if there is one.
#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <iostream>
#include <map>
#include <optional>

#include "cli/common.hpp"
#include "cli/printers.hpp"
#include "language/load.hpp"
#include "mutations/catalog.hpp"
#include "queries/check.hpp"
#include "queries/completeness.hpp"
#include "queries/every_size.hpp"
#include "queries/quorum_file.hpp"

namespace mw::cli {

namespace {
struct CheckArgs : EngineArgs {
  InstanceArgs inst;
  bool json = false, prove = false, everySize = false;
  std::string itf, mermaid, svg, quorums;
  bool depthGiven = false;
} args;

CheckRequest validate(const CheckArgs& a, const Model& protocol) {
  validateEngineArgs(a, protocol);
  CheckRequest req = requestFrom(a);
  if (!a.quorums.empty()) {
    if (quorumSizeGiven(a.inst, protocol))
      throw BadInput("--quorums lists the quorums itself: it cannot be combined with --f or a quorum size");
    std::vector<ListedQuorums> listed = readListedQuorums(a.quorums, protocol, a.inst.nOption->count() ? a.inst.n : 0);
    if (listed.size() != 1)
      throw BadInput(fmt::format("{} holds {} quorum systems; check takes one (sweep --quorums checks them all)",
                                 a.quorums, listed.size()));
    refuseQuorumMutations(protocol, a.mutations);
    req.inst = instanceFrom(protocol, a.inst, listed[0].n);
    req.inst.quorumSets = listed[0].sets;
  } else {
    req.inst = instanceFrom(protocol, a.inst, a.inst.n);
    checkMutatedQuorums(mutate(protocol, a.mutations), req.inst);
  }
  refuseSameFile({{"--itf", a.itf}, {"--mermaid", a.mermaid}, {"--svg", a.svg}});
  // No --depth: 16, or the protocol file's completeness threshold for this instance where that is
  // larger (Paxos at B = 3: 24, so a run that needs a third ballot is found). Not less than 16: a
  // mutant may need more actions than the unmutated protocol's threshold.
  if (!a.depthGiven) req.depth = std::max(req.depth, completenessThreshold(protocol, req.inst));
  req.prove = a.prove;
  return req;
}

// Sizes the protocol file expects to be unsafe (`expect safe when`), or listed quorums of two
// systems that do not meet: a note, so that a violation there is no surprise.
std::string quorumNote(const Model& protocol, const Instance& in) {
  if (!in.anyListed()) {
    if (protocol.expectSafe && !protocol.expectSafe->holds(in))
      return fmt::format("note: {} does not hold at {}: the protocol file expects these quorum sizes to be unsafe",
                         protocol.expectSafe->text, instanceText(protocol, in));
    return "";
  }
  int systems = static_cast<int>(protocol.systems.size());
  for (int i = 1; i <= systems; ++i)
    for (int j = i + 1; j <= systems; ++j)
      for (uint32_t a : in.sets(i))
        for (uint32_t b : in.sets(j))
          if (!(a & b))
            return fmt::format("note: {} quorum {} and {} quorum {} do not intersect", protocol.systems[i - 1].name,
                               showQuorumList({a}, processLetter(protocol)), protocol.systems[j - 1].name, showQuorumList({b}, processLetter(protocol)));
  return "";
}
}  // namespace

CLI::App* addCheckCommand(CLI::App& app, const Model& protocol) {
  auto* cmd = app.add_subcommand("check", "Is there a run of at most --depth actions that breaks --inv?");
  args = CheckArgs{};  // fresh defaults for every parse (the fuzz target parses many times)
  CheckArgs& a = args;
  addInstanceOptions(cmd, a.inst, protocol, "number of {} (n)");
  cmd->add_option("--quorums", a.quorums,
                  "JSON file listing every quorum system's quorums as sets of processes, by the systems' names (instead of sizes)")
      ->check(kFileName)->type_name("FILE");
  addEngineOptions(cmd, a);
  cmd->get_option("--depth")
      ->description("the bound: the most actions in a run (default: 16, or the protocol file's completeness threshold for "
                    "the instance where that is larger, so that a holds covers every run of the unmutated protocol)")
      ->default_str("");
  cmd->add_flag("--prove", a.prove,
                "check the model's inductive invariant first (Init => Inv, Inv /\\ Next => Inv', Inv => property): "
                "a proof for every depth, or a counterexample to induction, then bounded search");
  cmd->add_flag("--json", a.json, "print the whole result as one JSON document on stdout");
  cmd->add_option("--itf", a.itf, "write the counterexample as ITF JSON (Apalache/Quint trace format) to FILE")
      ->check(kFileName)->type_name("FILE");
  cmd->add_option("--mermaid", a.mermaid, "write the counterexample as a Mermaid sequence diagram to FILE")
      ->check(kFileName)->type_name("FILE");
  cmd->add_option("--svg", a.svg,
                  "write the counterexample as an SVG sequence diagram to FILE: a lifeline per process, each message an "
                  "arrow to the processes that act on it, state changes beside each step, the violation marked")
      ->check(kFileName)->type_name("FILE");
  cmd->add_flag("--every-size", a.everySize,
                "with --prove: check the inductive invariant in first-order logic, for every number of processes, "
                "ballots and values at once (quorum systems as sorts whose intersection the file's `expect safe when` "
                "states); if it is not inductive, print the counterexample to induction and search for a real run at "
                "that structure's size");
  return cmd;
}

namespace {
// `--prove --every-size`: the size-free proof, then, if it fails, bounded search at the size of
// the counterexample to induction.
int everySize(const CheckArgs& a, const Model& protocol, const CheckRequest& req) {
  if (!a.prove) throw BadInput("--every-size is a proof: give --prove too");
  if (req.restarts) throw BadInput("--every-size: --faults restart is not in the first-order encoding yet");
  if (req.inst.anyListed()) throw BadInput("--every-size proves for every size: --quorums lists one instance's quorums");
  EverySizeCheck c;
  try {
    c = runEverySize(protocol, req, quorumSizeGiven(a.inst, protocol), a.quiet ? std::function<void(const std::string&)>()
                                           : [](const std::string& line) { fmt::print(stderr, "progress: {}\n", line); });
  } catch (const std::invalid_argument& ex) {
    throw BadInput(ex.what());
  }
  const EverySizeResult& e = c.proof;
  std::string out = fmt::format("{}: every size, inv={} mutations={}\n", protocol.name, a.inv,
                                a.mutations.empty() ? "none" : fmt::format("{}", fmt::join(a.mutations, ",")));
  if (e.outcome == EverySizeResult::Outcome::Proved)
    out += fmt::format("holds for every size: the inductive invariant ({} conjuncts) is proved in first-order logic, "
                       "{} Z3 queries, {:.2f} s\n", protocol.inductive.size(), e.queries, e.seconds);
  else if (e.outcome == EverySizeResult::Outcome::Unknown) {
    out += fmt::format("unknown for every size: {} ({} queries, {:.2f} s)\n", e.reason, e.queries, e.seconds);
    for (auto& q : e.unknownSteps) out += "    undecided: " + q + "\n";
  } else {
    std::string what = e.failedStep == "init" ? fmt::format("Init => {} fails", e.conjunct)
                       : e.failedStep == "step" ? fmt::format("{} is not preserved by {}", e.conjunct, e.action)
                                                : fmt::format("Inv does not imply {}", a.inv);
    out += fmt::format("not proved for every size: {} (a counterexample to induction; {} queries, {:.2f} s):\n", what,
                       e.queries, e.seconds);
    for (auto& l : e.structure) out += "    " + l + "\n";
  }
  for (auto& s : e.assumptions) out += "assumes: " + s + "\n";
  out += "fragment: " + e.fragment + "\n";
  std::cout << out;
  if (!c.bounded) return kHolds;
  std::cout << fmt::format("at {} (the {}):\n", instanceText(protocol, c.bounded->inst),
                           e.outcome == EverySizeResult::Outcome::Unknown ? "instance given" : "structure's size, or the instance given where larger");
  std::cout << textReport(*c.bounded);
  return c.bounded->verdict == Verdict::Violated ? kViolated : kUnknown;
}
}  // namespace

int runCheckCommand(CLI::App* cmd, const Model& protocol) {
  args.depthGiven = cmd->count("--depth") > 0;
  const CheckArgs& a = args;
  defaultInvariant(args, protocol);
  CheckRequest req = validate(a, protocol);
  std::optional<std::ofstream> itf, mermaid, svg;
  if (!a.itf.empty()) itf = openOutput(a.itf, "ITF");
  if (!a.svg.empty()) svg = openOutput(a.svg, "SVG");
  if (!a.mermaid.empty()) mermaid = openOutput(a.mermaid, "Mermaid");
  if (std::string note = quorumNote(protocol, req.inst); !note.empty()) fmt::print(stderr, "{}\n", note);
  if (!a.quiet) req.progress = [](const std::string& line) { fmt::print(stderr, "progress: {}\n", line); };

  installSignalHandlers();
  if (a.everySize) return everySize(a, protocol, req);
  CheckResult r;
  try {
    r = runCheck(protocol, req);
  } catch (const std::invalid_argument& ex) {  // an engine that does not take this model: bad input, one line
    throw BadInput(ex.what());
  }
  if (a.json)
    std::cout << jsonReport(r).dump(2) << "\n";
  else
    std::cout << textReport(r);
  if (itf) *itf << itfTrace(r).dump(2) << "\n";
  if (svg) *svg << svgDiagram(r);
  if (r.trace) {
    if (mermaid) *mermaid << mermaidDiagram(r);
  } else {
    if (mermaid) *mermaid << "sequenceDiagram\n    Note over madewrong: no counterexample\n";
  }
  switch (r.verdict) {
    case Verdict::Holds: return kHolds;
    case Verdict::Violated: return kViolated;
    case Verdict::Unknown: return kUnknown;
  }
  return kInternal;
}

}  // namespace mw::cli
