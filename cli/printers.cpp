// Printers. All of them read the replayed trace, never the solver's model, so what is shown is
// exactly what the concrete interpreter executed.
#include "cli/printers.hpp"

#include "cli/common.hpp"
#include "cli/lifelines.hpp"

#include "queries/invariants.hpp"
#include "queries/quorum_file.hpp"
#include "model/interp.hpp"

#include <fmt/format.h>
#include <sys/resource.h>

#include <cctype>

namespace mw {

using nlohmann::json;

std::string xmlEscaped(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

double peakMemoryMB() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_maxrss) / 1024.0;
}

static std::string joined(const std::vector<std::string>& xs, const char* sep) {
  std::string s;
  for (size_t i = 0; i < xs.size(); ++i) s += (i ? sep : "") + xs[i];
  return s;
}

static std::vector<std::string> processNames(const Model& m, const std::vector<int>& as) {
  std::vector<std::string> out;
  for (int a : as) out.push_back(showValue(m, {Role::Process, false}, a));
  return out;
}

std::string instanceLine(const CheckResult& r) {
  std::string muts = r.model.mutations.empty() ? "none" : joined(r.model.mutations, ",");
  return fmt::format("{}: {} depth={} inv={} mutations={}{}", r.model.name, cli::instanceText(r.model, r.inst),
                     r.request.depth, r.request.invariant, muts, r.request.restarts ? " faults=restart" : "");
}

std::string textReport(const CheckResult& r) {
  std::string out = instanceLine(r) + "\n";
  if (r.induction && r.request.prove && r.induction->verdict != Verdict::Holds) {
    const InductionOutcome& ind = *r.induction;
    if (ind.verdict == Verdict::Unknown) {
      out += fmt::format("induction: gave up ({})\n", ind.reason);
    } else if (ind.failedStep == "init") {
      out += fmt::format("induction: Init => Inv fails: the initial state breaks {}\n", ind.conjunct);
    } else if (ind.failedStep == "implies") {
      out += fmt::format("induction: Inv => {} fails in this state:\n", r.request.invariant);
      for (auto& l : describeState(r.model, r.inst, *ind.before)) out += "    " + l + "\n";
    } else {
      out += fmt::format("induction: Inv /\\ Next => Inv' fails (a counterexample to induction, replayed): from a "
                         "state where Inv holds, {}{} breaks {}\n",
                         showGround(r.model, *ind.action),
                         ind.quorum.empty() ? "" : " with quorum " + showProcesses(r.model, ind.quorum), ind.conjunct);
      out += "  before:\n";
      for (auto& l : describeState(r.model, r.inst, *ind.before)) out += "    " + l + "\n";
      out += "  after:\n";
      for (auto& l : describeState(r.model, r.inst, *ind.after)) out += "    " + l + "\n";
    }
    out += "  (a CTI's state need not be reachable; bounded search follows)\n";
  }
  const std::string& inv = r.request.invariant;
  switch (r.verdict) {
    case Verdict::Holds:
      if (r.answeredBy == "induction")
        out += fmt::format("holds for every run: proved by induction (Init => Inv, Inv /\\ Next => Inv', Inv => {}; "
                           "Inv has {} conjuncts, declared in the protocol file)\n",
                           inv, r.model.inductive.size());
      else if (r.exhausted && r.answeredBy == "explicit")
        out += fmt::format("holds for every run: all {} reachable states keep {} ({}none is more than {} actions away)\n",
                           r.states, inv, r.spentDropped ? "states that differ only in spent messages counted as one; " : "",
                           r.depthChecked);
      else if (r.exhausted && r.answeredBy == "parallel")
        out += fmt::format("holds for every run: no run of at most {0} parallel steps breaks {1}, and {0} is the "
                           "completeness threshold {2} of parallel steps for this instance, as the protocol file states\n",
                           r.stepThreshold, inv,
                           r.model.completeSteps ? r.model.completeSteps->text : "");
      else if (r.exhausted)
        out += fmt::format("holds for every run: no run of at most {} actions breaks {}, and {} is the completeness "
                           "threshold {} of this instance, as the protocol file states\n",
                           r.depthChecked, inv, r.threshold, r.model.completeActions ? r.model.completeActions->text : "");
      else
        out += fmt::format("holds: no run of at most {} actions breaks {} (bounded check)\n", r.depthChecked, inv);
      break;
    case Verdict::Unknown:
      if (r.answeredBy == "induction" && r.reason.empty()) {
        out += "unknown: the inductive invariant does not prove it, and --engine induction searches no runs\n";
        break;
      }
      out += fmt::format("unknown: {}{}; ",
                         r.reason == "interrupted"                               ? r.reason
                         : r.reason == "memory limit" && r.request.memoryMB > 0 ? fmt::format("memory limit of {} MB reached", r.request.memoryMB)
                                                                                 : r.reason + " reached",
                         r.answeredBy == "explicit" ? fmt::format(" ({} states)", r.states) : "");
      out += r.depthChecked >= 0
                 ? fmt::format("every run of at most {} actions was checked and keeps {}\n", r.depthChecked, inv)
                 : std::string("no depth was fully checked\n");
      break;
    case Verdict::Violated: {
      if (r.shortest)
        out += fmt::format("violated: {} breaks after {} actions (shortest: no run of fewer actions breaks it)\n", inv,
                           r.length);
      else
        out += fmt::format("violated: {} breaks after {} actions (not proven shortest: {} before shorter runs were "
                           "ruled out{})\n",
                           inv, r.length, r.reason.empty() ? "stopped" : r.reason,
                           r.depthChecked > 0 ? fmt::format("; none of at most {} actions breaks it", r.depthChecked) : "");
      int i = 0;
      for (auto& s : r.trace->steps) out += fmt::format("{:>4}. {}\n", ++i, stepLine(r.model, s));
      out += "violation: " + r.violation + "\n";
      if (!r.why.empty() && r.why != r.violation) out += "why: " + r.why + "\n";
      out += "replayed on the concrete interpreter: every step enabled, the invariant false in the last state\n";
      break;
    }
  }
  std::string detail;
  if (r.answeredBy == "explicit")
    detail = fmt::format(" ({} states, symmetry reduction: {}{})", r.states, r.symmetry.empty() ? "off" : r.symmetry,
                         r.spentDropped ? ", spent messages dropped" : "");
  std::string engine = r.request.engine == "auto" ? "auto -> " + r.answeredBy : r.answeredBy;
  out += fmt::format("engine: {}{}, time: {:.2f} s, peak memory {:.0f} MB\n", engine, detail, r.seconds, peakMemoryMB());
  return out;
}

static json jsonValue(const Model& m, Sort s, int v) {
  if (m.hasOrder(s)) return v;
  if (v == kNone) return nullptr;
  return showValue(m, s, v);
}

json jsonReport(const CheckResult& r) {
  json j;
  j["verdict"] = verdictName(r.verdict);
  j["depth"] = r.depthChecked;
  j["instance"] = {{"protocol", r.model.name}, {"n", r.inst.n}, {"max_depth", r.request.depth},
                   {"invariant", r.request.invariant}, {"mutations", r.model.mutations}};
  for (size_t k = 0; k < r.model.systems.size(); ++k) {
    int which = static_cast<int>(k) + 1;
    std::string key = r.model.systems[k].key();
    if (r.inst.sets(which).empty())
      j["instance"][key] = r.model.quorumSize(r.inst, which);
    else
      j["instance"][key] = showQuorumList(r.inst.sets(which), processLetter(r.model));
  }
  for (auto& [name, size] : cli::sortSizes(r.model, r.inst)) j["instance"][name] = size;
  j["instance"]["faults"] = r.request.restarts ? "restart" : "none";
  j["engine"] = r.request.engine;
  j["answered_by"] = r.answeredBy;
  if (r.verdict == Verdict::Violated) j["shortest"] = r.shortest;
  j["threshold"] = r.threshold;
  if (r.induction) {
    nlohmann::json ind = {{"verdict", verdictName(r.induction->verdict)}, {"seconds", r.induction->seconds}};
    if (!r.induction->failedStep.empty()) ind["failed_step"] = r.induction->failedStep;
    if (!r.induction->conjunct.empty()) ind["conjunct"] = r.induction->conjunct;
    if (r.induction->action) ind["action"] = showGround(r.model, *r.induction->action);
    if (r.induction->before) ind["before"] = describeState(r.model, r.inst, *r.induction->before);
    if (r.induction->after) ind["after"] = describeState(r.model, r.inst, *r.induction->after);
    if (!r.induction->reason.empty()) ind["reason"] = r.induction->reason;
    j["induction"] = ind;
  }
  if (r.answeredBy == "explicit") {
    j["states"] = r.states;
    j["symmetry"] = r.symmetry;
    j["spent_messages_dropped"] = r.spentDropped;
  }
  j["for_every_run"] = r.exhausted;
  j["seconds"] = r.seconds;
  j["peak_memory_mb"] = peakMemoryMB();
  if (r.verdict == Verdict::Unknown) j["reason"] = r.reason;
  if (r.verdict == Verdict::Violated) {
    j["length"] = r.length;
    j["violation"] = r.violation;
    j["why"] = r.why.empty() ? r.violation : r.why;
    j["replayed"] = true;
  }
  j["trace"] = traceSteps(r);
  return j;
}

json traceSteps(const CheckResult& r) {
  json steps = json::array();
  if (r.trace) {
    int i = 0;
    for (auto& s : r.trace->steps) {
      auto& act = r.model.actions[s.action.action];
      json params = json::object();
      for (size_t p = 0; p < act.params.size(); ++p)
        params[act.params[p].name] = jsonValue(r.model, act.params[p].sort, s.action.params[p]);
      json sent = json::array();
      for (auto& m : s.sent) {
        auto& rel = r.model.rels[m.rel];
        json msg = {{"type", rel.name}};
        for (size_t f = 0; f < rel.fields.size(); ++f) msg[rel.fields[f]] = jsonValue(r.model, rel.sorts[f], m.fields[f]);
        sent.push_back(msg);
      }
      json changes = json::array();
      for (auto& c : s.changes) {
        auto& f = r.model.funcs[c.func];
        json args = json::array();
        for (size_t k = 0; k < c.args.size(); ++k) args.push_back(jsonValue(r.model, f.args[k], c.args[k]));
        changes.push_back({{"var", f.name}, {"args", args}, {"before", jsonValue(r.model, f.result, c.before)},
                           {"after", jsonValue(r.model, f.result, c.after)}});
      }
      json step = {{"step", ++i}, {"action", act.name}, {"params", params}, {"sent", sent}, {"changes", changes},
                   {"text", stepLine(r.model, s)}};
      if (s.usedQuorum) step["quorum"] = processNames(r.model, s.quorum);
      steps.push_back(step);
    }
  }
  return steps;
}

std::vector<std::string> traceTexts(const json& steps, bool numbered) {
  std::vector<std::string> out;
  if (!steps.is_array()) throw std::invalid_argument("the trace is not a list");
  for (auto& s : steps) {
    if (s.is_string()) {
      out.push_back(s.get<std::string>());
      continue;
    }
    if (!s.is_object() || !s.contains("text") || !s["text"].is_string()) throw std::invalid_argument("a step has no \"text\"");
    std::string text = s["text"].get<std::string>();
    out.push_back(numbered ? fmt::format("{}. {}", out.size() + 1, text) : text);
  }
  return out;
}

// ITF (the Informal Trace Format of Apalache and Quint): integers as {"#bigint": "..."}, sets
// as {"#set": [...]}, functions as {"#map": [[key, value], ...]}, messages as records.
static json itfValue(const Model& m, Sort s, int v) {
  if (m.hasOrder(s)) return {{"#bigint", std::to_string(v)}};
  return showValue(m, s, v);
}

static json itfState(const CheckResult& r, const Layout& L, const State& st, const std::string& action, int index) {
  json j = {{"#meta", {{"index", index}}}};
  for (size_t f = 0; f < r.model.funcs.size(); ++f) {
    auto& fn = r.model.funcs[f];
    json map = json::array();
    for (auto& args : tuples(r.inst, fn.args)) {
      json key = fn.args.size() == 1 ? itfValue(r.model, fn.args[0], args[0]) : json::object();
      map.push_back({key, itfValue(r.model, fn.result, st.f[L.funcIndex(static_cast<int>(f), args)])});
    }
    j[fn.name] = {{"#map", map}};
  }
  json msgs = json::array();
  for (int c = 0; c < L.relCells; ++c)
    if (st.r[c]) {
      int rel = L.relOf(c);
      auto& R = r.model.rels[rel];
      auto fields = L.relFields(rel, c);
      json m = {{"type", R.name}};
      for (size_t k = 0; k < fields.size(); ++k) m[R.fields[k]] = itfValue(r.model, R.sorts[k], fields[k]);
      msgs.push_back(m);
    }
  j["msgs"] = {{"#set", msgs}};
  j["mbt::actionTaken"] = action;
  return j;
}

json itfTrace(const CheckResult& r) {
  Layout L(r.model, r.inst);
  json vars = json::array();
  for (auto& f : r.model.funcs) vars.push_back(f.name);
  vars.push_back("msgs");
  vars.push_back("mbt::actionTaken");
  json states = json::array();
  if (r.trace) {
    states.push_back(itfState(r, L, r.trace->init, "init", 0));
    int i = 0;
    for (auto& s : r.trace->steps) states.push_back(itfState(r, L, s.after, showGround(r.model, s.action), ++i));
  }
  std::string what = r.trace ? "madewrong counterexample" : fmt::format("madewrong: no counterexample ({})", verdictName(r.verdict));
  return {{"#meta",
           {{"format", "ITF"},
            {"format-description", "https://apalache-mc.org/docs/adr/015adr-trace.html"},
            {"source", r.model.name},
            {"description", fmt::format("{}: {}", what, instanceLine(r))}}},
          {"vars", vars},
          {"states", states}};
}


std::string mermaidDiagram(const CheckResult& r) {
  std::string out = "sequenceDiagram\n";
  Lifelines lines(r.model);
  std::string firstId, lastId;
  for (size_t g = 0; g < lines.groups.size(); ++g)
    for (int k = 0; k < lines.count(r.inst, g); ++k) {
      int v = lines.first(r.inst, g) + k;
      std::string id = lines.id(g, v);
      out += fmt::format("    participant {} as {}\n", id, lines.name(r.model, g, v));
      if (firstId.empty()) firstId = id;
      lastId = id;
    }
  if (firstId.empty()) firstId = lastId = "madewrong";
  auto clean = [](std::string s) {
    for (char& c : s)
      if (c == ';' || c == '#') c = ',';
    return s;
  };
  int i = 0;
  for (auto& s : r.trace->steps) {
    ++i;
    std::string quorum = s.usedQuorum ? fmt::format(" with quorum {{{}}}", joined(processNames(r.model, s.quorum), ",")) : "";
    bool drawn = false;
    for (auto& msg : s.sent) {
      const Relation& rel = r.model.rels[msg.rel];
      std::string from = lines.sender(rel, msg.fields);
      if (from.empty()) continue;
      std::string text = clean(fmt::format("{}. {}{}", i, showMessage(r.model, msg), quorum));
      std::vector<std::string> to = lines.routeTargets(rel, msg.fields, r.inst, from);
      // To every lifeline of a sort: the first arrow carries the message, the others its number.
      for (size_t k = 0; k < to.size(); ++k) out += fmt::format("    {}->>{}: {}\n", from, to[k], k == 0 ? text : fmt::format("{}.", i));
      drawn = drawn || !to.empty();
    }
    if (drawn) continue;
    // A note over the first lifeline among the action's parameters.
    auto& act = r.model.actions[s.action.action];
    std::string over = firstId;
    for (size_t p = 0; p < act.params.size(); ++p)
      if (int g = lines.group(act.params[p].sort); g >= 0 && s.action.params[p] != kNone) {
        over = lines.id(g, s.action.params[p]);
        break;
      }
    std::vector<std::string> msgs;
    for (auto& m : s.sent) msgs.push_back(showMessage(r.model, m));
    out += fmt::format("    Note over {}: {}\n", over,
                       clean(fmt::format("{}. {}{}", i, msgs.empty() ? showGround(r.model, s.action) : joined(msgs, ", "), quorum)));
  }
  out += fmt::format("    Note over {},{}: violated: {}\n", firstId, lastId, clean(r.violation));
  return out;
}

}  // namespace mw
