// The `sweep` question: for each n, which sizes of the protocol's quorum systems keep the
// invariant? A cell is n and one size per system (Paxos: q1, q2; Fast Paxos: three).
//
// Monotonicity does most of the work, along every axis where it holds. A system is monotone
// when a larger size can only make the protocol safer: each of its quorums and counts in a guard
// is asserted positively (a run allowed with quorums of at least q is allowed with at least
// q - 1), and each count in the invariant sits where a smaller count only makes a violation
// easier (Paxos's "chosen" in a premise). Along such axes the unsafe cells form a down-set: a
// violation at (q1, q2) is a violation at every smaller cell, and a proof at (q1, q2) holds at
// every larger one. A system whose size a guard also reads negatively (Fast Paxos's recovery
// rule asks whether *no* fast quorum could have chosen a value) is not monotone: every size of it
// is walked on its own, and nothing is inferred across it.
//
// The walk follows the frontier of the last two monotone systems from the top-left corner, at
// most 2n checks per grid instead of n^2, for each choice of the other sizes; a cell another
// grid's verdict decides is not checked. Unsafe cells it did not check still get their own
// shortest trace, with a search bounded by a neighbour's length (a trace at a cell is a run at
// every smaller cell too).
#pragma once

#include <memory>

#include <atomic>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "queries/check.hpp"

namespace mw {

struct SweepCell {
  int n = 0;
  std::vector<int> sizes;  // one per quorum system, in the file's order
  Verdict verdict = Verdict::Unknown;
  int length = -1;        // violated: the shortest trace's length
  int depthChecked = -1;  // holds/unknown: the bound fully checked
  std::string source;     // "checked", "inferred" (from the frontier) or "trace" (checked for its trace)
  double seconds = 0;
  std::vector<std::string> trace;  // violated: one line per action, replayed
  std::string violation;
  std::string reason;     // unknown: why
  std::shared_ptr<const CheckResult> result;  // violated, checked in this run: the replayed check
  std::string steps;      // violated, read back from --jsonl: the structured trace, as JSON text
  std::string everySize;  // holds, with sweep --every-size: "proved", "not proved" or "unknown"
};

struct SweepRequest {
  std::vector<int> ns;
  // Every cell is checked as this request would be, with n and the quorum sizes filled in (the
  // sorts' sizes come from its instance; timeoutSeconds is per cell).
  CheckRequest check;
  bool exhaustive = false;    // check every pair, no inference
  int shard = 1, shards = 1;  // run only the cells of shard `shard` (1-based) of `shards`; implies exhaustive
  std::map<std::pair<int, std::vector<int>>, SweepCell> known;  // from --resume: not checked again
  std::function<void(const SweepCell&)> onCell;   // every cell as it is decided (for --jsonl)
  std::function<void(const std::string&)> progress;
};

struct SweepResult {
  std::vector<SweepCell> cells;  // sorted by n, then sizes
  std::vector<bool> monotone;    // per system: whether the walk inferred along it
  int rowAxis = -1, colAxis = -1;  // the systems a grid's rows and columns are (-1: none); the rest name panels
  int checks = 0;                // engine runs for verdicts
  int traceChecks = 0;           // engine runs only to get an inferred-unsafe pair's trace
  bool interrupted = false;
  std::string stopReason;  // interrupted: "interrupted" or "memory limit"
};

SweepResult runSweep(const Model& protocol, const SweepRequest& req);

// Per quorum system of m (mutated as it will be checked): whether a larger size can only keep
// `invariant` (see above).
std::vector<bool> monotoneSystems(const Model& m, const std::string& invariant);
// Sets r.monotone and the grid's axes for protocol with these mutations and this invariant: what
// a sweep's printers need, for a result the sweep made and for one merged from shards alike.
void chooseAxes(SweepResult& r, const Model& protocol, const std::vector<std::string>& mutations, const std::string& invariant);

// The grid's axes (rows, columns) for these systems: the last two monotone ones; with one, it is
// the columns (the rows, the last other system, are only shown); with none, the last two; -1
// where there are fewer systems.
std::pair<int, int> gridAxes(const std::vector<bool>& monotone);

// The cells of shard i of N (1-based), in the global order n, then sizes (each 1..n).
bool inShard(const std::vector<int>& ns, int n, const std::vector<int>& sizes, int shard, int shards);

// Every cell of n with `systems` sizes, in order: (1, .., 1), (1, .., 2), ..., (n, .., n).
std::vector<std::vector<int>> cellsOf(int n, int systems);

// "3", "3..9", "3,5,7", "2..4,7" -> sorted, distinct, each 1..maxN; throws std::invalid_argument.
std::vector<int> parseNList(const std::string& text, int maxN);

}  // namespace mw
