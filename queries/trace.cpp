#include "queries/trace.hpp"

#include <fmt/format.h>

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

}  // namespace mw
