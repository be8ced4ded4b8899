// Explicit quorums from a JSON file, for quorums that are not just sizes (grids, weighted votes
// written out as their minimal sets). The keys are the quorum systems the protocol file declares;
// for Paxos (`quorum phase1`, `quorum phase2`):
//
//   {"n": 4,                                 optional (or "acceptors"; default: the largest used)
//    "phase1": [["a1","a2"], ["a3","a4"]],   phase-1 quorums, processes named a1..aN or 1..N
//    "phase2": [["a1","a3"], ["a2","a4"]]}   phase-2 quorums
//
// or several named alternatives: {"systems": [{"name": "grid", "phase1": ..., "phase2": ...}, ...]}.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include <cstdint>

namespace mw {

// One alternative: a list of quorums for every quorum system of the protocol, in its order.
struct ListedQuorums {
  std::string name;
  int n = 0;
  std::vector<std::vector<uint32_t>> sets;  // per system: process bit masks
};

// One line, naming the file and what is wrong.
struct QuorumFileError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// systems: the protocol's quorum systems' names, the keys every alternative must have.
// letter: how the protocol names its processes (processLetter: a1, a2, ... for acceptors).
// nGiven > 0: the process count from the command line, which every name must fit.
std::vector<ListedQuorums> readQuorumFile(const std::string& path, const std::vector<std::string>& systems, char letter,
                                          int nGiven = 0);
std::vector<ListedQuorums> parseQuorumSystems(const std::string& text, const std::string& where,
                                              const std::vector<std::string>& systems, char letter, int nGiven = 0);

std::string showQuorumList(const std::vector<uint32_t>& sets, char letter);  // "{a1,a2}|{a3,a4}"

}  // namespace mw
