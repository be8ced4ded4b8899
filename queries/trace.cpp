#include "queries/trace.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <bit>

#include "queries/invariants.hpp"

namespace mw {

std::string showMessage(const Model& m, const Message& msg) {
  auto& rel = m.rels[msg.rel];
  std::string s = rel.name + "(";
  for (size_t i = 0; i < msg.fields.size(); ++i)
    s += fmt::format("{}{}={}", i ? ", " : "", rel.fields[i], showValue(m, rel.sorts[i], msg.fields[i]));
  return s + ")";
}

std::string showChange(const Model& m, const Change& c) {
  auto& f = m.funcs[c.func];
  std::string cell = f.name;
  for (size_t i = 0; i < c.args.size(); ++i) cell += fmt::format("[{}]", showValue(m, f.args[i], c.args[i]));
  return fmt::format("{}: {} -> {}", cell, showValue(m, f.result, c.before), showValue(m, f.result, c.after));
}

std::string stepLine(const Model& m, const TraceStep& s) {
  std::string what;
  auto add = [&](const std::string& x) {
    if (!what.empty()) what += "; ";
    what += x;
  };
  for (auto& msg : s.sent) add("sends " + showMessage(m, msg));
  if (s.usedQuorum) add("quorum " + showProcesses(m, s.quorum));
  std::string ch;
  for (auto& c : s.changes) ch += (ch.empty() ? "" : ", ") + showChange(m, c);
  if (!ch.empty()) add(ch);
  if (what.empty()) what = "(nothing new)";
  return fmt::format("{:<28} {}", showGround(m, s.action), what);
}


Trace replay(const Interp& in, const RawTrace& raw, const Expr& invariant, bool mustViolate) {
  const Model& m = in.model();
  const Layout& L = in.layout();
  Trace t;
  t.init = in.init();
  if (!raw.states.empty() && raw.states[0] != t.init) throw ReplayError("the solver's initial state is not Init");
  State cur = t.init;
  for (size_t i = 0; i < raw.actions.size(); ++i) {
    const Ground& g = raw.actions[i];
    std::string name = showGround(m, g);
    std::vector<uint32_t> q = raw.quorums[i];
    if (!in.enabled(cur, g, q))
      throw ReplayError(fmt::format("step {}: {} is not enabled with the solver's quorum", i + 1, name));
    TraceStep s;
    s.action = g;
    auto ids = quorumIds(m.actions[g.action]);
    if (!ids.empty()) {
      // Show the smallest quorum that enables the action: it reads better than whatever
      // superset the solver happened to pick, and it is checked the same way.
      std::vector<uint32_t> free(m.quorumCount, kFree);
      if (!in.enabled(cur, g, free)) throw ReplayError(fmt::format("step {}: {} has no quorum", i + 1, name));
      s.usedQuorum = true;
      s.quorumMasks = free;
      for (int a = 0; a < L.inst.n; ++a)
        if ((free[ids[0]] >> a) & 1u) s.quorum.push_back(a);
    }
    State next = in.apply(cur, g);
    bool known = raw.stateKnown.empty() || raw.stateKnown[i + 1];
    if (i + 1 < raw.states.size() && known && raw.states[i + 1] != next)
      throw ReplayError(fmt::format("step {}: {} leads to a different state than the solver's", i + 1, name));
    for (int c = 0; c < L.relCells; ++c)
      if (next.r[c] && !cur.r[c]) {
        int r = L.relOf(c);
        s.sent.push_back({r, L.relFields(r, c)});
      }
    for (int c = 0; c < L.funcCells; ++c)
      if (next.f[c] != cur.f[c]) {
        int f = L.funcOf(c);
        s.changes.push_back({f, L.funcArgs(f, c), cur.f[c], next.f[c]});
      }
    s.after = next;
    cur = next;
    t.steps.push_back(std::move(s));
  }
  if (mustViolate && in.holds(cur, invariant))
    throw ReplayError("the invariant holds in the last state of the trace");
  return t;
}

std::vector<std::vector<std::vector<int>>> messageReaders(const Interp& in, const Trace& t) {
  const Layout& L = in.layout();
  std::vector<std::vector<std::vector<int>>> readers(t.steps.size());
  std::vector<std::pair<int, int>> cellAt(L.relCells, {-1, -1});  // message cell -> (step, index)
  for (size_t j = 0; j < t.steps.size(); ++j) {
    const TraceStep& s = t.steps[j];
    readers[j].resize(s.sent.size());
    const State& before = j == 0 ? t.init : t.steps[j - 1].after;
    std::vector<uint32_t> masks = s.quorumMasks;
    if (masks.empty()) masks.assign(in.model().quorumCount, kFree);
    for (int c = 0; c < L.relCells; ++c) {
      if (!before.r[c] || cellAt[c].first < 0) continue;
      State without = before;
      without.r[c] = 0;
      std::vector<uint32_t> q = masks;
      if (!in.enabled(without, s.action, q)) readers[cellAt[c].first][cellAt[c].second].push_back(static_cast<int>(j));
    }
    for (size_t k = 0; k < s.sent.size(); ++k) cellAt[L.relIndex(s.sent[k].rel, s.sent[k].fields)] = {static_cast<int>(j), static_cast<int>(k)};
  }
  return readers;
}

Witness violationWitness(const Interp& in, const Trace& t, const Expr& invariant) {
  Witness w;
  if (t.steps.empty()) return w;
  const Layout& L = in.layout();
  State cur = t.steps.back().after;
  if (in.holds(cur, invariant)) return w;
  // Latest first: a message or a cell set late is the likelier to be what broke it.
  for (int j = static_cast<int>(t.steps.size()) - 1; j >= 0; --j) {
    const TraceStep& s = t.steps[j];
    for (int k = static_cast<int>(s.sent.size()) - 1; k >= 0; --k) {
      int c = L.relIndex(s.sent[k].rel, s.sent[k].fields);
      cur.r[c] = 0;
      if (in.holds(cur, invariant)) {
        cur.r[c] = 1;
        w.messages.push_back({j, k});
      }
    }
  }
  // A cell counts once, at the step that set its last value.
  std::vector<char> seen(L.funcCells, 0);
  for (int j = static_cast<int>(t.steps.size()) - 1; j >= 0; --j) {
    const TraceStep& s = t.steps[j];
    for (int k = static_cast<int>(s.changes.size()) - 1; k >= 0; --k) {
      int c = L.funcIndex(s.changes[k].func, s.changes[k].args);
      if (seen[c]) continue;
      seen[c] = 1;
      if (cur.f[c] == t.init.f[c]) continue;
      int was = cur.f[c];
      cur.f[c] = t.init.f[c];
      if (in.holds(cur, invariant)) {
        cur.f[c] = was;
        w.cells.push_back({j, k});
      }
    }
  }
  std::sort(w.messages.begin(), w.messages.end());
  std::sort(w.cells.begin(), w.cells.end());
  return w;
}

}  // namespace mw
