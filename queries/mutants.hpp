// The `mutants` question: every single-site mutant of a protocol, checked as `check` would,
// in parallel (one Z3 context per check, each in its worker thread), with results that do not
// depend on scheduling: each mutant's row depends only on the mutant.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "mutations/operators.hpp"
#include "queries/check.hpp"

namespace mw {

struct MutantRow {
  std::string id, op, site, description;
  std::vector<std::string> aliases;  // catalog names that stand for this mutant
  std::string equivalentTo;          // "original", an earlier mutant's id, or "" if distinct
  bool done = false;                 // checked (equivalents are not)
  Verdict verdict = Verdict::Unknown;
  int length = -1;                   // killed: shortest trace length
  int depthChecked = -1;
  bool everyRun = false;             // survived every run (explicit engine exhausted the states)
  std::string engine;
  bool changedOnly = false;          // proved by induction asking only the actions it changes (see runMutants)
  double seconds = 0;
  std::string reason;                // unknown: why
  std::optional<CheckResult> result; // killed: the replayed trace and its model (not kept by --jsonl)
  std::string why;                   // killed: why it breaks, from the trace
  std::vector<std::string> trace;    // killed: one line per action
  std::string diagram;               // killed, read back from --jsonl: its sequence diagram
  std::string steps, svg;            // killed, read back from --jsonl: the structured trace (JSON text), the SVG diagram
  // survived, with --every-size: the inductive invariant on the mutant in first-order logic.
  // everySize: "proved", "not proved" or "unknown" ("" when not tried); everySizeText: in words.
  std::string everySize, everySizeText;
  std::vector<std::string> everySizeConjuncts;  // proved: the proof's conjuncts, "name: what it says"
};

struct MutantsRequest {
  // Every mutant is checked as this request would be (its mutations are ignored; timeoutSeconds
  // is per mutant).
  CheckRequest check;
  std::vector<std::string> operators;  // empty: all
  bool everySize = false;              // each survivor: the proof for every size (firstorder/)
  bool sizesGiven = false;             // the quorum sizes were given: the proof takes them as fixed
  int jobs = 1;
  int shard = 1, shards = 1;                   // only the mutants of shard `shard` (1-based) of `shards`
  std::map<std::string, MutantRow> known;      // by id, from --resume: decided rows, not checked again
  std::function<void(const MutantRow&, int done, int total)> onResult;  // every check finished; serialized
  std::function<void(size_t done, size_t total)> onEquivalence;          // each mutant compared, before any check
  std::function<void(const std::string&)> onPhase;                       // one line as a phase starts or ends
  // Every row decided in this run (an equivalent one or a finished check, not one stopped by a
  // signal), for --jsonl; serialized.
  std::function<void(const MutantRow&)> onRecord;
};

struct MutantsResult {
  std::vector<MutantRow> rows;  // generation order
  bool interrupted = false;
  std::string stopReason;       // interrupted: "interrupted" or "memory limit"
  double seconds = 0;
};

MutantsResult runMutants(const Model& protocol, const MutantsRequest& req);

// Killed first by trace length, then unknown, then survivors; equivalents last. Stable by id.
std::vector<const MutantRow*> ranked(const MutantsResult& r);

}  // namespace mw
