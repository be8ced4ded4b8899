#include "queries/lessons.hpp"

#include <fmt/format.h>

#include "mutations/operators.hpp"
#include "mutations/catalog.hpp"
#include "queries/invariants.hpp"

#include <algorithm>

namespace mw {

namespace {
// The state reads of a condition, with their values: "maxBal[a1] = 1".
void reads(const Interp& in, const State& s, const Expr& e, const Ground& g, std::vector<std::string>& out) {
  if (e.kind == Kind::Read) {
    const Func& f = in.model().funcs[e.ref];
    std::string args;
    for (size_t i = 0; i < e.kids.size(); ++i)
      args += (i ? "," : "") + showValue(in.model(), f.args[i], in.valueWith(s, e.kids[i], g.params));
    std::string line = fmt::format("{}[{}] = {}", f.name, args, showValue(in.model(), f.result, in.valueWith(s, e, g.params)));
    if (std::find(out.begin(), out.end(), line) == out.end()) out.push_back(line);
    return;
  }
  if (e.kind == Kind::Exists || e.kind == Kind::Forall || e.kind == Kind::AtLeast) return;  // bound variables
  for (auto& k : e.kids) reads(in, s, k, g, out);
}

// What a step from `before` does in `mine` and not in `other` (both successors of `before`): the
// messages it sends and the cells it sets or leaves, "sends 1b(a1, 1, 0, v1)", "sets maxBal[a1] to 1".
std::string effect(const Model& m, const Instance& inst, const State& before, const State& mine, const State& other) {
  Layout L(m, inst);
  std::vector<std::string> sends, sets, leaves;
  for (size_t f = 0; f < m.funcs.size(); ++f)
    for (auto& args : tuples(inst, m.funcs[f].args)) {
      int i = L.funcIndex(static_cast<int>(f), args);
      if (mine.f[i] == other.f[i]) continue;
      std::string cell;
      for (size_t k = 0; k < args.size(); ++k) cell += (k ? "," : "") + showValue(m, m.funcs[f].args[k], args[k]);
      (mine.f[i] == before.f[i] ? leaves : sets)
          .push_back(fmt::format("{}[{}] {} {}", m.funcs[f].name, cell, mine.f[i] == before.f[i] ? "at" : "to",
                                 showValue(m, m.funcs[f].result, mine.f[i])));
    }
  for (int c = 0; c < L.relCells; ++c)
    if (mine.r[c] && !other.r[c]) {
      int r = L.relOf(c);
      auto fields = L.relFields(r, c);
      std::string f;
      for (size_t k = 0; k < fields.size(); ++k) f += (k ? ", " : "") + showValue(m, m.rels[r].sorts[k], fields[k]);
      sends.push_back(fmt::format("{}({})", m.rels[r].name, f));
    }
  auto list = [](const std::vector<std::string>& xs) {
    std::string s;
    for (size_t i = 0; i < xs.size(); ++i) s += (i ? ", " : "") + xs[i];
    return s;
  };
  std::string out;
  if (!sends.empty()) out += "sends " + list(sends);
  if (!sets.empty()) out += (out.empty() ? "sets " : " and sets ") + list(sets);
  if (!leaves.empty()) out += (out.empty() ? "leaves " : " and leaves ") + list(leaves);
  return out.empty() ? "changes nothing more" : out;
}
}  // namespace

// Any protocol: the run replayed on the protocol as written, up to the first step it would not
// take, or would take differently. The label of the guard conjunct that forbids it, and the
// values that make it false, say which part of the protocol the mutation removed.
std::string departure(const CheckResult& r) {
  if (!r.trace || !r.original) return r.violation;
  const std::string broken = fmt::format("So the run goes on to break {}.", r.request.invariant);
  const Model& m = *r.original;
  if (m.actions.size() != r.model.actions.size() || m.funcs.size() != r.model.funcs.size() || m.rels.size() != r.model.rels.size())
    return r.violation;
  Interp orig(m, r.inst);
  State s = orig.init();
  if (!(s == r.trace->init)) return "The run starts from another initial state than the protocol's. " + r.violation;
  for (size_t i = 0; i < r.trace->steps.size(); ++i) {
    const TraceStep& step = r.trace->steps[i];
    const Ground& g = step.action;
    const Action& act = m.actions[g.action];
    std::vector<uint32_t> q(m.quorumCount, kFree);
    if (!orig.enabled(s, g, q)) {
      // The first conjunct that is false here; a quorum condition is to blame only when every
      // other conjunct holds (it is false for every quorum, with no single value to show).
      const Expr* culprit = nullptr;
      for (auto& c : act.guard)
        if (!culprit && !Interp::mentionsQuorum(c) && !orig.holdsWith(s, c, g.params)) culprit = &c;
      for (auto& c : act.guard)
        if (!culprit && Interp::mentionsQuorum(c)) culprit = &c;
      std::vector<std::string> values;
      for (size_t p = 0; p < act.params.size(); ++p)
        values.push_back(fmt::format("{} = {}", act.params[p].name, showValue(m, act.params[p].sort, g.params[p])));
      if (culprit && !Interp::mentionsQuorum(*culprit)) reads(orig, s, *culprit, g, values);
      std::string v;
      for (size_t k = 0; k < values.size(); ++k) v += (k ? ", " : "") + values[k];
      std::string where = v.empty() ? "" : " (" + v + ")";  // an action without parameters reads nothing
      if (!culprit)
        return fmt::format("Step {}, {}, is one the protocol as written would not take. {}", i + 1, showGround(m, g), broken);
      std::string text = showExpr(m, &act, *culprit);
      std::string label = culprit->site.empty() ? "conjunct `" + text + "`"
                          : text.size() <= 60   ? fmt::format("{} (`{}`)", culprit->site, text)
                                                : culprit->site;
      if (Interp::mentionsQuorum(*culprit)) {
        // The quorum the run used, against the sizes the protocol as written needs.
        std::vector<std::string> parts;
        if (step.usedQuorum) parts.push_back(fmt::format("The run used {}", showProcesses(m, step.quorum)));
        for (size_t k = 0; k < m.systems.size(); ++k) {
          int which = static_cast<int>(k) + 1;
          if (r.inst.sets(which).empty() && r.model.quorumSize(r.inst, which) != m.quorumSize(r.inst, which))
            parts.push_back(fmt::format("{} quorums have {} members as written, {} in the mutant", m.systems[k].name,
                                        m.quorumSize(r.inst, which), r.model.quorumSize(r.inst, which)));
        }
        std::string said;
        for (size_t k = 0; k < parts.size(); ++k) said += (k ? "; " : " ") + parts[k];
        return fmt::format("Step {}, {}, is one the protocol as written would not take: its guard {} is false for "
                           "every quorum there{}.{}{} {}",
                           i + 1, showGround(m, g), label, where, said, said.empty() ? "" : ".", broken);
      }
      return fmt::format("Step {}, {}, is one the protocol as written would not take: its guard {} is false there{}. {}",
                         i + 1, showGround(m, g), label, where, broken);
    }
    State t = orig.apply(s, g);
    if (!(t == step.after))
      return fmt::format("Step {}, {}, is taken differently by the protocol as written: there it {}, where the mutant "
                         "{}. {}",
                         i + 1, showGround(m, g), effect(m, r.inst, s, t, step.after), effect(m, r.inst, s, step.after, t), broken);
    s = std::move(t);
  }
  return fmt::format("The protocol as written takes every step of this run too: what changed is what the invariant counts "
                     "(a quorum size), so the last state breaks {} in the mutant only.", r.request.invariant);
}

// The lessons the protocol file gives for the catalog mutations applied, by name or by the
// generated id a catalog name stands for.
std::string catalogLessons(const CheckResult& r) {
  if (!r.original) return "";
  std::string out;
  for (auto& applied : r.model.mutations)
    for (auto& c : r.original->catalog) {
      if (c.lesson.empty()) continue;
      bool same = c.name == applied;
      if (!same) {
        try {
          same = catalogAlias(*r.original, c.name) == applied;
        } catch (const std::exception&) {
          same = false;
        }
      }
      if (same && out.find(c.lesson) == std::string::npos) out += (out.empty() ? "" : " ") + c.lesson;
    }
  return out;
}

std::string whyItBreaks(const CheckResult& r) {
  if (!r.trace) return r.violation;
  std::string lesson = catalogLessons(r);
  std::string why = departure(r);
  return lesson.empty() ? why : why + " " + lesson;
}

}  // namespace mw
