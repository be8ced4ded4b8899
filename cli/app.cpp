// The madewrong command line as a function: CLI11 commands and the exit code of every failure
// mode. main() calls it; the CLI fuzz target calls it too.
#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

#include "cli/common.hpp"
#include "language/load.hpp"
#include "mutations/catalog.hpp"
#include "queries/trace.hpp"

namespace mw::cli {

int madewrongMain(int argc, const char* const* argv) {
  CLI::App app{
      "madewrong: break Paxos on purpose. A bounded SMT verifier that looks for the shortest run of a\n"
      "(possibly mutated) protocol that breaks an invariant, or proves there is none up to a depth."};
  app.require_subcommand(1);
  app.footer(
      "Exit codes: 0 holds to the bound (sweep: finished), 12 violated, 2 bad input, 3 unknown (a limit was hit, "
      "or interrupted), 1 internal error.");

  CLI::App* check = addCheckCommand(app);
  CLI::App* sweep = addSweepCommand(app);
  CLI::App* mutants = addMutantsCommand(app);
  auto* list = app.add_subcommand("list", "List the built-in protocols, or a protocol's catalog mutations or invariants");
  std::string what, protocol = "paxos";
  list->add_option("what", what, "protocols | mutations | invariants")->required();
  list->add_option("--protocol,-p", protocol, "the protocol whose mutations or invariants to list (built-in name or file)")->capture_default_str();

  // An unknown first word is a mistyped command, not a missing one.
  if (argc > 1 && argv[1][0] != '-') {
    std::vector<std::string> names;
    for (const CLI::App* sub : app.get_subcommands({})) names.push_back(sub->get_name());
    if (std::find(names.begin(), names.end(), argv[1]) == names.end()) {
      fmt::print(stderr, "madewrong: error: unknown command '{}': choose {} (see --help)\n", argv[1], fmt::join(names, ", "));
      return kBadInput;
    }
  }
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
        for (auto& m : openProtocol(protocol).catalog) fmt::print("{:<22} {}\n", m.name, m.description);
      } else if (what == "invariants") {
        for (auto& i : openProtocol(protocol).invariants) fmt::print("{:<22} {}\n", i.name, i.description);
      } else if (what == "protocols") {
        for (auto& n : mw::builtinProtocolNames()) fmt::print("{}\n", n);
      } else {
        throw BadInput(fmt::format("cannot list '{}': choose protocols, mutations or invariants", what));
      }
      return kHolds;
    }
    if (sweep->parsed()) return runSweepCommand(sweep);
    if (mutants->parsed()) return runMutantsCommand(mutants);
    return runCheckCommand(check);
  } catch (const BadInput& e) {
    fmt::print(stderr, "madewrong: error: {}\n", e.what());
    return kBadInput;
  } catch (const mw::ReplayError& e) {
    fmt::print(stderr,
               "madewrong: internal error: the counterexample did not replay ({}); this is a bug, please report it\n",
               e.what());
    return kInternal;
  } catch (const std::exception& e) {
    fmt::print(stderr, "madewrong: internal error: {}\n", e.what());
    return kInternal;
  }
}

}  // namespace mw::cli
