#include "queries/quorum_file.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace mw {

using nlohmann::json;

namespace {
constexpr int kMaxProcesses = 16;

// Text from the file inside an error line: control characters escaped (a key may hold a newline),
// invalid UTF-8 replaced, so the error stays one line.
std::string shown(const std::string& s) {
  std::string d = json(s).dump(-1, ' ', false, json::error_handler_t::replace);
  return d.substr(1, d.size() - 2);
}

int processIndex(const json& name, const std::string& where, char letter) {
  if (name.is_number_integer()) {
    long long k = name.get<long long>();
    if (k < 1 || k > kMaxProcesses)
      throw QuorumFileError(fmt::format("{}: process {} is out of range (processes are 1..{} or {}1..{}{})", where, k,
                                        kMaxProcesses, letter, letter, kMaxProcesses));
    return static_cast<int>(k) - 1;
  }
  if (name.is_string()) {
    std::string s = name.get<std::string>();
    if (s.size() >= 2 && s.size() <= 3 && s[0] == letter && std::all_of(s.begin() + 1, s.end(), ::isdigit)) {
      int k = std::stoi(s.substr(1));
      if (k >= 1 && k <= kMaxProcesses) return k - 1;
    }
    throw QuorumFileError(fmt::format("{}: unknown process name '{}' (processes are named {}1..{}{} or numbered 1..{})",
                                      where, shown(s), letter, letter, kMaxProcesses, kMaxProcesses));
  }
  throw QuorumFileError(fmt::format("{}: a process must be a name like \"{}1\" or a number, not {}", where, letter, name.dump()));
}

std::vector<uint32_t> quorumList(const json& j, const std::string& key, const std::string& where, char letter) {
  if (!j.contains(key)) throw QuorumFileError(fmt::format("{}: missing \"{}\", the list of {} quorums", where, key, key));
  const json& list = j.at(key);
  if (!list.is_array() || list.empty())
    throw QuorumFileError(fmt::format("{}: \"{}\" must be a non-empty list of quorums (lists of processes)", where, key));
  std::vector<uint32_t> out;
  for (size_t i = 0; i < list.size(); ++i) {
    std::string at = fmt::format("{} {}[{}]", where, key, i);
    if (!list[i].is_array()) throw QuorumFileError(fmt::format("{}: a quorum must be a list of processes", at));
    if (list[i].empty()) throw QuorumFileError(fmt::format("{}: empty quorum (a quorum needs at least one process)", at));
    uint32_t mask = 0;
    for (auto& a : list[i]) {
      uint32_t bit = 1u << processIndex(a, at, letter);
      if (mask & bit) throw QuorumFileError(fmt::format("{}: process {} is listed twice in one quorum", at, a.dump()));
      mask |= bit;
    }
    if (std::find(out.begin(), out.end(), mask) == out.end()) out.push_back(mask);
  }
  return out;
}

ListedQuorums system(const json& j, const std::string& where, const std::vector<std::string>& systems, char letter, int nGiven) {
  if (!j.is_object()) throw QuorumFileError(fmt::format("{}: a quorum system must be a JSON object", where));
  std::string keys;
  for (auto& k : systems) keys += fmt::format("\"{}\", ", k);
  for (auto& [key, value] : j.items())
    if (key != "name" && key != "acceptors" && key != "n" && std::find(systems.begin(), systems.end(), key) == systems.end())
      throw QuorumFileError(fmt::format("{}: unknown key \"{}\" (the protocol's quorum systems are {}and optionally "
                                        "\"n\" and \"name\")",
                                        where, shown(key), keys));
  if (j.contains("n") && j.contains("acceptors"))
    throw QuorumFileError(fmt::format("{}: both \"n\" and \"acceptors\" (they are one number: give one)", where));
  ListedQuorums q;
  q.name = j.contains("name") && j["name"].is_string() ? j["name"].get<std::string>() : "quorums";
  for (auto& k : systems) q.sets.push_back(quorumList(j, k, where, letter));
  uint32_t used = 0;
  for (auto& list : q.sets)
    for (auto m : list) used |= m;
  int largest = std::bit_width(used);
  int n = largest;
  const char* nKey = j.contains("acceptors") ? "acceptors" : "n";
  if (j.contains(nKey)) {
    if (!j[nKey].is_number_integer() || j[nKey].get<long long>() < 1 || j[nKey].get<long long>() > kMaxProcesses)
      throw QuorumFileError(fmt::format("{}: \"{}\" must be a number 1..{}", where, nKey, kMaxProcesses));
    n = j[nKey].get<int>();
  }
  if (nGiven > 0) {
    if (j.contains(nKey) && n != nGiven)
      throw QuorumFileError(fmt::format("{}: the file says n = {} but --n is {}", where, n, nGiven));
    n = nGiven;
  }
  if (largest > n)
    throw QuorumFileError(fmt::format("{}: process {}{} is beyond n = {} (processes are {}1..{}{})", where, letter, largest, n,
                                      letter, letter, n));
  q.n = n;
  return q;
}
}  // namespace

std::vector<ListedQuorums> parseQuorumSystems(const std::string& text, const std::string& where,
                                              const std::vector<std::string>& systems, char letter, int nGiven) {
  json j;
  try {
    j = json::parse(text);
  } catch (const json::exception& e) {  // parse errors, and numbers too large to hold
    std::string what = e.what();
    auto pos = what.find("parse error");
    throw QuorumFileError(fmt::format("{}: not valid JSON ({})", where, pos == std::string::npos ? what : what.substr(pos)));
  }
  std::vector<ListedQuorums> out;
  if (j.is_object() && j.contains("systems")) {
    if (j.size() != 1)
      throw QuorumFileError(fmt::format("{}: a file with \"systems\" holds nothing else (put each system's keys inside it)", where));
    if (!j["systems"].is_array() || j["systems"].empty())
      throw QuorumFileError(fmt::format("{}: \"systems\" must be a non-empty list of quorum systems", where));
    for (size_t i = 0; i < j["systems"].size(); ++i) {
      ListedQuorums q = system(j["systems"][i], fmt::format("{} systems[{}]", where, i), systems, letter, nGiven);
      if (!j["systems"][i].contains("name")) q.name = fmt::format("system {}", i + 1);
      out.push_back(std::move(q));
    }
  } else {
    out.push_back(system(j, where, systems, letter, nGiven));
  }
  return out;
}

std::vector<ListedQuorums> readQuorumFile(const std::string& path, const std::vector<std::string>& systems, char letter,
                                          int nGiven) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    throw QuorumFileError(fmt::format("'{}' is a folder; --quorums takes a JSON file", path));
  std::ifstream f(path);
  if (!f) throw QuorumFileError(fmt::format("cannot read the quorum file '{}'", path));
  std::stringstream ss;
  ss << f.rdbuf();
  return parseQuorumSystems(ss.str(), path, systems, letter, nGiven);
}

std::string showQuorumList(const std::vector<uint32_t>& sets, char letter) {
  std::string out;
  for (size_t i = 0; i < sets.size(); ++i) {
    if (i) out += "|";
    out += "{";
    bool first = true;
    for (int a = 0; a < 32; ++a)
      if ((sets[i] >> a) & 1u) {
        if (!first) out += ",";
        out += fmt::format("{}{}", letter, a + 1);
        first = false;
      }
    out += "}";
  }
  return out;
}

}  // namespace mw
