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

namespace {
// The --protocol (-p) an argument list gives, read before the options are made: the protocol
// declares some of them (its sorts' and quorum systems' sizes). The last one given counts, as
// CLI11 would have it; "" if none.
std::string protocolArgument(int argc, const char* const* argv) {
  std::string out;
  for (int i = 1; i < argc; ++i) {
    std::string s = argv[i];
    if (s == "--") break;
    if ((s == "--protocol" || s == "-p") && i + 1 < argc) out = argv[++i];
    else if (s.rfind("--protocol=", 0) == 0) out = s.substr(11);
    else if (s.size() > 2 && s.rfind("-p", 0) == 0 && s[2] != '-') out = s.substr(2);
  }
  return out;
}
}  // namespace

int madewrongMain(int argc, const char* const* argv) {
  CLI::App app{
      "madewrong: break a protocol on purpose. A bounded SMT verifier that looks for the shortest run of a\n"
      "(possibly mutated) protocol that breaks an invariant, or proves there is none up to a depth. Protocols\n"
      "are files (docs/language.md); the instance options below (sizes of sorts and quorums) are the ones the\n"
      "protocol declares, here those of --protocol (default: " + defaultProtocolName() + ")."};
  app.require_subcommand(1);
  app.footer(
      "Exit codes: 0 holds to the bound (sweep: finished), 12 violated, 2 bad input, 3 unknown (a limit was hit, "
      "or interrupted), 1 internal error.");

  // A protocol that cannot be loaded is the error, whatever else is wrong with the line (a
  // command that does not use it, `list protocols`, does not load it).
  std::string given = protocolArgument(argc, argv);
  bool listing = argc > 2 && std::string(argv[1]) == "list" && std::string(argv[2]) == "protocols";
  Model loaded;
  try {
    if (!listing) loaded = openProtocol(given.empty() ? defaultProtocolName() : given);
  } catch (const BadInput& e) {
    fmt::print(stderr, "madewrong: error: {}\n", e.what());
    return kBadInput;
  }
  CLI::App *check = nullptr, *sweep = nullptr, *mutants = nullptr;
  try {
    check = addCheckCommand(app, loaded);
    sweep = addSweepCommand(app, loaded);
    mutants = addMutantsCommand(app, loaded);
  } catch (const CLI::OptionAlreadyAdded& e) {
    fmt::print(stderr, "madewrong: error: protocol {} declares an option that madewrong has already ({}); give it another name in the file\n",
               loaded.name, e.what());
    return kBadInput;
  }
  auto* list = app.add_subcommand("list", "List the built-in protocols, or a protocol's catalog mutations or invariants");
  std::string what, protocol = defaultProtocolName();
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
    if (sweep->parsed()) return runSweepCommand(sweep, loaded);
    if (mutants->parsed()) return runMutantsCommand(mutants, loaded);
    return runCheckCommand(check, loaded);
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
