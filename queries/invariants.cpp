// Explanations read the message relations directly: for agreement, the 2b votes that make each
// value chosen; for one-value-per-ballot, the two votes that disagree.
#include "queries/invariants.hpp"

#include <fmt/format.h>

namespace mw {

std::string showAcceptors(const std::vector<int>& as) {
  std::string s = "{";
  for (size_t i = 0; i < as.size(); ++i) {
    if (i) s += ",";
    s += showValue({Role::Process, false}, as[i]);
  }
  s += "}";
  return s;
}

bool coversPhase2Quorum(const Model& m, const Instance& in, const std::vector<int>& voters) {
  if (in.sets(2).empty()) return static_cast<int>(voters.size()) >= m.quorumSize(in, 2);
  uint32_t mask = 0;
  for (int a : voters) mask |= 1u << a;
  for (uint32_t q : in.sets(2))
    if ((q & mask) == q) return true;
  return false;
}

namespace {
// voters[b][v]: the acceptors that sent 2b(_, b, v).
std::vector<std::vector<std::vector<int>>> votes(const Interp& in, const State& s) {
  const Layout& L = in.layout();
  int r = in.model().rel("2b");
  std::vector<std::vector<std::vector<int>>> out(L.inst.ordered.at(0), std::vector<std::vector<int>>(L.inst.values));
  for (int a = 0; a < L.inst.n; ++a)
    for (int b = 0; b < L.inst.ordered.at(0); ++b)
      for (int v = 0; v < L.inst.values; ++v)
        if (s.r[L.relIndex(r, {a, b, v})]) out[b][v].push_back(a);
  return out;
}

// Any invariant: its outer forall variables bound to the first values that make it false, and
// its text. "one (one value per round) fails for a = n1, b = n2, r = 0, v = v1, w = v2".
std::string witness(const Interp& in, const State& s, const Invariant& inv) {
  const Layout& L = in.layout();
  std::vector<int> env(16, 0);
  std::vector<std::string> bound;
  const Expr* e = &inv.holds;
  while (e->kind == Kind::Forall && e->slot < 16) {
    bool found = false;
    for (int x = L.inst.lo(e->sort); x <= L.inst.hi(e->sort) && !found; ++x) {
      env[e->slot] = x;
      found = !in.holdsWith(s, e->kids[0], env);
    }
    if (!found) break;
    bound.push_back(fmt::format("{} = {}", e->name.empty() ? fmt::format("x{}", e->slot) : e->name,
                                showValue(e->sort, env[e->slot])));
    e = &e->kids[0];
  }
  std::string where;
  for (size_t i = 0; i < bound.size(); ++i) where += (i ? ", " : "") + bound[i];
  return fmt::format("{} ({}) fails{}", inv.name, inv.description, where.empty() ? "" : " for " + where);
}
}  // namespace

bool paxosShaped(const Model& m) {
  auto has = [&](const char* name, size_t fields) {
    for (auto& r : m.rels)
      if (r.name == name && (fields == 0 || r.sorts.size() == fields)) return true;
    return false;
  };
  return has("1b", 0) && has("2a", 0) && has("2b", 3);
}

std::string explainViolation(const Interp& in, const State& s, const std::string& inv) {
  const Layout& L = in.layout();
  const Sort val{Role::Symmetric, false};
  const Invariant* declared = in.model().invariant(inv);
  if (!paxosShaped(in.model()) || (inv != "agreement" && inv != "one-value-per-ballot"))
    return declared ? witness(in, s, *declared) : "the invariant " + inv + " is false in the last state";
  auto vs = votes(in, s);
  if (inv == "agreement") {
    int q2 = in.model().quorumSize(L.inst, 2);
    const auto& sets = L.inst.sets(2);
    std::vector<std::string> parts;
    for (int v = 0; v < L.inst.values; ++v)
      for (int b = 0; b < L.inst.ordered.at(0); ++b)
        if (coversPhase2Quorum(in.model(), L.inst, vs[b][v])) {
          parts.push_back(fmt::format("{} is chosen in ballot {} by {}", showValue(val, v), b, showAcceptors(vs[b][v])));
        }
    std::string out;
    for (size_t i = 0; i < parts.size(); ++i) out += (i ? "; " : "") + parts[i];
    if (!sets.empty()) return fmt::format("two different values are chosen (by listed phase-2 quorums): {}", out);
    return fmt::format("two different values are chosen (q2 = {}): {}", q2, out);
  }
  if (inv == "one-value-per-ballot") {
    for (int b = 0; b < L.inst.ordered.at(0); ++b)
      for (int v = 0; v < L.inst.values; ++v)
        for (int w = v + 1; w < L.inst.values; ++w)
          if (!vs[b][v].empty() && !vs[b][w].empty())
            return fmt::format("ballot {} has votes for two values: {} by {} and {} by {}", b, showValue(val, v),
                               showAcceptors(vs[b][v]), showValue(val, w), showAcceptors(vs[b][w]));
  }
  return "the invariant " + inv + " is false in the last state";
}

}  // namespace mw
