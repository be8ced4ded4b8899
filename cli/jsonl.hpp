// JSON-lines files of runs spread over machines (sweep --jsonl, mutants --jsonl): reading them
// back for --resume and --merge, and appending to them safely after an interrupted run.
//
// A run killed mid-write leaves at most one torn last line. --resume repairs it (the fragment is
// cut off, said in one line, and the next record starts on a line of its own); --merge refuses
// it, since the record it held would be lost without a word. Two files that decide the same
// record differently contradict each other: that is an error naming both, never "the later wins".
#pragma once

#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace mw::cli {

struct JsonLine {
  nlohmann::json value;
  std::string where;  // "file:line", for errors
};

enum class TornLine { Ignore, Refuse };

// Every non-blank line of path. A torn last line is skipped (Ignore) or a BadInput (Refuse);
// any other line that is not JSON, a missing file or a folder is a BadInput naming it.
std::vector<JsonLine> readJsonl(const std::string& path, TornLine torn, const char* writer);

// Opens path for appending; first cuts off a torn last line (saying so on stderr) or ends a
// whole last line that lacks its newline, so that the next record starts a line of its own.
std::ofstream appendJsonl(const std::string& path);

// --merge of records keyed by `key`: one record per key, a decided one where any file decided
// it; two decided records that differ (`differs` says how, "" when the two agree) are a
// BadInput naming both places.
struct MergeKey {
  std::function<std::string(const nlohmann::json&)> key;                              // e.g. "n=3 q1=2 q2=1"
  std::function<bool(const nlohmann::json&)> decided;                                  // not unknown
  std::function<std::string(const nlohmann::json&, const nlohmann::json&)> differs;  // "" when they agree
};
std::vector<JsonLine> mergeDecided(const std::vector<JsonLine>& lines, const MergeKey& how);

}  // namespace mw::cli
