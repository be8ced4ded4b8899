// The `sweep` question: for each n, which quorum sizes (q1, q2) keep the invariant?
//
// Monotonicity does most of the work. A run allowed with quorums of at least q1 is allowed with
// at least q1 - 1, and a value chosen by q2 votes is chosen by q2 - 1, so the unsafe pairs form a
// down-set of the grid: a violation at (q1, q2) is a violation at every smaller pair, and a
// proof at (q1, q2) holds at every larger one. The walk follows the frontier between the two
// from the top-left corner, at most 2n checks per n instead of n^2. Unsafe pairs it did not
// check still get their own shortest trace, with a search bounded by a neighbour's length
// (a trace at (q1, q2) is a run at the smaller pair too, so the shortest there is no longer).
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "queries/check.hpp"

namespace mw {

struct SweepCell {
  int n = 0, q1 = 0, q2 = 0;
  Verdict verdict = Verdict::Unknown;
  int length = -1;        // violated: the shortest trace's length
  int depthChecked = -1;  // holds/unknown: the bound fully checked
  std::string source;     // "checked", "inferred" (from the frontier) or "trace" (checked for its trace)
  double seconds = 0;
  std::vector<std::string> trace;  // violated: one line per action, replayed
  std::string violation;
  std::string reason;     // unknown: why
};

struct SweepRequest {
  std::vector<int> ns;
  // Every pair is checked as this request would be, with n, q1 and q2 filled in (ballots and
  // values come from its instance; timeoutSeconds is per pair).
  CheckRequest check;
  bool exhaustive = false;    // check every pair, no inference
  int shard = 1, shards = 1;  // run only the cells of shard `shard` (1-based) of `shards`; implies exhaustive
  std::map<std::tuple<int, int, int>, SweepCell> known;  // from --resume: not checked again
  std::function<void(const SweepCell&)> onCell;   // every cell as it is decided (for --jsonl)
  std::function<void(const std::string&)> progress;
};

struct SweepResult {
  std::vector<SweepCell> cells;  // sorted by n, q1, q2
  int checks = 0;                // engine runs for verdicts
  int traceChecks = 0;           // engine runs only to get an inferred-unsafe pair's trace
  bool interrupted = false;
  std::string stopReason;  // interrupted: "interrupted" or "memory limit"
};

SweepResult runSweep(const Model& protocol, const SweepRequest& req);

// The cells of shard i of N (1-based), in the global order n, q1, q2.
bool inShard(const std::vector<int>& ns, int n, int q1, int q2, int shard, int shards);

// "3", "3..9", "3,5,7", "2..4,7" -> sorted, distinct, each 1..maxN; throws std::invalid_argument.
std::vector<int> parseNList(const std::string& text, int maxN);

}  // namespace mw
