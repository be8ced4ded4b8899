#include "language/load.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "language/parser.hpp"
#include "protocols/builtin.hpp"

namespace mw {

Model loadProtocol(const std::string& nameOrPath) {
  for (auto& p : builtinProtocols())
    if (nameOrPath == p.name) return parseProtocol(p.text, std::string("protocols/") + p.name + ".mw");
  std::error_code ec;
  if (std::filesystem::is_directory(nameOrPath, ec))
    throw std::invalid_argument(fmt::format("'{}' is a folder; --protocol takes a built-in name or a protocol file", nameOrPath));
  if (std::filesystem::exists(nameOrPath, ec) && !std::filesystem::is_regular_file(nameOrPath, ec))
    throw std::invalid_argument(fmt::format("'{}' is not a regular file; --protocol takes a built-in name or a protocol file", nameOrPath));
  std::ifstream f(nameOrPath);
  if (!f) {
    std::string names;
    for (auto& n : builtinProtocolNames()) names += (names.empty() ? "" : ", ") + n;
    throw std::invalid_argument(fmt::format("no built-in protocol and no file '{}' (built in: {})", nameOrPath, names));
  }
  std::stringstream ss;
  ss << f.rdbuf();
  return parseProtocol(ss.str(), nameOrPath);
}

std::vector<std::string> builtinProtocolNames() {
  std::vector<std::string> out;
  for (auto& p : builtinProtocols()) out.push_back(p.name);
  return out;
}

std::string defaultProtocolName() { return kDefaultProtocol; }

Model paxosModel() {
  static const Model paxos = loadProtocol("paxos");
  return paxos;
}

}  // namespace mw
