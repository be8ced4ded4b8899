#include "cli/jsonl.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <map>
#include <sstream>

#include "cli/common.hpp"

namespace mw::cli {

namespace {
std::string slurp(const std::string& path, bool mustExist) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) throw BadInput(fmt::format("'{}' is a folder, not a JSONL file", path));
  std::ifstream f(path, std::ios::binary);
  if (!f) {
    if (mustExist) throw BadInput(fmt::format("cannot read '{}' (no such file, or not readable)", path));
    return "";
  }
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

bool isJson(const std::string& line) { return nlohmann::json::accept(line); }
}  // namespace

std::vector<JsonLine> readJsonl(const std::string& path, TornLine torn, const char* writer) {
  std::string text = slurp(path, true);
  std::vector<JsonLine> out;
  size_t start = 0;
  int no = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    bool last = end == std::string::npos;
    std::string line = text.substr(start, last ? std::string::npos : end - start);
    start = last ? text.size() : end + 1;
    ++no;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    nlohmann::json value = nlohmann::json::parse(line, nullptr, false);
    if (!value.is_discarded()) {
      out.push_back({std::move(value), fmt::format("{}:{}", path, no)});
    } else {
      // Every record is an object: a torn one is the start of one, and nothing follows it.
      bool tornTail = line.front() == '{' && start >= text.size();
      if (tornTail && torn == TornLine::Ignore) break;
      if (tornTail)
        throw BadInput(fmt::format("{}:{}: a torn last line (the run writing it was killed); finish that run with "
                                   "--resume {} --jsonl {}, then merge",
                                   path, no, path, path));
      throw BadInput(fmt::format("{}:{}: not a JSON line written by {}", path, no, writer));
    }
  }
  return out;
}

std::ofstream appendJsonl(const std::string& path) {
  std::string text = slurp(path, false);
  if (!text.empty() && text.back() != '\n') {
    size_t cut = text.rfind('\n');
    cut = cut == std::string::npos ? 0 : cut + 1;
    std::string tail = text.substr(cut);
    if (isJson(tail)) {
      std::ofstream(path, std::ios::app | std::ios::binary) << "\n";
    } else {
      std::error_code ec;
      std::filesystem::resize_file(path, cut, ec);
      if (ec) throw BadInput(fmt::format("cannot repair '{}': {}", path, ec.message()));
      fmt::print(stderr, "note: {}: cut off a torn last line ({} bytes) that an interrupted run left\n", path, tail.size());
    }
  }
  std::ofstream f(path, std::ios::app);
  if (!f) throw BadInput(fmt::format("cannot write the JSONL file '{}' (check the directory exists and is writable)", path));
  return f;
}

std::vector<JsonLine> mergeDecided(const std::vector<JsonLine>& lines, const MergeKey& how) {
  std::map<std::string, size_t> seen;
  std::vector<JsonLine> out;
  for (auto& l : lines) {
    std::string k = how.key(l.value);
    auto [it, fresh] = seen.emplace(k, out.size());
    if (fresh) {
      out.push_back(l);
      continue;
    }
    JsonLine& first = out[it->second];
    if (!how.decided(l.value)) continue;
    if (!how.decided(first.value)) {
      first = l;
      continue;
    }
    if (std::string d = how.differs(first.value, l.value); !d.empty())
      throw BadInput(fmt::format("{} and {} contradict each other on {}: {}", first.where, l.where, k, d));
  }
  return out;
}

}  // namespace mw::cli
