// Fuzz target: the quorum file reader. Any input either parses into quorum systems that fit
// their n, or is refused with one line (QuorumFileError); nothing else may happen.
#include <cstdint>
#include <string>

#include "queries/quorum_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  for (int n : {0, 4}) {
    try {
      for (auto& q : mw::parseQuorumSystems(text, "fuzz.json", {"phase1", "phase2"}, 'a', n)) {
        if (q.n < 1 || q.n > 16 || q.sets.size() != 2) __builtin_trap();
        for (auto& sets : q.sets) {
          if (sets.empty()) __builtin_trap();
          for (uint32_t m : sets)
            if (m == 0 || (m >> q.n)) __builtin_trap();
        }
      }
    } catch (const mw::QuorumFileError& e) {
      if (std::string(e.what()).find('\n') != std::string::npos) __builtin_trap();
    }
  }
  return 0;
}
