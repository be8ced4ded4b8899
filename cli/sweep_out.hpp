// Printing sweeps: terminal grids, JSON, CSV, SVG heat maps, and the JSON lines of sharded runs.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "queries/check.hpp"
#include "queries/quorum_file.hpp"
#include "queries/every_size.hpp"
#include "queries/sweep.hpp"

namespace mw::cli {

// The parameters a cell was computed under; --resume and --merge refuse cells of another sweep.
struct SweepMeta {
  std::string protocol;                             // its name (not written to JSON lines)
  std::vector<std::string> systems;                 // its quorum systems' names (not written)
  std::vector<std::string> axes;                    // their option names: the keys of a cell (not written)
  std::optional<SizeCondition> expect;              // the sizes the file expects safe (not written)
  std::vector<std::pair<std::string, int>> sizes;   // every sort's size but n, by option name
  int depth = 0;
  std::string invariant;
  std::vector<std::string> mutations;
  std::string engine;
  // The same run: what a JSON line records (the protocol's names come from the protocol).
  bool operator==(const SweepMeta& o) const {
    return sizes == o.sizes && depth == o.depth && invariant == o.invariant && mutations == o.mutations && engine == o.engine;
  }
};

nlohmann::json cellToJson(const SweepCell& c, const SweepMeta& m);
// where: "file:line" for the error; throws BadInput saying what is wrong with the line. m comes
// in with the protocol's names (protocol, systems, sizes' names) and leaves with the line's values.
SweepCell cellFromJson(const nlohmann::json& j, SweepMeta& m, const std::string& where);

std::string sweepText(const SweepResult& r, const SweepMeta& m);
nlohmann::json sweepJson(const SweepResult& r, const SweepMeta& m);
// sweep --every-size: the proofs of the safe cells, one per set of intersection axioms.
std::string everySizeText(const std::vector<SweepProof>& proofs, const SweepResult& r, const SweepMeta& m);
nlohmann::json everySizeJson(const std::vector<SweepProof>& proofs, const SweepResult& r, const SweepMeta& m);
std::string sweepCsv(const SweepResult& r, const SweepMeta& m);
std::string sweepSvg(const SweepResult& r, const SweepMeta& m);

std::string quorumSystemsText(const std::vector<std::pair<ListedQuorums, CheckResult>>& rows, const SweepMeta& m);
std::string quorumSystemsCsv(const std::vector<std::pair<ListedQuorums, CheckResult>>& rows, const SweepMeta& m);
nlohmann::json quorumSystemsJson(const std::vector<std::pair<ListedQuorums, CheckResult>>& rows, const SweepMeta& m);

}  // namespace mw::cli
