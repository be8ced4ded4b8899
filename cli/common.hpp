// What the commands share: exit codes, bad-input errors, the instance options and their checks,
// output files opened up front, and the stop flag that SIGINT/SIGTERM set.
#pragma once

#include <CLI/CLI.hpp>

#include <atomic>
#include <fstream>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "encoder/model.hpp"
#include "queries/check.hpp"

namespace mw::cli {

// Exit codes follow TLC and Apalache: 0 the property holds (to the bound), 12 a violation was
// found, 2 bad input, 3 unknown (a limit was hit or the run was interrupted), 1 an internal
// error (a trace that did not replay: a bug, reported as such and never as a result).
constexpr int kHolds = 0, kInternal = 1, kBadInput = 2, kUnknown = 3, kViolated = 12;
constexpr int kMaxAcceptors = 16;

struct BadInput : std::runtime_error {
  using std::runtime_error::runtime_error;
};

extern std::atomic<bool> stopRequested;
void installSignalHandlers();

// Options every checking command takes (check, sweep, mutants).
struct EngineArgs {
  std::string protocol = "paxos";
  int ballots = 2, values = 2, depth = 16;
  std::string inv;  // "": the protocol's first invariant
  std::vector<std::string> mutations;
  double timeout = 0;
  std::string engine = "auto";
  long maxStates = 50'000'000;
  bool quiet = false, noSymmetry = false;
  double memory = 0;
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

// n acceptors with quorum sizes from --f / --q1 / --q2 (kNotGiven: not given); throws BadInput.
Instance sizedInstance(int n, int f, int q1, int q2, int ballots, int values);
// Quorum-size mutations (q1-minus-one, ...) must leave every quorum at least one acceptor.
void checkMutatedQuorums(const Model& mutated, const Instance& in);

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
int runCheckCommand(CLI::App* cmd);   // after parsing
CLI::App* addCheckCommand(CLI::App& app);
CLI::App* addSweepCommand(CLI::App& app);
int runSweepCommand(CLI::App* cmd);
CLI::App* addMutantsCommand(CLI::App& app);
int runMutantsCommand(CLI::App* cmd);

}  // namespace mw::cli
