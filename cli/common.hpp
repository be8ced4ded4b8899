// What the commands share: exit codes, bad-input errors, the instance options and their checks,
// output files opened up front, and the stop flag that SIGINT/SIGTERM set.
#pragma once

#include <atomic>
#include <fstream>
#include <limits>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "model/model.hpp"
#include "language/load.hpp"
#include "queries/check.hpp"
#include "queries/quorum_file.hpp"

// CLI11 is header-only and compiles all of itself in each file that includes it; the files that
// build command lines include it, the rest see only these names.
namespace CLI {
class App;
class Option;
class Validator;
}  // namespace CLI

namespace mw::cli {

// Exit codes follow TLC and Apalache: 0 the property holds (to the bound), 12 a violation was
// found, 2 bad input, 3 unknown (a limit was hit or the run was interrupted), 1 an internal
// error (a trace that did not replay: a bug, reported as such and never as a result).
constexpr int kHolds = 0, kInternal = 1, kBadInput = 2, kUnknown = 3, kViolated = 12;
constexpr int kMaxProcesses = 16;

struct BadInput : std::runtime_error {
  using std::runtime_error::runtime_error;
};

extern std::atomic<bool> stopRequested;
void installSignalHandlers();

// Options every checking command takes (check, sweep, mutants).
struct EngineArgs {
  std::string protocol = defaultProtocolName();
  int depth = 16;
  std::string inv;  // "": the protocol's first invariant
  std::vector<std::string> mutations;
  double timeout = 0;
  std::string engine = "auto";
  long maxStates = 50'000'000;
  bool quiet = false, noSymmetry = false, keepSpent = false;
  double memory = 0;
  std::string faults = "none";  // "restart": processes may restart (model/faults.hpp)
};
void addEngineOptions(CLI::App* cmd, EngineArgs& a, bool withMutations = true);
// --protocol: a built-in protocol or a protocol file, parsed; throws BadInput with the one line.
Model openProtocol(const std::string& nameOrPath);
// Without --inv, the first invariant the protocol declares; throws BadInput if it declares none.
void defaultInvariant(EngineArgs& a, const Model& protocol);
// Checks ranges and names; throws BadInput with the one line to print.
void validateEngineArgs(const EngineArgs& a, const Model& protocol);

// An integer option the user did not give (every number, -1 included, is theirs to give).
constexpr int kNotGiven = std::numeric_limits<int>::min();

// The instance options, from the protocol's declarations: --n and --f, one option per sort and
// per quorum system that declares one (Paxos: --ballots/-B, --values/-V, --q1, --q2), and
// `--set NAME=VALUE` for any of them by its name in the file (or its option's name).
struct InstanceArgs {
  int n = 3, f = kNotGiven;
  std::map<std::string, int> given;  // option name -> value (kNotGiven: not given); stable storage for CLI11
  std::vector<std::string> sets;     // --set NAME=VALUE
  std::map<std::string, std::string> givenSubsets;  // a subset's option -> its elements as given ("" : not given)
  CLI::Option* nOption = nullptr;
};
// nText: the help text of --n (sweep takes a list there, and adds --n itself: nullptr).
void addInstanceOptions(CLI::App* cmd, InstanceArgs& a, const Model& protocol, const char* nText);
// Whether any option that sets a quorum size was given (--f, a system's option, --set of a system).
bool quorumSizeGiven(const InstanceArgs& a, const Model& protocol);
// The instance at n processes: every sort's size and every quorum system's size from the options,
// else from the file's defaults (quorums: n - f, f = (n - 1) / 2 unless --f); throws BadInput.
Instance instanceFrom(const Model& protocol, const InstanceArgs& a, int n);
// "n=3 q1=2 q2=2 ballots=2 values=2": systems, then sorts, each by its option's name (else its
// own); listed quorum systems as their sets.
std::string instanceText(const Model& protocol, const Instance& in);
// The sizes of the sorts other than the process sort, by option name, in declaration order.
std::vector<std::pair<std::string, int>> sortSizes(const Model& protocol, const Instance& in);
// Quorum-size mutations (quorum.q1:-1, ...) must leave every quorum at least one process.
void checkMutatedQuorums(const Model& mutated, const Instance& in);
// --quorums FILE, with the protocol's quorum systems as its keys; throws BadInput.
std::vector<ListedQuorums> readListedQuorums(const std::string& path, const Model& protocol, int nGiven);
// Listed quorums have no size to shrink: a mutation that shrinks one is refused (BadInput).
void refuseQuorumMutations(const Model& protocol, const std::vector<std::string>& mutations);


// Validators for options: a file name must not be empty.
extern const CLI::Validator kFileName;
// Two output options naming one file would overwrite each other: throws BadInput.
void refuseSameFile(const std::vector<std::pair<std::string, std::string>>& optionAndPath);
// --shard "I/N" with 1 <= I <= N; throws BadInput.
std::pair<int, int> parseShard(const std::string& text);
// A comma-separated list with no empty items ("a,,b" and "" are refused); throws BadInput.
std::vector<std::string> commaList(const std::string& option, const std::string& text);

// The check every command runs, from the shared options (the instance's n and quorums are left
// to the command).
CheckRequest requestFrom(const EngineArgs& a);

// "interrupted", or "memory limit of MB reached" with the limit given.
std::string stopWords(const std::string& reason);

std::ofstream openOutput(const std::string& path, const char* what);

int madewrongMain(int argc, const char* const* argv);
// After parsing; protocol: the one loaded from --protocol before the options were made.
int runCheckCommand(CLI::App* cmd, const Model& protocol);
// Each command's options include the instance options the protocol declares.
CLI::App* addCheckCommand(CLI::App& app, const Model& protocol);
CLI::App* addSweepCommand(CLI::App& app, const Model& protocol);
int runSweepCommand(CLI::App* cmd, const Model& protocol);
CLI::App* addMutantsCommand(CLI::App& app, const Model& protocol);
int runMutantsCommand(CLI::App* cmd, const Model& protocol);

}  // namespace mw::cli
