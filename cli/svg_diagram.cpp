// The counterexample as a sequence diagram in SVG, drawn here with no renderer needed: one
// lifeline per element of the sorts the protocol file names (`lifelines`), one row per step.
//
// A step that sends a routed message is an arrow from the sender's lifeline to the lifelines of
// the steps that later act on it (queries/trace.hpp: messageReaders); a message nothing acts on
// goes where its route says, dashed. A step that sends no routed message is a box on the
// lifeline of the process it acts for. Beside each row: the action, its quorum and the state it
// changed. At the end: the violation, and what it rests on (violationWitness) drawn in red.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "cli/lifelines.hpp"
#include "cli/printers.hpp"
#include "model/interp.hpp"

namespace mw {

namespace {
std::string esc(const std::string& s) { return xmlEscaped(s); }

// Lines of at most `width` characters, broken at spaces.
std::vector<std::string> wrapped(const std::string& text, size_t width) {
  std::vector<std::string> lines;
  std::string line, word;
  auto flush = [&] {
    if (word.empty()) return;
    if (!line.empty() && line.size() + 1 + word.size() > width) {
      lines.push_back(line);
      line.clear();
    }
    line += (line.empty() ? "" : " ") + word;
    word.clear();
  };
  for (char c : text) {
    if (c == ' ') flush();
    else word += c;
  }
  flush();
  if (!line.empty()) lines.push_back(line);
  return lines;
}

// Message types get colours in the order the file declares them; red is kept for the witness.
const char* kPalette[] = {"#1f5fa8", "#2a8a5c", "#8a5a1f", "#6b3fa0", "#1f8a8a", "#8a1f6b", "#4d6b1f", "#5a5a5a"};
constexpr int kCharW = 7;  // a 12px sans-serif character, roughly, for sizing columns

struct Column {
  std::string id, name;
  int x = 0;
};
}  // namespace

std::string svgDiagram(const CheckResult& r) {
  const Model& m = r.model;
  if (!r.trace) {  // a picture that says so, rather than no file
    std::string text = fmt::format("{} ({}): no counterexample: {}", m.name, instanceLine(r),
                                   r.verdict == Verdict::Holds ? "holds" : "unknown, " + r.reason);
    int width = static_cast<int>(text.size()) * kCharW + 40;
    return fmt::format("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"48\" viewBox=\"0 0 {0} 48\" "
                       "font-family=\"DejaVu Sans, Arial, sans-serif\" font-size=\"12\" class=\"madewrong-trace\">"
                       "<rect width=\"{0}\" height=\"48\" fill=\"#fff\"/><text x=\"20\" y=\"28\">{1}</text></svg>\n",
                       width, esc(text));
  }
  const Trace& t = *r.trace;
  Interp in(m, r.inst);
  auto readers = messageReaders(in, t);
  Witness witness;
  if (const Invariant* inv = m.invariant(r.request.invariant); inv && r.verdict == Verdict::Violated)
    witness = violationWitness(in, t, inv->holds);
  std::set<std::pair<int, int>> witnessMsgs(witness.messages.begin(), witness.messages.end());
  std::set<std::pair<int, int>> witnessCells(witness.cells.begin(), witness.cells.end());

  Lifelines lines(m);
  std::vector<Column> cols;
  std::map<std::string, int> colOf;
  size_t longest = 8;
  for (size_t g = 0; g < lines.groups.size(); ++g)
    for (int k = 0; k < lines.count(r.inst, g); ++k) {
      int v = lines.first(r.inst, g) + k;
      cols.push_back({lines.id(g, v), lines.name(m, g, v)});
      longest = std::max(longest, cols.back().name.size());
    }
  if (cols.empty()) cols.push_back({"madewrong", m.name});
  const int colW = std::max(96, static_cast<int>(longest) * kCharW + 24);
  const int left = 20, top = 64, rowH = 30;
  for (size_t c = 0; c < cols.size(); ++c) {
    cols[c].x = left + colW / 2 + static_cast<int>(c) * colW;
    colOf[cols[c].id] = static_cast<int>(c);
  }

  // The lifeline a step acts for: the sender of its first routed message, else its first
  // parameter that has a lifeline, else the first lifeline.
  auto actorOf = [&](const TraceStep& s) -> std::string {
    for (auto& msg : s.sent)
      if (std::string from = lines.sender(m.rels[msg.rel], msg.fields); !from.empty()) return from;
    auto& act = m.actions[s.action.action];
    for (size_t p = 0; p < act.params.size(); ++p)
      if (int g = lines.group(act.params[p].sort); g >= 0 && s.action.params[p] != kNone) return lines.id(g, s.action.params[p]);
    return cols.front().id;
  };
  std::vector<std::string> actor;
  for (auto& s : t.steps) actor.push_back(actorOf(s));

  // The text beside each row, and the widest of it.
  std::vector<std::string> side;
  size_t sideChars = 40;  // at least the column's heading
  for (auto& s : t.steps) {
    std::string text = showGround(m, s.action);
    if (s.usedQuorum) text += " quorum " + showProcesses(m, s.quorum);
    side.push_back(text);
    size_t w = text.size();
    for (auto& c : s.changes) w = std::max(w, showChange(m, c).size() + 2);
    sideChars = std::max(sideChars, std::min<size_t>(w, 70));
  }
  const int lifelinesRight = left + static_cast<int>(cols.size()) * colW;
  const int sideX = lifelinesRight + 16;
  // A row is as tall as its changes need (one line each below the action).
  std::vector<int> rowY;
  int y = top + 26;
  for (auto& s : t.steps) {
    rowY.push_back(y);
    y += std::max(rowH, 16 + 14 * static_cast<int>(s.changes.size()));
  }
  std::string violation = "violated: " + r.violation;
  std::vector<std::string> witnessText;
  for (auto& [j, k] : witness.messages) witnessText.push_back(fmt::format("{} (step {})", showMessage(m, t.steps[j].sent[k]), j + 1));
  for (auto& [j, k] : witness.cells) witnessText.push_back(fmt::format("{} (step {})", showChange(m, t.steps[j].changes[k]), j + 1));
  const std::string heading = fmt::format("{}: {} steps", instanceLine(r), t.steps.size());
  const int width = std::max(sideX + static_cast<int>(sideChars) * kCharW + 20, left + static_cast<int>(heading.size()) * 9 + 20);
  size_t boxChars = static_cast<size_t>((width - 2 * left - 20) / kCharW);
  std::vector<std::string> boxLines = wrapped(violation, boxChars);
  if (!witnessText.empty()) {
    std::string rests = "It rests on: ";
    for (size_t i = 0; i < witnessText.size(); ++i) rests += (i ? ", " : "") + witnessText[i];
    for (auto& l : wrapped(rests, boxChars)) boxLines.push_back(l);
  }
  const int boxY = y + 6;
  const std::string legend =
      "Solid arrow: a later step acts on the message (it goes to those processes); dashed: no step acts on it (drawn "
      "along its route); box: a step that sends no message; red: what the violation rests on (take any one away and it "
      "no longer fails).";
  std::vector<std::string> legendLines = wrapped(legend, boxChars + 4);
  const int legendY = boxY + 16 * static_cast<int>(boxLines.size()) + 34;
  const int height = legendY + 15 * static_cast<int>(legendLines.size()) + 8;

  std::string out = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} {1}\" "
      "font-family=\"DejaVu Sans, Arial, sans-serif\" font-size=\"12\" class=\"madewrong-trace\">\n",
      width, height);
  out += fmt::format("<title>{}</title>\n", esc(fmt::format("{}: {} ({} steps)", m.name, violation, t.steps.size())));
  out += "<style>.label{paint-order:stroke;stroke:#fff;stroke-width:3px;stroke-linejoin:round}"
         ".witness line{stroke:#c62828;stroke-width:2.5}.witness text{fill:#c62828;font-weight:bold}"
         ".changed{fill:#444}.changed.witness-cell{fill:#c62828;font-weight:bold}</style>\n";
  out += "<defs>";
  for (size_t i = 0; i < std::size(kPalette); ++i)
    out += fmt::format("<marker id=\"head{}\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"9\" markerHeight=\"9\" markerUnits=\"userSpaceOnUse\" "
                       "orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"{}\"/></marker>",
                       i, kPalette[i]);
  out += "<marker id=\"headw\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"10\" markerHeight=\"10\" markerUnits=\"userSpaceOnUse\" "
         "orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#c62828\"/></marker></defs>\n";
  out += fmt::format("<rect width=\"{}\" height=\"{}\" fill=\"#fff\"/>\n", width, height);
  out += fmt::format("<text x=\"{}\" y=\"22\" font-size=\"14\" font-weight=\"bold\">{}</text>\n", left,
                     esc(heading));
  // Lifelines: a head box and a line down to the violation box.
  for (auto& c : cols) {
    out += fmt::format("<g class=\"lifeline\" data-id=\"{}\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"24\" rx=\"4\" "
                       "fill=\"#eef2f7\" stroke=\"#5a6b80\"/><text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>"
                       "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#9aa7b5\" stroke-dasharray=\"4 3\"/></g>\n",
                       esc(c.id), c.x - (colW - 16) / 2, top - 30, colW - 16, c.x, top - 13, esc(c.name), c.x, top - 6, c.x, boxY - 4);
  }
  out += fmt::format("<text x=\"{}\" y=\"{}\" font-weight=\"bold\">step: action, quorum; state changed</text>\n", sideX, top - 13);

  for (size_t i = 0; i < t.steps.size(); ++i) {
    const TraceStep& s = t.steps[i];
    int rowTop = rowY[i];
    int ay = rowTop + 6;  // the arrow's height in the row
    std::string from = actor[i];
    // Routed messages: to the lifelines of the steps that read them, or along the route.
    struct Arrow {
      std::string to;
      bool read, witness;
      size_t colour;
    };
    std::vector<Arrow> arrows;
    std::vector<std::string> labels;
    bool anyWitness = false;
    for (size_t k = 0; k < s.sent.size(); ++k) {
      const Message& msg = s.sent[k];
      const Relation& rel = m.rels[msg.rel];
      std::string sender = lines.sender(rel, msg.fields);
      if (sender.empty() || sender != from) continue;  // routed, and drawn from the step's own lifeline only
      bool w = witnessMsgs.count({static_cast<int>(i), static_cast<int>(k)}) > 0;
      anyWitness = anyWitness || w;
      std::vector<std::string> to;
      for (int j : readers[i][k])
        if (actor[j] != sender && std::find(to.begin(), to.end(), actor[j]) == to.end()) to.push_back(actor[j]);
      bool read = !to.empty();
      if (!read) to = lines.routeTargets(rel, msg.fields, r.inst, sender);
      for (auto& d : to)
        if (colOf.count(d)) arrows.push_back({d, read, w, msg.rel % std::size(kPalette)});
      labels.push_back(showMessage(m, msg));
    }
    std::string label = fmt::format("{}. ", i + 1);
    for (size_t k = 0; k < labels.size(); ++k) label += (k ? "; " : "") + labels[k];
    int fx = cols[colOf.count(from) ? colOf[from] : 0].x;
    if (!arrows.empty()) {
      std::string toList;
      std::set<std::string> seen;
      for (auto& a : arrows)
        if (seen.insert(a.to).second) toList += (toList.empty() ? "" : ",") + a.to;
      out += fmt::format("<g class=\"step arrow{}\" id=\"step-{}\" data-step=\"{}\" data-from=\"{}\" data-to=\"{}\" data-action=\"{}\">\n",
                         anyWitness ? " witness" : "", i + 1, i + 1, esc(from), esc(toList), esc(showGround(m, s.action)));
      for (auto& a : arrows) {
        int tx = cols[colOf[a.to]].x;
        int end = tx + (tx > fx ? -3 : 3);
        out += fmt::format("  <line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{}\" stroke-width=\"1.5\"{} marker-end=\"url(#head{})\"/>\n",
                           fx, ay, end, ay, a.witness ? "#c62828" : kPalette[a.colour], a.read ? "" : " stroke-dasharray=\"6 4\"",
                           a.witness ? "w" : std::to_string(a.colour));
      }
      // The label above the arrow, starting at the sender, leaning the way the arrow goes.
      int rightmost = fx, leftmost = fx;
      for (auto& a : arrows) {
        rightmost = std::max(rightmost, cols[colOf[a.to]].x);
        leftmost = std::min(leftmost, cols[colOf[a.to]].x);
      }
      bool goesLeft = rightmost == fx && leftmost < fx;
      out += fmt::format("  <text class=\"label\" x=\"{}\" y=\"{}\" text-anchor=\"{}\">{}</text>\n", goesLeft ? fx - 6 : fx + 6, ay - 5,
                         goesLeft ? "end" : "start", esc(label));
      out += "</g>\n";
    } else {
      std::string text = fmt::format("{}. {}", i + 1, showGround(m, s.action));
      for (auto& msg : s.sent) text += ", sends " + showMessage(m, msg);  // messages with no route
      int w = static_cast<int>(text.size()) * kCharW + 12;
      out += fmt::format("<g class=\"step local\" id=\"step-{}\" data-step=\"{}\" data-at=\"{}\" data-action=\"{}\">"
                         "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"20\" rx=\"3\" fill=\"#fff8e1\" stroke=\"#b08a2e\"/>"
                         "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text></g>\n",
                         i + 1, i + 1, esc(from), esc(showGround(m, s.action)), fx - w / 2, ay - 12, w, fx, ay + 2, esc(text));
    }
    // Beside the row: the action and quorum, then one line per state change.
    out += fmt::format("<g class=\"side\" data-step=\"{}\"><text x=\"{}\" y=\"{}\">{}</text>", i + 1, sideX, ay + 4,
                       esc(fmt::format("{}. {}", i + 1, side[i])));
    for (size_t k = 0; k < s.changes.size(); ++k) {
      bool w = witnessCells.count({static_cast<int>(i), static_cast<int>(k)}) > 0;
      out += fmt::format("<text class=\"changed{}\" x=\"{}\" y=\"{}\">{}</text>", w ? " witness-cell" : "", sideX + 14,
                         ay + 18 + 14 * static_cast<int>(k), esc(showChange(m, s.changes[k])));
    }
    out += "</g>\n";
  }
  // The violation, across every lifeline.
  out += fmt::format("<g class=\"violation\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"4\" fill=\"#fdecea\" stroke=\"#c62828\"/>",
                     left, boxY, width - 2 * left, 16 * static_cast<int>(boxLines.size()) + 12);
  for (size_t k = 0; k < boxLines.size(); ++k)
    out += fmt::format("<text x=\"{}\" y=\"{}\" fill=\"#8e1b1b\"{}>{}</text>", left + 10, boxY + 20 + 16 * static_cast<int>(k),
                       k == 0 ? " font-weight=\"bold\"" : "", esc(boxLines[k]));
  out += "</g>\n<g class=\"legend\">";
  for (size_t k = 0; k < legendLines.size(); ++k)
    out += fmt::format("<text x=\"{}\" y=\"{}\" fill=\"#555\" font-size=\"11\">{}</text>", left, legendY + 15 * static_cast<int>(k),
                       esc(legendLines[k]));
  out += "</g>\n</svg>\n";
  return out;
}

}  // namespace mw
