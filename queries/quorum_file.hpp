// Explicit quorum systems from a JSON file, for quorums that are not just sizes (grids,
// weighted votes written out as their minimal sets):
//
//   {"acceptors": 4,                         optional: n (default: the largest name used)
//    "phase1": [["a1","a2"], ["a3","a4"]],   phase-1 quorums, acceptors named a1..aN or 1..N
//    "phase2": [["a1","a3"], ["a2","a4"]]}   phase-2 quorums (they decide what is chosen)
//
// or several named systems: {"systems": [{"name": "grid", "phase1": ..., "phase2": ...}, ...]}.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include <cstdint>

namespace mw {

struct QuorumSystem {
  std::string name;
  int n = 0;
  std::vector<uint32_t> phase1, phase2;  // acceptor bit masks
};

// One line, naming the file and what is wrong.
struct QuorumFileError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// nGiven > 0: the acceptor count from the command line, which every name must fit.
std::vector<QuorumSystem> readQuorumFile(const std::string& path, int nGiven = 0);
std::vector<QuorumSystem> parseQuorumSystems(const std::string& text, const std::string& where, int nGiven = 0);

std::string showQuorumList(const std::vector<uint32_t>& sets);  // "{a1,a2}|{a3,a4}"

}  // namespace mw
