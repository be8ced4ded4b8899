// Fuzz target: the protocol file parser. Any input either parses into a finished model or is
// refused with one line `fuzz.mw:line:col: ...; expected ...` (ProtocolError); nothing else may
// happen: no crash, no other exception, no hang.
#include <cstdint>
#include <string>

#include "language/parser.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  try {
    mw::Model m = mw::parseProtocol(text, "fuzz.mw");
    if (m.actions.empty()) __builtin_trap();
  } catch (const mw::ProtocolError& e) {
    std::string what = e.what();
    if (what.find('\n') != std::string::npos || what.rfind("fuzz.mw:", 0) != 0 || what.find("; expected") == std::string::npos)
      __builtin_trap();
  }
  return 0;
}
