#include "cli/html_report.hpp"

#include <fmt/format.h>

#include <map>

#include "cli/printers.hpp"
#include "model/interp.hpp"
#include "mutations/operators.hpp"

namespace mw {

using nlohmann::json;

namespace {
std::string esc(const std::string& s) { return xmlEscaped(s); }

std::string shown(const Model& m, const Action* act, const Expr& e) {
  std::string t = showExpr(m, act, e);
  return t == "1" && e.kind == Kind::Const ? "true" : t;
}

// The smallest differing part of two expressions: descend while exactly one child differs.
void diffExpr(const Model& mb, const Model& ma, const Action* act, const Expr& b, const Expr& a, std::string where,
              std::vector<TextChange>& out) {
  if (shown(mb, act, b) == shown(ma, act, a) && b.kind == a.kind && b.ref == a.ref) return;
  if (!b.site.empty()) where = b.site;
  bool same = b.kind == a.kind && b.op == a.op && b.ref == a.ref && b.val == a.val && b.slot == a.slot &&
              b.kids.size() == a.kids.size();
  if (same) {
    int differing = -1, count = 0;
    for (size_t k = 0; k < b.kids.size(); ++k)
      if (shown(mb, act, b.kids[k]) != shown(ma, act, a.kids[k]) || b.kids[k].ref != a.kids[k].ref) {
        differing = static_cast<int>(k);
        ++count;
      }
    if (count == 1) return diffExpr(mb, ma, act, b.kids[differing], a.kids[differing], where, out);
  }
  std::string before = shown(mb, act, b), after = shown(ma, act, a);
  if (before == after) {  // the same words, another quorum system counted
    before += fmt::format(" (counting {} quorums)", b.ref < static_cast<int>(mb.systems.size()) && b.ref > 0 ? mb.systems[b.ref - 1].name : "?");
    after += fmt::format(" (counting {} quorums)", a.ref < static_cast<int>(ma.systems.size()) && a.ref > 0 ? ma.systems[a.ref - 1].name : "?");
  }
  out.push_back({where, before, after});
}

std::string updateText(const Model& m, const Action& act, const Update& u) {
  std::string args;
  for (size_t k = 0; k < u.args.size(); ++k) args += (k ? ", " : "") + showExpr(m, &act, u.args[k]);
  if (u.kind == Update::Kind::Send) return fmt::format("send {}({})", m.rels[u.ref].name, args);
  return fmt::format("{}[{}] := {}", m.funcs[u.ref].name, args, showExpr(m, &act, u.value));
}
}  // namespace

std::vector<TextChange> changedText(const Model& before, const Model& after) {
  std::vector<TextChange> out;
  for (size_t a = 0; a < before.actions.size() && a < after.actions.size(); ++a) {
    const Action& b = before.actions[a];
    const Action& m = after.actions[a];
    for (size_t k = 0; k < b.guard.size() && k < m.guard.size(); ++k)
      diffExpr(before, after, &b, b.guard[k], m.guard[k], b.name, out);
    for (auto& u : b.updates) {
      const Update* v = nullptr;
      for (auto& w : m.updates)
        if (w.site == u.site) v = &w;
      std::string was = updateText(before, b, u);
      if (!v) out.push_back({u.site, was, "(removed)"});
      else if (std::string now = updateText(after, m, *v); now != was) out.push_back({u.site, was, now});
    }
  }
  for (size_t k = 0; k < before.systems.size(); ++k) {
    int was = k < before.quorumDelta.size() ? before.quorumDelta[k] : 0;
    int now = k < after.quorumDelta.size() ? after.quorumDelta[k] : 0;
    if (was != now)
      out.push_back({"quorum " + before.systems[k].name, fmt::format("{} quorums of their size", before.systems[k].name),
                     fmt::format("{} quorums {} member{} {}", before.systems[k].name, std::abs(now - was), std::abs(now - was) == 1 ? "" : "s",
                                 now < was ? "smaller" : "larger")});
  }
  for (size_t f = 0; f < before.funcs.size() && f < after.funcs.size(); ++f)
    if (before.funcs[f].persistent != after.funcs[f].persistent)
      out.push_back({"state " + before.funcs[f].name, fmt::format("state {}: ..., persistent", before.funcs[f].name),
                     fmt::format("state {}: ... (lost when its process restarts)", after.funcs[f].name)});
  return out;
}

json stepperData(const CheckResult& r) {
  if (!r.trace) return nullptr;
  const Model& m = r.model;
  Interp in(m, r.inst);
  const Layout& L = in.layout();
  json vars = json::array();
  std::map<int, size_t> rowOf;
  for (int c = 0; c < L.funcCells; ++c) {
    int f = L.funcOf(c);
    if (!rowOf.count(f)) {
      rowOf[f] = vars.size();
      vars.push_back({{"name", m.funcs[f].name}, {"cells", json::array()}});
    }
    std::vector<int> args = L.funcArgs(f, c);
    std::string label;
    for (size_t k = 0; k < args.size(); ++k) label += (k ? "," : "") + showValue(m, m.funcs[f].args[k], args[k]);
    vars[rowOf[f]]["cells"].push_back({{"label", label}, {"index", c}});
  }
  auto values = [&](const State& s) {
    json v = json::array();
    for (int c = 0; c < L.funcCells; ++c) {
      int f = L.funcOf(c);
      v.push_back(showValue(m, m.funcs[f].result, s.f[c]));
    }
    return v;
  };
  json states = json::array({values(r.trace->init)});
  json messages = json::array(), steps = json::array();
  int i = 0;
  for (auto& s : r.trace->steps) {
    ++i;
    states.push_back(values(s.after));
    for (auto& msg : s.sent) messages.push_back({{"text", showMessage(m, msg)}, {"step", i}});
    steps.push_back(stepLine(m, s));
  }
  return {{"vars", vars}, {"states", states}, {"messages", messages}, {"steps", steps}};
}

namespace {
const char* kStyle = R"(
:root{--ink:#1d2733;--muted:#5b6776;--line:#d5dbe3;--red:#c62828;--green:#2e7d32;--hi:#fff3c4}
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",Arial,sans-serif;color:var(--ink);margin:0 auto;max-width:1280px;padding:24px;line-height:1.45}
h1{font-size:1.6em;margin:0 0 .3em} h2{font-size:1.25em;margin:1.6em 0 .4em;border-bottom:1px solid var(--line);padding-bottom:.2em}
code,pre,.mono{font-family:"DejaVu Sans Mono",Menlo,Consolas,monospace;font-size:.92em}
.params{color:var(--muted);word-break:break-word}
table{border-collapse:collapse;margin:.5em 0} th,td{border:1px solid var(--line);padding:3px 8px;text-align:left;vertical-align:top}
th{background:#f3f5f8}
.kill-table td.verdict{white-space:nowrap} .killed{color:var(--red)} .survived{color:var(--green)}
.change td{font-family:"DejaVu Sans Mono",Menlo,Consolas,monospace;font-size:.9em} .change .after{background:#fdecea}
.diagram{overflow-x:auto;border:1px solid var(--line);padding:6px;background:#fff}
.diagram svg{display:block}
.stepper{border:1px solid var(--line);padding:10px;margin:.8em 0;background:#fafbfc}
.stepper .controls button{font:inherit;padding:2px 12px;margin-right:6px}
.stepper .now{font-weight:600;margin-left:8px}
.stepper td.changed{background:var(--hi);font-weight:600}
.stepper .msg{display:inline-block;margin:2px 4px 2px 0;padding:1px 6px;border:1px solid var(--line);border-radius:3px;font-family:"DejaVu Sans Mono",Menlo,monospace;font-size:.85em}
.stepper .msg.new{background:var(--hi);border-color:#c9a227}
ol.trace{font-family:"DejaVu Sans Mono",Menlo,Consolas,monospace;font-size:.86em;padding-left:3em}
ol.trace li{cursor:pointer;white-space:pre-wrap} ol.trace li.current{background:var(--hi);outline:1px solid #c9a227}
.back{font-size:.85em}
@media print{body{max-width:none;padding:0} .controls,.back{display:none} section{break-inside:avoid-page} .diagram{overflow:visible;border:none}
 .diagram svg{max-width:100%;height:auto} a{color:inherit;text-decoration:none}}
)";

// Every stepper on the page reads its JSON and draws the state after the chosen step.
const char* kScript = R"(
(function () {
  function el(tag, cls, text) { var e = document.createElement(tag); if (cls) e.className = cls; if (text !== undefined) e.textContent = text; return e; }
  document.querySelectorAll('.stepper').forEach(function (box) {
    var data = JSON.parse(box.querySelector('script[type="application/json"]').textContent);
    var last = data.states.length - 1, at = last;
    var now = box.querySelector('.now'), table = box.querySelector('table.state'), msgs = box.querySelector('.messages');
    var items = box.querySelectorAll('ol.trace li');
    function show(i) {
      at = Math.max(0, Math.min(last, i));
      box.setAttribute('data-at', at);
      now.textContent = at === 0 ? 'the initial state' : 'after step ' + at + ' of ' + last + ': ' + at + '. ' + data.steps[at - 1];
      table.innerHTML = '';
      data.vars.forEach(function (v) {
        var tr = el('tr'); tr.appendChild(el('th', '', v.name));
        v.cells.forEach(function (c) {
          var value = data.states[at][c.index], before = at > 0 ? data.states[at - 1][c.index] : value;
          tr.appendChild(el('td', value !== before ? 'changed' : '', (c.label ? c.label + ': ' : '') + value));
        });
        table.appendChild(tr);
      });
      msgs.innerHTML = '';
      data.messages.forEach(function (m) { if (m.step <= at) msgs.appendChild(el('span', m.step === at ? 'msg new' : 'msg', m.text)); });
      if (!msgs.childNodes.length) msgs.appendChild(el('span', '', '(none sent yet)'));
      items.forEach(function (li, k) { li.classList.toggle('current', k + 1 === at); });
    }
    box.querySelector('.first').addEventListener('click', function () { show(0); });
    box.querySelector('.prev').addEventListener('click', function () { show(at - 1); });
    box.querySelector('.next').addEventListener('click', function () { show(at + 1); });
    box.querySelector('.last').addEventListener('click', function () { show(last); });
    items.forEach(function (li, k) { li.addEventListener('click', function () { show(k + 1); }); });
    show(last);
  });
})();
)";

std::string anchor(size_t i) { return fmt::format("m{}", i + 1); }

// An SVG drawn for one section: its ids made unique on the page.
std::string inlineSvg(std::string svg, const std::string& prefix) {
  auto replaceAll = [&](const std::string& from, const std::string& to) {
    for (size_t at = svg.find(from); at != std::string::npos; at = svg.find(from, at + to.size())) svg.replace(at, from.size(), to);
  };
  replaceAll("id=\"head", "id=\"" + prefix + "-head");
  replaceAll("url(#head", "url(#" + prefix + "-head");
  replaceAll("id=\"step-", "id=\"" + prefix + "-step-");
  return svg;
}

std::string page(const std::string& title, const std::string& body, bool script) {
  return fmt::format(
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" "
      "content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{}</style>\n</head>\n<body>\n{}{}</body>\n</html>\n",
      esc(title), kStyle, body, script ? fmt::format("<script>{}</script>\n", kScript) : "");
}
}  // namespace

std::string mutantsHtml(const std::string& protocol, const std::string& head, const std::string& summary,
                        const std::vector<HtmlMutant>& rows) {
  std::string b = fmt::format("<header id=\"top\"><h1>{}, made wrong one step at a time</h1>\n<p class=\"params mono\">{}</p>\n<p>{}.</p>\n",
                              esc(protocol), esc(head), esc(summary));
  b += "<p>Every killed mutant below comes with its shortest counterexample, replayed step by step on the concrete "
       "interpreter before it was written here: what the mutation changes in the protocol file's own words, why the run "
       "breaks, the run as a sequence diagram, and a step-through of its states.</p></header>\n";
  b += "<h2 id=\"table\">Mutants</h2>\n<table class=\"kill-table\"><thead><tr><th>#</th><th>mutant [catalog name]</th>"
       "<th>verdict</th><th>what it changes</th></tr></thead><tbody>\n";
  size_t n = 0;
  for (size_t i = 0; i < rows.size(); ++i) {
    const HtmlMutant& r = rows[i];
    if (r.kind == "equivalent") continue;
    std::string name = r.kind == "killed" || r.kind == "survived" ? fmt::format("<a href=\"#{}\">{}</a>", anchor(i), esc(r.title)) : esc(r.title);
    b += fmt::format("<tr><td>{}</td><td class=\"mono\">{}</td><td class=\"verdict {}\">{}</td><td>{}</td></tr>\n", ++n, name,
                     r.kind == "killed" ? "killed" : r.kind == "survived" ? "survived" : "", esc(r.verdict), esc(r.description));
  }
  b += "</tbody></table>\n";

  auto changesTable = [&](const HtmlMutant& r) {
    if (r.changes.empty()) return fmt::format("<p>{}</p>\n", esc(r.description));
    std::string t = "<table class=\"change\"><thead><tr><th>where</th><th>as written</th><th>in the mutant</th></tr></thead><tbody>\n";
    for (auto& c : r.changes)
      t += fmt::format("<tr><td>{}</td><td class=\"before\">{}</td><td class=\"after\">{}</td></tr>\n", esc(c.where), esc(c.before), esc(c.after));
    return t + "</tbody></table>\n";
  };
  b += "<h2 id=\"killed\">Killed mutants</h2>\n";
  bool anyKilled = false;
  for (size_t i = 0; i < rows.size(); ++i) {
    const HtmlMutant& r = rows[i];
    if (r.kind != "killed") continue;
    anyKilled = true;
    b += fmt::format("<section class=\"mutant\" id=\"{}\">\n<h2>{}: {}</h2>\n", anchor(i), esc(r.title), esc(r.verdict));
    b += "<h3>What it changes</h3>\n" + changesTable(r);
    b += fmt::format("<h3>Why it breaks</h3>\n<p>{}</p>\n", esc(r.why));
    if (!r.svg.empty()) b += fmt::format("<h3>The run</h3>\n<div class=\"diagram\">{}</div>\n", inlineSvg(r.svg, anchor(i)));
    b += "<h3>Step through it</h3>\n";
    if (!r.stepper.is_null()) {
      std::string data = r.stepper.dump();
      for (size_t at = data.find("</"); at != std::string::npos; at = data.find("</", at + 3)) data.replace(at, 2, "<\\/");
      b += "<div class=\"stepper\"><div class=\"controls\"><button class=\"first\" type=\"button\">|&lt;</button>"
           "<button class=\"prev\" type=\"button\">&lt; previous</button><button class=\"next\" type=\"button\">next &gt;</button>"
           "<button class=\"last\" type=\"button\">&gt;|</button><span class=\"now\"></span></div>\n"
           "<table class=\"state\"></table>\n<div class=\"messages\"></div>\n";
      b += "<ol class=\"trace\">\n";
      for (auto& s : r.stepper["steps"]) b += fmt::format("<li>{}</li>\n", esc(s.get<std::string>()));
      b += fmt::format("</ol>\n<script type=\"application/json\">{}</script></div>\n", data);
    } else {
      b += "<ol class=\"trace\">\n";
      for (auto& s : r.steps) b += fmt::format("<li>{}</li>\n", esc(s));
      b += "</ol>\n";
    }
    b += "<p class=\"back\"><a href=\"#table\">back to the table</a></p>\n</section>\n";
  }
  if (!anyKilled) b += "<p>None.</p>\n";
  b += "<h2 id=\"survivors\">Survivors</h2>\n";
  bool anySurvivor = false;
  for (size_t i = 0; i < rows.size(); ++i) {
    const HtmlMutant& r = rows[i];
    if (r.kind != "survived") continue;
    anySurvivor = true;
    b += fmt::format("<section class=\"mutant survivor\" id=\"{}\">\n<h3 class=\"mono\">{}</h3>\n", anchor(i), esc(r.title));
    b += changesTable(r) + fmt::format("<p>{}: {}.</p>\n<p class=\"back\"><a href=\"#table\">back to the table</a></p>\n</section>\n",
                                       esc(r.verdict), esc(r.note));
  }
  if (!anySurvivor) b += "<p>None.</p>\n";
  b += "<h2 id=\"equivalent\">Equivalent mutants</h2>\n<p>Same transitions and invariants as the mutant named; not run again.</p>\n<ul>\n";
  bool anyEq = false;
  for (auto& r : rows)
    if (r.kind == "equivalent") {
      anyEq = true;
      b += fmt::format("<li class=\"mono\">{} = {}</li>\n", esc(r.title), esc(r.equivalentTo));
    }
  b += anyEq ? "</ul>\n" : "<li>None.</li></ul>\n";
  return page(protocol + " mutants", b, anyKilled);
}

std::string sweepHtml(const std::string& protocol, const std::string& head, const std::string& svg, const std::string& text) {
  std::string b = fmt::format("<h1>{}: which quorum sizes are safe</h1>\n<p class=\"params mono\">{}</p>\n", esc(protocol), esc(head));
  b += fmt::format("<div class=\"diagram\">{}</div>\n<h2>The sweep, as the terminal shows it</h2>\n<pre>{}</pre>\n", svg, esc(text));
  return page(protocol + " sweep", b, false);
}

}  // namespace mw
