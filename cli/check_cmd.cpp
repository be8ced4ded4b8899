// `madewrong check`: one instance, one verdict, the shortest counterexample if there is one.
#include <fmt/format.h>

#include <iostream>
#include <optional>

#include "cli/common.hpp"
#include "cli/printers.hpp"
#include "language/load.hpp"
#include "mutations/catalog.hpp"
#include "queries/check.hpp"
#include "queries/quorum_file.hpp"

namespace mw::cli {

namespace {
struct CheckArgs : EngineArgs {
  int n = 3, f = kNotGiven, q1 = kNotGiven, q2 = kNotGiven;
  bool json = false, prove = false;
  std::string itf, mermaid, quorums;
  CLI::Option* nOption = nullptr;
} args;

CheckRequest validate(const CheckArgs& a, const Model& protocol) {
  validateEngineArgs(a, protocol);
  CheckRequest req = requestFrom(a);
  if (!a.quorums.empty()) {
    if (a.f != kNotGiven || a.q1 != kNotGiven || a.q2 != kNotGiven)
      throw BadInput("--quorums lists the quorums itself: it cannot be combined with --f, --q1 or --q2");
    std::vector<QuorumSystem> systems;
    try {
      systems = readQuorumFile(a.quorums, a.nOption->count() ? a.n : 0);
    } catch (const QuorumFileError& e) {
      throw BadInput(e.what());
    }
    if (systems.size() != 1)
      throw BadInput(fmt::format("{} holds {} quorum systems; check takes one (sweep --quorums checks them all)",
                                 a.quorums, systems.size()));
    for (auto& m : a.mutations)
      if (m == "q1-minus-one" || m == "q2-minus-one")
        throw BadInput(fmt::format("mutation '{}' shrinks a quorum size, and --quorums lists quorums, not sizes", m));
    req.inst.n = systems[0].n;
    req.inst.q1Sets = systems[0].phase1;
    req.inst.q2Sets = systems[0].phase2;
    req.inst.q1 = req.inst.q2 = 0;
  } else {
    req.inst = sizedInstance(a.n, a.f, a.q1, a.q2, a.ballots, a.values);
    checkMutatedQuorums(mutate(protocol, a.mutations), req.inst);
  }
  refuseSameFile({{"--itf", a.itf}, {"--mermaid", a.mermaid}});
  req.prove = a.prove;
  return req;
}

// Every phase-1 quorum must meet every phase-2 quorum for agreement to be safe.
std::string intersectionNote(const Instance& in) {
  if (in.q1Sets.empty()) {
    if (in.q1 + in.q2 <= in.n)
      return fmt::format("note: q1 + q2 = {} <= n = {}: phase-1 and phase-2 quorums need not intersect", in.q1 + in.q2, in.n);
    return "";
  }
  for (uint32_t a : in.q1Sets)
    for (uint32_t b : in.q2Sets)
      if (!(a & b))
        return fmt::format("note: phase-1 quorum {} and phase-2 quorum {} do not intersect", showQuorumList({a}),
                           showQuorumList({b}));
  return "";
}
}  // namespace

CLI::App* addCheckCommand(CLI::App& app) {
  auto* cmd = app.add_subcommand("check", "Is there a run of at most --depth actions that breaks --inv?");
  args = CheckArgs{};  // fresh defaults for every parse (the fuzz target parses many times)
  CheckArgs& a = args;
  a.nOption = cmd->add_option("--n", a.n, "number of acceptors")->capture_default_str();
  cmd->add_option("--f", a.f, "tolerated crash faults: q1 = q2 = n - f (default (n-1)/2, rounded down)");
  cmd->add_option("--q1", a.q1, "phase-1 quorum size, 1..n (overrides --f; Flexible Paxos)");
  cmd->add_option("--q2", a.q2, "phase-2 quorum size, 1..n (overrides --f): a value is chosen by q2 votes in one ballot");
  cmd->add_option("--quorums", a.quorums,
                  "JSON file listing the phase-1 and phase-2 quorums as sets of acceptors (instead of sizes)")
      ->check(kFileName)->type_name("FILE");
  addEngineOptions(cmd, a);
  cmd->add_flag("--prove", a.prove,
                "check the model's inductive invariant first (Init => Inv, Inv /\\ Next => Inv', Inv => property): "
                "a proof for every depth, or a counterexample to induction, then bounded search");
  cmd->add_flag("--json", a.json, "print the whole result as one JSON document on stdout");
  cmd->add_option("--itf", a.itf, "write the counterexample as ITF JSON (Apalache/Quint trace format) to FILE")
      ->check(kFileName)->type_name("FILE");
  cmd->add_option("--mermaid", a.mermaid, "write the counterexample as a Mermaid sequence diagram to FILE")
      ->check(kFileName)->type_name("FILE");
  return cmd;
}

int runCheckCommand(CLI::App*) {
  const CheckArgs& a = args;
  Model protocol = openProtocol(a.protocol);
  defaultInvariant(args, protocol);
  CheckRequest req = validate(a, protocol);
  std::optional<std::ofstream> itf, mermaid;
  if (!a.itf.empty()) itf = openOutput(a.itf, "ITF");
  if (!a.mermaid.empty()) mermaid = openOutput(a.mermaid, "Mermaid");
  if (std::string note = intersectionNote(req.inst); !note.empty()) fmt::print(stderr, "{}\n", note);
  if (!a.quiet) req.progress = [](const std::string& line) { fmt::print(stderr, "progress: {}\n", line); };

  installSignalHandlers();
  CheckResult r = runCheck(protocol, req);
  if (a.json)
    std::cout << jsonReport(r).dump(2) << "\n";
  else
    std::cout << textReport(r);
  if (itf) *itf << itfTrace(r).dump(2) << "\n";
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
