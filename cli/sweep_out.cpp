#include "cli/sweep_out.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <map>

#include "cli/common.hpp"

namespace mw::cli {

using nlohmann::json;

json cellToJson(const SweepCell& c, const SweepMeta& m) {
  json j = {{"n", c.n},           {"q1", c.q1},           {"q2", c.q2},         {"verdict", verdictName(c.verdict)},
            {"depth", c.depthChecked}, {"source", c.source}, {"seconds", c.seconds}, {"max_depth", m.depth},
            {"invariant", m.invariant}, {"mutations", m.mutations}, {"engine", m.engine}};
  for (auto& [name, size] : m.sizes) j[name] = size;
  if (c.verdict == Verdict::Violated) {
    j["length"] = c.length;
    j["trace"] = c.trace;
    j["violation"] = c.violation;
  }
  if (c.verdict == Verdict::Unknown) j["reason"] = c.reason;
  return j;
}

namespace {
struct BadCell {
  std::string why;
};
int integer(const json& j, const char* key, long lo, long hi) {
  if (!j.contains(key) || !j[key].is_number_integer()) throw BadCell{fmt::format("\"{}\" is missing or not an integer", key)};
  long long v = j[key].get<long long>();
  if (v < lo || v > hi) throw BadCell{fmt::format("\"{}\" is {}, out of range {}..{}", key, v, lo, hi)};
  return static_cast<int>(v);
}
std::string text(const json& j, const char* key) {
  if (!j.contains(key) || !j[key].is_string()) throw BadCell{fmt::format("\"{}\" is missing or not a string", key)};
  return j[key].get<std::string>();
}
std::vector<std::string> texts(const json& j, const char* key) {
  std::string why = fmt::format("\"{}\" is missing or not a list of strings", key);
  if (!j.contains(key) || !j[key].is_array()) throw BadCell{why};
  std::vector<std::string> out;
  for (auto& x : j[key]) {
    if (!x.is_string()) throw BadCell{why};
    out.push_back(x.get<std::string>());
  }
  return out;
}
}  // namespace

SweepCell cellFromJson(const json& j, SweepMeta& m, const std::string& where) {
  try {
    if (!j.is_object()) throw BadCell{"not a JSON object"};
    SweepCell c;
    c.n = integer(j, "n", 1, kMaxAcceptors);
    c.q1 = integer(j, "q1", 1, c.n);
    c.q2 = integer(j, "q2", 1, c.n);
    std::string v = text(j, "verdict");
    if (v != "holds" && v != "violated" && v != "unknown") throw BadCell{"\"verdict\" is not holds, violated or unknown"};
    c.verdict = v == "holds" ? Verdict::Holds : v == "violated" ? Verdict::Violated : Verdict::Unknown;
    c.depthChecked = integer(j, "depth", -1, 1'000'000);
    c.source = text(j, "source");
    if (!j.contains("seconds") || !j["seconds"].is_number()) throw BadCell{"\"seconds\" is missing or not a number"};
    c.seconds = j["seconds"].get<double>();
    if (c.verdict == Verdict::Violated) {
      c.length = integer(j, "length", 0, 1'000'000);
      c.trace = texts(j, "trace");
      c.violation = text(j, "violation");
    }
    if (j.contains("reason")) c.reason = text(j, "reason");
    for (auto& [name, size] : m.sizes) size = integer(j, name.c_str(), 1, 64);
    m.depth = integer(j, "max_depth", 0, 1'000'000);
    m.invariant = text(j, "invariant");
    m.mutations = texts(j, "mutations");
    m.engine = text(j, "engine");
    return c;
  } catch (const BadCell& e) {
    throw BadInput(fmt::format("{}: not a pair written by madewrong sweep --jsonl: {}", where, e.why));
  }
}

namespace {
std::map<int, std::vector<const SweepCell*>> byN(const SweepResult& r) {
  std::map<int, std::vector<const SweepCell*>> out;
  for (auto& c : r.cells) out[c.n].push_back(&c);
  return out;
}

const SweepCell* at(const std::vector<const SweepCell*>& cells, int q1, int q2) {
  for (auto* c : cells)
    if (c->q1 == q1 && c->q2 == q2) return c;
  return nullptr;
}

std::string sizesText(const SweepMeta& m, const char* eq, const char* sep) {
  std::string out;
  for (auto& [name, size] : m.sizes) out += fmt::format("{}{}{}{}", out.empty() ? "" : sep, name, eq, size);
  return out;
}

std::string header(const SweepMeta& m) {
  return fmt::format("{} sweep: {} depth={} inv={} mutations={} engine={}", m.protocol, sizesText(m, "=", " "), m.depth,
                     m.invariant, m.mutations.empty() ? "none" : fmt::format("{}", fmt::join(m.mutations, ",")), m.engine);
}

json parametersJson(const SweepMeta& m) {
  json p = {{"max_depth", m.depth}, {"invariant", m.invariant}};
  for (auto& [name, size] : m.sizes) p[name] = size;
  return p;
}

// Pairs whose verdict differs from the intersection condition q1 + q2 > n.
struct Agreement {
  int pairs = 0, unknown = 0;
  std::vector<std::string> differ;
};
Agreement compare(const SweepResult& r) {
  Agreement a;
  for (auto& c : r.cells) {
    ++a.pairs;
    if (c.verdict == Verdict::Unknown) {
      ++a.unknown;
      continue;
    }
    bool safe = c.q1 + c.q2 > c.n;
    if ((c.verdict == Verdict::Holds) != safe)
      a.differ.push_back(fmt::format("(n={}, q1={}, q2={}) {}", c.n, c.q1, c.q2, verdictName(c.verdict)));
  }
  return a;
}

std::string closing(const SweepResult& r, const SweepMeta& m) {
  Agreement a = compare(r);
  std::string out;
  if (a.differ.empty())
    out = fmt::format("agrees with q1 + q2 > n on all {} pairs", a.pairs - a.unknown);
  else
    out = fmt::format("differs from q1 + q2 > n on {} of {} pairs: {}{}", a.differ.size(), a.pairs - a.unknown,
                      fmt::join(a.differ, ", "),
                      m.mutations.empty() ? " (no mutation is applied: this is worth a close look)"
                                          : " (expected: the mutations change the protocol)");
  if (a.unknown) out += fmt::format("; {} pairs unknown", a.unknown);
  return out;
}
}  // namespace

std::string sweepText(const SweepResult& r, const SweepMeta& m) {
  std::string out = header(m) + "\n";
  for (auto& [n, cells] : byN(r)) {
    out += fmt::format("\nn = {}   rows q1, columns q2; ok = holds to depth {}, xL = violated, shortest trace L actions\n",
                       n, m.depth);
    out += "  q1\\q2";
    for (int q2 = 1; q2 <= n; ++q2) out += fmt::format("{:>6}", q2);
    out += "\n";
    for (int q1 = 1; q1 <= n; ++q1) {
      out += fmt::format("  {:>5}", q1);
      for (int q2 = 1; q2 <= n; ++q2) {
        const SweepCell* c = at(cells, q1, q2);
        std::string v = !c                                   ? "-"
                        : c->verdict == Verdict::Holds       ? "ok"
                        : c->verdict == Verdict::Violated    ? (c->length >= 0 ? fmt::format("x{}", c->length) : "x")
                                                             : "?";
        out += fmt::format("{:>6}", v);
      }
      out += "\n";
    }
  }
  int decided = 0;
  for (auto& c : r.cells) decided += c.source == "inferred";
  out += fmt::format("\nchecks: {} for verdicts, {} more for the traces of inferred unsafe pairs; {} pairs in all",
                     r.checks, r.traceChecks, r.cells.size());
  out += r.checks + r.traceChecks < static_cast<int>(r.cells.size())
             ? fmt::format(" ({} decided by monotonicity without a check)\n", decided)
             : "\n";
  if (r.interrupted) out += stopWords(r.stopReason) + ": the grids above are partial\n";
  out += closing(r, m) + "\n";
  return out;
}

json sweepJson(const SweepResult& r, const SweepMeta& m) {
  json grids = json::array();
  for (auto& [n, cells] : byN(r)) {
    json cs = json::array();
    for (auto* c : cells) cs.push_back(cellToJson(*c, m));
    grids.push_back({{"n", n}, {"cells", cs}});
  }
  Agreement a = compare(r);
  long exhaustive = 0;
  for (auto& [n, cells] : byN(r)) exhaustive += static_cast<long>(n) * n;
  json parameters = parametersJson(m);
  parameters["mutations"] = m.mutations;
  parameters["engine"] = m.engine;
  return {{"parameters", parameters},
          {"grids", grids},
          {"checks", r.checks},
          {"trace_checks", r.traceChecks},
          {"exhaustive_checks", exhaustive},
          {"agrees_with_intersection", a.differ.empty()},
          {"differences", a.differ},
          {"unknown", a.unknown},
          {"interrupted", r.interrupted},
          {"summary", closing(r, m)}};
}

std::string sweepCsv(const SweepResult& r) {
  std::string out = "n,q1,q2,verdict,length,depth,source,seconds\n";
  for (auto& c : r.cells)
    out += fmt::format("{},{},{},{},{},{},{},{:.3f}\n", c.n, c.q1, c.q2, verdictName(c.verdict),
                       c.length >= 0 ? std::to_string(c.length) : "", c.depthChecked, c.source, c.seconds);
  return out;
}

// One panel per n: rows q1, columns q2; green holds, red violated (darker = shorter trace, the
// more fragile choice), grey unknown; a dashed line marks the q1 + q2 = n + 1 boundary.
std::string sweepSvg(const SweepResult& r, const SweepMeta& m) {
  auto groups = byN(r);
  const int cell = 34, pad = 48, gap = 36, title = 70;
  int width = pad, height = 0;
  for (auto& [n, cells] : groups) {
    width += n * cell + gap;
    height = std::max(height, n * cell);
  }
  width += pad;
  height += title + pad + 40;
  int maxLen = 1;
  for (auto& c : r.cells) maxLen = std::max(maxLen, c.length);
  std::string out = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} {1}\" "
      "font-family=\"Helvetica, Arial, sans-serif\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n",
      width, height);
  out += fmt::format("<text x=\"{}\" y=\"26\" font-size=\"18\" font-weight=\"bold\">{} quorum sizes: which (q1, q2) keep {}?</text>\n",
                     pad, m.protocol, m.invariant);
  out += fmt::format("<text x=\"{}\" y=\"46\" font-size=\"12\" fill=\"#555\">{}, depth {}{}. "
                     "Green: holds; red: violated (number = shortest trace length); dashed: q1 + q2 = n + 1.</text>\n",
                     pad, sizesText(m, " = ", ", "), m.depth,
                     m.mutations.empty() ? "" : fmt::format(", mutations {}", fmt::join(m.mutations, ", ")));
  int x0 = pad;
  for (auto& [n, cells] : groups) {
    int y0 = title + 20;
    out += fmt::format("<text x=\"{}\" y=\"{}\" font-size=\"14\" font-weight=\"bold\">n = {}</text>\n", x0, y0 - 8, n);
    for (int q1 = 1; q1 <= n; ++q1)
      for (int q2 = 1; q2 <= n; ++q2) {
        const SweepCell* c = at(cells, q1, q2);
        std::string fill = "#bdbdbd", label = "?";
        if (c && c->verdict == Verdict::Holds) fill = "#66bb6a", label = "";
        if (c && c->verdict == Verdict::Violated) {
          double t = c->length >= 0 ? static_cast<double>(c->length) / maxLen : 1.0;
          int g = static_cast<int>(60 + 140 * t);
          fill = fmt::format("rgb(220,{},{})", g, g);
          label = c->length >= 0 ? std::to_string(c->length) : "x";
        }
        int x = x0 + (q2 - 1) * cell, y = y0 + (q1 - 1) * cell;
        out += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\" stroke=\"white\"/>", x, y,
                           cell, cell, fill);
        if (!label.empty())
          out += fmt::format("<text x=\"{}\" y=\"{}\" font-size=\"11\" text-anchor=\"middle\" fill=\"#222\">{}</text>",
                             x + cell / 2, y + cell / 2 + 4, label);
        out += "\n";
      }
    // The boundary q1 + q2 = n + 1, as a staircase between the cells it separates.
    std::string path = fmt::format("M {} {}", x0 + n * cell, y0);
    for (int q1 = 1; q1 <= n; ++q1) {
      int xb = x0 + (n - q1) * cell;  // first safe q2 is n + 1 - q1
      path += fmt::format(" L {} {} L {} {}", xb, y0 + (q1 - 1) * cell, xb, y0 + q1 * cell);
    }
    out += fmt::format("<path d=\"{}\" fill=\"none\" stroke=\"#1a237e\" stroke-width=\"2\" stroke-dasharray=\"5,3\"/>\n", path);
    for (int q = 1; q <= n; ++q) {
      out += fmt::format("<text x=\"{}\" y=\"{}\" font-size=\"10\" text-anchor=\"middle\" fill=\"#555\">{}</text>",
                         x0 + (q - 1) * cell + cell / 2, y0 + n * cell + 14, q);
      out += fmt::format("<text x=\"{}\" y=\"{}\" font-size=\"10\" text-anchor=\"end\" fill=\"#555\">{}</text>\n",
                         x0 - 4, y0 + (q - 1) * cell + cell / 2 + 4, q);
    }
    out += fmt::format("<text x=\"{}\" y=\"{}\" font-size=\"11\" text-anchor=\"middle\" fill=\"#333\">q2</text>",
                       x0 + n * cell / 2, y0 + n * cell + 30);
    out += fmt::format("<text x=\"{}\" y=\"{}\" font-size=\"11\" fill=\"#333\">q1</text>\n", x0 - 30, y0 - 8 + 0);
    x0 += n * cell + gap;
  }
  out += "</svg>\n";
  return out;
}

namespace {
// Whether every quorum of each listed system meets every quorum of every other.
std::string meets(const SweepMeta& m, const ListedQuorums& q) {
  std::string out;
  for (size_t i = 0; i < q.sets.size(); ++i)
    for (size_t j = i + 1; j < q.sets.size(); ++j) {
      bool intersect = true;
      for (uint32_t a : q.sets[i])
        for (uint32_t b : q.sets[j]) intersect = intersect && (a & b);
      out += fmt::format("; every {} quorum meets every {} quorum: {}", m.systems[i], m.systems[j], intersect ? "yes" : "no");
    }
  return out;
}
}  // namespace

std::string quorumSystemsText(const std::vector<std::pair<ListedQuorums, CheckResult>>& rows, const SweepMeta& m) {
  std::string out = header(m) + "\n";
  for (auto& [q, r] : rows) {
    std::string lists;
    for (size_t k = 0; k < q.sets.size(); ++k) lists += fmt::format("{}{} {}", k ? ", " : "", m.systems[k], showQuorumList(q.sets[k]));
    out += fmt::format("\n{} (n = {}): {}{}\n", q.name, q.n, lists, meets(m, q));
    if (r.verdict == Verdict::Violated) {
      out += fmt::format("  violated: {} breaks after {} actions\n", m.invariant, r.length);
      int i = 0;
      for (auto& s : r.trace->steps) out += fmt::format("  {:>4}. {}\n", ++i, stepLine(r.model, s));
      out += "  violation: " + r.violation + "\n";
    } else if (r.verdict == Verdict::Holds && r.exhausted) {
      out += fmt::format("  holds for every run ({}): no run breaks {}\n", r.answeredBy == "induction" ? "proved by induction" : "answered by " + r.answeredBy, m.invariant);
    } else if (r.verdict == Verdict::Holds) {
      out += fmt::format("  holds: no run of at most {} actions breaks {}\n", r.depthChecked, m.invariant);
    } else {
      out += fmt::format("  unknown: {} reached after depth {}\n", r.reason, r.depthChecked);
    }
  }
  return out;
}

std::string quorumSystemsCsv(const std::vector<std::pair<ListedQuorums, CheckResult>>& rows, const SweepMeta& m) {
  std::string out = fmt::format("name,n,{},verdict,length,depth,for_every_run,seconds\n", fmt::join(m.systems, ","));
  for (auto& [q, r] : rows) {
    out += fmt::format("\"{}\",{},", q.name, q.n);
    for (auto& sets : q.sets) out += showQuorumList(sets) + ",";
    out += fmt::format("{},{},{},{},{:.3f}\n", verdictName(r.verdict), r.length >= 0 ? std::to_string(r.length) : "",
                       r.exhausted ? "" : std::to_string(r.depthChecked), r.exhausted ? "yes" : "no", r.seconds);
  }
  return out;
}

json quorumSystemsJson(const std::vector<std::pair<ListedQuorums, CheckResult>>& rows, const SweepMeta& m) {
  json out = json::array();
  for (auto& [q, r] : rows) {
    json row = {{"name", q.name}, {"n", q.n}};
    for (size_t k = 0; k < q.sets.size(); ++k) row[m.systems[k]] = showQuorumList(q.sets[k]);
    row["verdict"] = verdictName(r.verdict);
    row["for_every_run"] = r.exhausted;
    row["answered_by"] = r.answeredBy;
    if (!r.exhausted) row["depth"] = r.depthChecked;
    if (r.trace) {
      row["length"] = r.length;
      std::vector<std::string> steps;
      for (auto& s : r.trace->steps) steps.push_back(stepLine(r.model, s));
      row["trace"] = steps;
      row["violation"] = r.violation;
    }
    out.push_back(row);
  }
  return {{"parameters", parametersJson(m)}, {"systems", out}};
}

}  // namespace mw::cli
