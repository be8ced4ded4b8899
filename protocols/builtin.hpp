// The protocol files madewrong ships (protocols/*.mw), built into the binary by CMake so that the
// default job needs no path. The generated source lists each file's name and text.
#pragma once

#include <vector>

namespace mw {

struct BuiltinProtocol {
  const char* name;  // "paxos"
  const char* text;  // the file, as written in protocols/
};
const std::vector<BuiltinProtocol>& builtinProtocols();

// The protocol every command runs without --protocol: the one the README starts a reader on.
constexpr const char* kDefaultProtocol = "paxos";

}  // namespace mw
