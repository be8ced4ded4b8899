#include "cli/sweep_out.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <map>

#include "cli/common.hpp"
#include "cli/printers.hpp"

namespace mw::cli {

using nlohmann::json;

json cellToJson(const SweepCell& c, const SweepMeta& m) {
  json j = {{"n", c.n},           {"verdict", verdictName(c.verdict)},
            {"depth", c.depthChecked}, {"source", c.source}, {"seconds", c.seconds}, {"max_depth", m.depth},
            {"invariant", m.invariant}, {"mutations", m.mutations}, {"engine", m.engine}};
  for (auto& [name, size] : m.sizes) j[name] = size;
  json quorums = json::object();
  for (size_t k = 0; k < m.axes.size() && k < c.sizes.size(); ++k) j[m.axes[k]] = quorums[m.axes[k]] = c.sizes[k];
  j["quorums"] = quorums;
  j["length"] = nullptr;
  if (c.verdict == Verdict::Violated) {
    j["length"] = c.length;
    j["trace"] = c.result ? traceSteps(*c.result) : !c.steps.empty() ? json::parse(c.steps) : json(c.trace);
    j["violation"] = c.violation;
  }
  if (c.verdict == Verdict::Unknown) j["reason"] = c.reason;
  if (!c.everySize.empty()) j["every_size"] = c.everySize;
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
    c.n = integer(j, "n", 1, kMaxProcesses);
    for (auto& axis : m.axes) c.sizes.push_back(integer(j, axis.c_str(), 1, c.n));
    std::string v = text(j, "verdict");
    if (v != "holds" && v != "violated" && v != "unknown") throw BadCell{"\"verdict\" is not holds, violated or unknown"};
    c.verdict = v == "holds" ? Verdict::Holds : v == "violated" ? Verdict::Violated : Verdict::Unknown;
    c.depthChecked = integer(j, "depth", -1, 1'000'000);
    c.source = text(j, "source");
    if (!j.contains("seconds") || !j["seconds"].is_number()) throw BadCell{"\"seconds\" is missing or not a number"};
    c.seconds = j["seconds"].get<double>();
    if (c.verdict == Verdict::Violated) {
      c.length = integer(j, "length", 0, 1'000'000);
      if (!j.contains("trace") || !j["trace"].is_array()) throw BadCell{"\"trace\" is missing or not a list"};
      try {
        c.trace = traceTexts(j["trace"], true);
      } catch (const std::invalid_argument& e) {
        throw BadCell{fmt::format("\"trace\": {}", e.what())};
      }
      if (!j["trace"].empty() && j["trace"][0].is_object()) c.steps = j["trace"].dump();
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
// A grid: one n and the sizes of every system but the grid's two (rows and columns: the last
// two monotone systems, see queries/sweep.hpp; one system: one row).
struct Panel {
  int n = 0;
  std::vector<int> prefix;  // the sizes of the other systems, in the file's order
  bool operator<(const Panel& o) const { return std::tie(n, prefix) < std::tie(o.n, o.prefix); }
};
struct Axes {
  int row = -1, col = -1;
  std::vector<int> others;  // the systems that name panels
  size_t systems = 0;
  explicit Axes(const SweepResult& r, size_t count) : row(r.rowAxis), col(r.colAxis), systems(count) {
    for (int k = 0; k < static_cast<int>(count); ++k)
      if (k != row && k != col) others.push_back(k);
  }
  bool grid() const { return row >= 0; }
};
std::map<Panel, std::vector<const SweepCell*>> panels(const SweepResult& r, const Axes& ax) {
  std::map<Panel, std::vector<const SweepCell*>> out;
  for (auto& c : r.cells) {
    Panel p{c.n, {}};
    for (int k : ax.others)
      if (k < static_cast<int>(c.sizes.size())) p.prefix.push_back(c.sizes[k]);
    out[p].push_back(&c);
  }
  return out;
}

std::vector<int> sizesAt(const Panel& p, const Axes& ax, int row, int col) {
  std::vector<int> s(ax.systems);
  for (size_t i = 0; i < ax.others.size() && i < p.prefix.size(); ++i) s[ax.others[i]] = p.prefix[i];
  if (ax.row >= 0) s[ax.row] = row;
  if (ax.col >= 0) s[ax.col] = col;
  return s;
}

const SweepCell* at(const std::vector<const SweepCell*>& cells, const std::vector<int>& sizes) {
  for (auto* c : cells)
    if (c->sizes == sizes) return c;
  return nullptr;
}

std::string panelTitle(const SweepMeta& m, const Panel& p, const Axes& ax) {
  std::string out = fmt::format("n = {}", p.n);
  for (size_t k = 0; k < p.prefix.size() && k < ax.others.size(); ++k) out += fmt::format(", {} = {}", m.axes[ax.others[k]], p.prefix[k]);
  return out;
}

std::string cellText(const SweepMeta& m, const SweepCell& c) {
  std::string out = fmt::format("n={}", c.n);
  for (size_t k = 0; k < c.sizes.size() && k < m.axes.size(); ++k) out += fmt::format(", {}={}", m.axes[k], c.sizes[k]);
  return out;
}

// What a cell of `systems` sizes is called in sentences.
const char* cellsWord(size_t systems) { return systems == 2 ? "pairs" : systems == 3 ? "triples" : "cells"; }

bool expectedSafe(const SweepMeta& m, int n, const std::vector<int>& sizes) {
  Instance in;
  in.n = n;
  in.quorums = sizes;
  return m.expect->holds(in);
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

// Cells whose verdict differs from the condition the protocol file expects.
struct Comparison {
  int cells = 0, unknown = 0;
  std::vector<std::string> differ;
};
Comparison compare(const SweepResult& r, const SweepMeta& m) {
  Comparison a;
  for (auto& c : r.cells) {
    ++a.cells;
    if (c.verdict == Verdict::Unknown) {
      ++a.unknown;
      continue;
    }
    if (m.expect && (c.verdict == Verdict::Holds) != expectedSafe(m, c.n, c.sizes))
      a.differ.push_back(fmt::format("({}) {}", cellText(m, c), verdictName(c.verdict)));
  }
  return a;
}

std::string closing(const SweepResult& r, const SweepMeta& m) {
  Comparison a = compare(r, m);
  const char* word = cellsWord(m.axes.size());
  std::string out;
  if (!m.expect)
    out = fmt::format("{} {} decided; the protocol file states no `expect safe when` to compare them with", a.cells - a.unknown, word);
  else if (a.differ.empty())
    out = fmt::format("agrees with {} on all {} {}", m.expect->text, a.cells - a.unknown, word);
  else
    out = fmt::format("differs from {} on {} of {} {}: {}{}", m.expect->text, a.differ.size(), a.cells - a.unknown, word,
                      fmt::join(a.differ, ", "),
                      m.mutations.empty() ? " (no mutation is applied: this is worth a close look)"
                                          : " (expected: the mutations change the protocol)");
  if (a.unknown) out += fmt::format("; {} {} unknown", a.unknown, word);
  return out;
}
}  // namespace

std::string sweepText(const SweepResult& r, const SweepMeta& m) {
  std::string out = header(m) + "\n";
  size_t systems = m.axes.size();
  Axes ax(r, systems);
  std::string rows = ax.grid() ? m.axes[ax.row] : "", cols = ax.col >= 0 ? m.axes[ax.col] : "";
  for (auto& [panel, cells] : panels(r, ax)) {
    int n = panel.n;
    if (ax.grid())
      out += fmt::format("\n{}   rows {}, columns {}; ok = holds to depth {}, xL = violated, shortest trace L actions\n",
                         panelTitle(m, panel, ax), rows, cols, m.depth);
    else
      out += fmt::format("\n{}   columns {}; ok = holds to depth {}, xL = violated, shortest trace L actions\n",
                         panelTitle(m, panel, ax), cols, m.depth);
    std::string corner = ax.grid() ? rows + "\\" + cols : cols;
    out += fmt::format("  {:>5}", corner);
    for (int col = 1; col <= n; ++col) out += fmt::format("{:>6}", col);
    out += "\n";
    for (int row = 1; row <= (ax.grid() ? n : 1); ++row) {
      out += ax.grid() ? fmt::format("  {:>5}", row) : std::string(7, ' ');
      for (int col = 1; col <= n; ++col) {
        const SweepCell* c = at(cells, sizesAt(panel, ax, row, col));
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
  const char* word = cellsWord(systems);
  out += fmt::format("\nchecks: {} for verdicts, {} more for the traces of inferred unsafe {}; {} {} in all",
                     r.checks, r.traceChecks, word, r.cells.size(), word);
  out += r.checks + r.traceChecks < static_cast<int>(r.cells.size())
             ? fmt::format(" ({} decided by monotonicity without a check)\n", decided)
             : "\n";
  std::vector<std::string> fixed;
  for (size_t k = 0; k < r.monotone.size() && k < systems; ++k)
    if (!r.monotone[k]) fixed.push_back(m.axes[k]);
  if (!fixed.empty())
    out += fmt::format("not monotone: {} (a guard also reads {} negatively), so every size of {} is walked on its own\n",
                       fmt::join(fixed, ", "), fixed.size() == 1 ? "its size" : "their sizes", fixed.size() == 1 ? "it" : "them");
  if (r.interrupted) out += stopWords(r.stopReason) + ": the grids above are partial\n";
  out += closing(r, m) + "\n";
  return out;
}

json sweepJson(const SweepResult& r, const SweepMeta& m) {
  json grids = json::array();
  std::map<int, std::vector<const SweepCell*>> byN;
  for (auto& c : r.cells) byN[c.n].push_back(&c);
  long exhaustive = 0;
  for (auto& [n, cells] : byN) {
    json cs = json::array();
    for (auto* c : cells) cs.push_back(cellToJson(*c, m));
    grids.push_back({{"n", n}, {"cells", cs}});
    long all = 1;
    for (size_t k = 0; k < m.axes.size(); ++k) all *= n;
    exhaustive += all;
  }
  Comparison a = compare(r, m);
  json parameters = parametersJson(m);
  parameters["mutations"] = m.mutations;
  parameters["engine"] = m.engine;
  return {{"parameters", parameters},
          {"grids", grids},
          {"checks", r.checks},
          {"trace_checks", r.traceChecks},
          {"exhaustive_checks", exhaustive},
          {"expected_safe", m.expect ? json(m.expect->text) : json(nullptr)},
          {"agrees_with_expected", m.expect ? json(a.differ.empty()) : json(nullptr)},
          {"differences", a.differ},
          {"unknown", a.unknown},
          {"interrupted", r.interrupted},
          {"summary", closing(r, m)}};
}

std::string sweepCsv(const SweepResult& r, const SweepMeta& m) {
  std::string out = fmt::format("n,{},verdict,length,depth,source,seconds\n", fmt::join(m.axes, ","));
  for (auto& c : r.cells)
    out += fmt::format("{},{},{},{},{},{},{:.3f}\n", c.n, fmt::join(c.sizes, ","), verdictName(c.verdict),
                       c.length >= 0 ? std::to_string(c.length) : "", c.depthChecked, c.source, c.seconds);
  return out;
}

// One panel per n: rows q1, columns q2; green holds, red violated (darker = shorter trace, the
// more fragile choice), grey unknown; a dashed line marks the q1 + q2 = n + 1 boundary.
std::string sweepSvg(const SweepResult& r, const SweepMeta& m) {
  size_t systems = m.axes.size();
  Axes ax(r, systems);
  auto groups = panels(r, ax);
  std::string rows = ax.grid() ? m.axes[ax.row] : "", cols = ax.col >= 0 ? m.axes[ax.col] : "";
  const int cell = 34, pad = 48, gap = 36, title = 70;
  int width = pad, height = 0;
  for (auto& [panel, cells] : groups) {
    width += panel.n * cell + gap;
    height = std::max(height, (ax.grid() ? panel.n : 1) * cell);
  }
  width += pad;
  height += title + pad + 40;
  int maxLen = 1;
  for (auto& c : r.cells) maxLen = std::max(maxLen, c.length);
  std::string out = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} {1}\" "
      "font-family=\"Helvetica, Arial, sans-serif\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n",
      width, height);
  out += fmt::format("<text x=\"{}\" y=\"26\" font-size=\"18\" font-weight=\"bold\">{} quorum sizes: which ({}) keep {}?</text>\n",
                     pad, xmlEscaped(m.protocol), xmlEscaped(fmt::format("{}", fmt::join(m.axes, ", "))), xmlEscaped(m.invariant));
  out += fmt::format("<text x=\"{}\" y=\"46\" font-size=\"12\" fill=\"#555\">{}, depth {}{}. "
                     "Green: holds; red: violated (number = shortest trace length){}.</text>\n",
                     pad, sizesText(m, " = ", ", "), m.depth,
                     m.mutations.empty() ? "" : fmt::format(", mutations {}", fmt::join(m.mutations, ", ")),
                     m.expect ? "; dashed: the border of " + xmlEscaped(m.expect->text) : "");
  int x0 = pad;
  for (auto& [panel, cells] : groups) {
    int n = panel.n, y0 = title + 20, height = ax.grid() ? n : 1;
    out += fmt::format("<text x=\"{}\" y=\"{}\" font-size=\"14\" font-weight=\"bold\">{}</text>\n", x0, y0 - 8,
                       xmlEscaped(panelTitle(m, panel, ax)));
    for (int row = 1; row <= height; ++row)
      for (int col = 1; col <= n; ++col) {
        const SweepCell* c = at(cells, sizesAt(panel, ax, row, col));
        std::string fill = "#bdbdbd", label = "?";
        if (c && c->verdict == Verdict::Holds) fill = "#66bb6a", label = "";
        if (c && c->verdict == Verdict::Violated) {
          double t = c->length >= 0 ? static_cast<double>(c->length) / maxLen : 1.0;
          int g = static_cast<int>(60 + 140 * t);
          fill = fmt::format("rgb(220,{},{})", g, g);
          label = c->length >= 0 ? std::to_string(c->length) : "x";
        }
        int x = x0 + (col - 1) * cell, y = y0 + (row - 1) * cell;
        out += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\" stroke=\"white\"/>", x, y,
                           cell, cell, fill);
        if (!label.empty())
          out += fmt::format("<text x=\"{}\" y=\"{}\" font-size=\"11\" text-anchor=\"middle\" fill=\"#222\">{}</text>",
                             x + cell / 2, y + cell / 2 + 4, label);
        out += "\n";
      }
    // The border of the expected condition: an edge between two cells it puts on different sides.
    if (m.expect) {
      std::string path;
      const Panel& here = panel;  // clang 14 cannot capture a structured binding in a lambda
      auto safe = [&](int row, int col) { return expectedSafe(m, n, sizesAt(here, ax, row, col)); };
      for (int row = 1; row <= height; ++row)
        for (int col = 1; col <= n; ++col) {
          int x = x0 + (col - 1) * cell, y = y0 + (row - 1) * cell;
          if (col < n && safe(row, col) != safe(row, col + 1))
            path += fmt::format(" M {} {} L {} {}", x + cell, y, x + cell, y + cell);
          if (row < height && safe(row, col) != safe(row + 1, col))
            path += fmt::format(" M {} {} L {} {}", x, y + cell, x + cell, y + cell);
        }
      if (!path.empty())
        out += fmt::format("<path d=\"{}\" fill=\"none\" stroke=\"#1a237e\" stroke-width=\"2\" stroke-dasharray=\"5,3\"/>\n",
                           path.substr(1));
    }
    for (int q = 1; q <= n; ++q)
      out += fmt::format("<text x=\"{}\" y=\"{}\" font-size=\"10\" text-anchor=\"middle\" fill=\"#555\">{}</text>",
                         x0 + (q - 1) * cell + cell / 2, y0 + height * cell + 14, q);
    for (int q = 1; q <= height && ax.grid(); ++q)
      out += fmt::format("<text x=\"{}\" y=\"{}\" font-size=\"10\" text-anchor=\"end\" fill=\"#555\">{}</text>\n",
                         x0 - 4, y0 + (q - 1) * cell + cell / 2 + 4, q);
    out += fmt::format("<text x=\"{}\" y=\"{}\" font-size=\"11\" text-anchor=\"middle\" fill=\"#333\">{}</text>",
                       x0 + n * cell / 2, y0 + height * cell + 30, cols);
    if (ax.grid()) out += fmt::format("<text x=\"{}\" y=\"{}\" font-size=\"11\" fill=\"#333\">{}</text>\n", x0 - 30, y0 - 8, rows);
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
    for (size_t k = 0; k < q.sets.size(); ++k) lists += fmt::format("{}{} {}", k ? ", " : "", m.systems[k], showQuorumList(q.sets[k], processLetter(r.model)));
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
    for (auto& sets : q.sets) out += showQuorumList(sets, processLetter(r.model)) + ",";
    out += fmt::format("{},{},{},{},{:.3f}\n", verdictName(r.verdict), r.length >= 0 ? std::to_string(r.length) : "",
                       r.exhausted ? "" : std::to_string(r.depthChecked), r.exhausted ? "yes" : "no", r.seconds);
  }
  return out;
}

json quorumSystemsJson(const std::vector<std::pair<ListedQuorums, CheckResult>>& rows, const SweepMeta& m) {
  json out = json::array();
  for (auto& [q, r] : rows) {
    json row = {{"name", q.name}, {"n", q.n}};
    for (size_t k = 0; k < q.sets.size(); ++k) row[m.systems[k]] = showQuorumList(q.sets[k], processLetter(r.model));
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

namespace {
std::string cellName(const SweepCell& c, const SweepMeta& m) {
  std::string s = fmt::format("n={}", c.n);
  for (size_t k = 0; k < m.axes.size() && k < c.sizes.size(); ++k) s += fmt::format(" {}={}", m.axes[k], c.sizes[k]);
  return s;
}
std::string proofLine(const EverySizeResult& e) {
  switch (e.outcome) {
    case EverySizeResult::Outcome::Proved:
      return fmt::format("holds for every size: the inductive invariant is proved in first-order logic ({} queries, {:.2f} s)", e.queries, e.seconds);
    case EverySizeResult::Outcome::NotInductive:
      return fmt::format("not proved for every size: {} ({} queries, {:.2f} s)", notProvedText(e), e.queries, e.seconds);
    case EverySizeResult::Outcome::Unknown: break;
  }
  return fmt::format("unknown for every size: {} ({} queries, {:.2f} s)", e.reason, e.queries, e.seconds);
}
}  // namespace

std::string everySizeText(const std::vector<SweepProof>& proofs, const SweepResult& r, const SweepMeta& m) {
  size_t safe = 0, proved = 0;
  for (auto& p : proofs) {
    safe += p.cells.size();
    if (p.proof.outcome == EverySizeResult::Outcome::Proved) proved += p.cells.size();
  }
  std::string out = fmt::format("\nevery size: {} of the {} {} that hold here proved for every size, by {} first-order {} (one per set of quorum "
                                "intersections the sizes give; each holds for every number of the other sorts' elements and every n "
                                "whose quorums meet as the cell's do)\n",
                                proved, safe, cellsWord(m.axes.size()), proofs.size(), proofs.size() == 1 ? "proof" : "proofs");
  for (auto& p : proofs) {
    std::vector<std::string> names;
    for (size_t i = 0; i < p.cells.size() && i < 4; ++i) names.push_back(cellName(r.cells[p.cells[i]], m));
    if (p.cells.size() > 4) names.push_back(fmt::format("{} more", p.cells.size() - 4));
    out += fmt::format("  {} {} ({}): {}\n", p.cells.size(), cellsWord(m.axes.size()), fmt::join(names, ", "), proofLine(p.proof));
    for (auto& a : p.proof.assumptions) out += "    assumes: " + a + "\n";
  }
  return out;
}

json everySizeJson(const std::vector<SweepProof>& proofs, const SweepResult& r, const SweepMeta& m) {
  json out = json::array();
  for (auto& p : proofs) {
    json cells = json::array();
    for (size_t i : p.cells) cells.push_back(cellName(r.cells[i], m));
    out.push_back({{"verdict", outcomeWord(p.proof.outcome)},
                   {"text", proofLine(p.proof)},
                   {"assumes", p.proof.assumptions},
                   {"cells", cells}});
  }
  return out;
}

}  // namespace mw::cli
