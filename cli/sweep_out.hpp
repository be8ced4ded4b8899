// Printing sweeps: terminal grids, JSON, CSV, SVG heat maps, and the JSON lines of sharded runs.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "queries/check.hpp"
#include "queries/quorum_file.hpp"
#include "queries/sweep.hpp"

namespace mw::cli {

// The parameters a cell was computed under; --resume and --merge refuse cells of another sweep.
struct SweepMeta {
  int ballots = 0, values = 0, depth = 0;
  std::string invariant;
  std::vector<std::string> mutations;
  std::string engine;
  bool operator==(const SweepMeta&) const = default;
};

nlohmann::json cellToJson(const SweepCell& c, const SweepMeta& m);
// where: "file:line" for the error; throws BadInput saying what is wrong with the line.
SweepCell cellFromJson(const nlohmann::json& j, SweepMeta& m, const std::string& where);

std::string sweepText(const SweepResult& r, const SweepMeta& m);
nlohmann::json sweepJson(const SweepResult& r, const SweepMeta& m);
std::string sweepCsv(const SweepResult& r);
std::string sweepSvg(const SweepResult& r, const SweepMeta& m);

std::string quorumSystemsText(const std::vector<std::pair<QuorumSystem, CheckResult>>& rows, const SweepMeta& m);
std::string quorumSystemsCsv(const std::vector<std::pair<QuorumSystem, CheckResult>>& rows);
nlohmann::json quorumSystemsJson(const std::vector<std::pair<QuorumSystem, CheckResult>>& rows, const SweepMeta& m);

}  // namespace mw::cli
