// Where a protocol comes from: a built-in file by name (protocols/*.mw), or a file on disk.
#pragma once

#include <string>
#include <vector>

#include "model/model.hpp"

namespace mw {

// Throws ProtocolError (a malformed file: one line, file:line:col) or std::invalid_argument
// (neither a built-in name nor a readable file).
Model loadProtocol(const std::string& nameOrPath);
std::vector<std::string> builtinProtocolNames();
std::string defaultProtocolName();  // the built-in protocol run without --protocol

// The built-in Paxos (protocols/paxos.mw), for the stages and tests that still name it.
Model paxosModel();

}  // namespace mw
