// The account of a violated invariant, for any protocol: the invariant's outer variables bound to
// values that make it false, then what made its premises true where a quorum counts (which
// processes satisfied each `atleast` that holds), read off the state.
#include "queries/invariants.hpp"

#include <fmt/format.h>

#include "mutations/operators.hpp"

namespace mw {

namespace {
constexpr int kSlots = 64;

struct Account {
  Account(const Interp& interp, const State& state) : in(interp), s(state) {}
  const Interp& in;
  const State& s;
  std::vector<int> env = std::vector<int>(kSlots, 0);
  Scope scope;  // bound variables shown as their values
  std::vector<std::string> facts;

  std::string name(const Expr& e) const { return e.name.empty() ? fmt::format("x{}", e.slot) : e.name; }

  // What makes e true under env: an `atleast` is spelt out with the processes that satisfy its
  // body; an `exists` binds its variable to the first value that makes it true and goes on
  // inside; a conjunction, each conjunct; an implication, its premise.
  void explain(const Expr& e) {
    if (facts.size() >= 8 || !in.holdsWith(s, e, env)) return;
    switch (e.kind) {
      case Kind::And:
        for (auto& k : e.kids) explain(k);
        return;
      case Kind::Or:
        for (auto& k : e.kids)
          if (in.holdsWith(s, k, env)) return explain(k);
        return;
      case Kind::Exists: {
        if (e.slot >= kSlots) return;
        const Layout& L = in.layout();
        for (int x = L.inst.lo(e.sort); x <= L.inst.hi(e.sort); ++x) {
          env[e.slot] = x;
          if (!in.holdsWith(s, e.kids[0], env)) continue;
          Scope outer = scope;
          scope[e.slot] = showValue(in.model(), e.sort, x);
          explain(e.kids[0]);
          scope = std::move(outer);
          return;
        }
        return;
      }
      case Kind::AtLeast: {
        if (e.slot >= kSlots) return;
        const Layout& L = in.layout();
        std::vector<int> who;
        for (int x = L.inst.lo(e.sort); x <= L.inst.hi(e.sort); ++x) {
          env[e.slot] = x;
          if (in.holdsWith(s, e.kids[0], env)) who.push_back(x);
        }
        const Model& m = in.model();
        std::string system = e.ref >= 1 && e.ref <= static_cast<int>(m.systems.size()) ? m.systems[e.ref - 1].name : "";
        bool listed = !L.inst.sets(e.ref).empty();
        std::string size = listed ? "a listed quorum" : fmt::format("at least {}", m.quorumSize(L.inst, e.ref));
        Scope inner = scope;
        inner[e.slot] = name(e);
        facts.push_back(fmt::format("{} for {} in {}, {} of {}", showExpr(m, nullptr, e.kids[0], inner), name(e),
                                    showProcesses(m, who), size, system));
        return;
      }
      default:
        return;
    }
  }
};
}  // namespace

std::string explainViolation(const Interp& in, const State& s, const std::string& inv) {
  const Invariant* declared = in.model().invariant(inv);
  if (!declared) return "the invariant " + inv + " is false in the last state";
  const Layout& L = in.layout();
  Account a(in, s);
  std::vector<std::string> bound;
  const Expr* e = &declared->holds;
  while (e->kind == Kind::Forall && e->slot < kSlots) {
    bool found = false;
    for (int x = L.inst.lo(e->sort); x <= L.inst.hi(e->sort) && !found; ++x) {
      a.env[e->slot] = x;
      found = !in.holdsWith(s, e->kids[0], a.env);
    }
    if (!found) break;
    bound.push_back(fmt::format("{} = {}", a.name(*e), showValue(in.model(), e->sort, a.env[e->slot])));
    a.scope[e->slot] = showValue(in.model(), e->sort, a.env[e->slot]);
    e = &e->kids[0];
  }
  // The premises that hold where the invariant fails.
  if (e->kind == Kind::Implies) a.explain(e->kids[0]);
  else if (e->kind == Kind::Not) a.explain(e->kids[0]);
  std::string where;
  for (size_t i = 0; i < bound.size(); ++i) where += (i ? ", " : "") + bound[i];
  std::string out = fmt::format("{} ({}) fails{}", declared->name, declared->description, where.empty() ? "" : " for " + where);
  for (size_t i = 0; i < a.facts.size(); ++i) out += (i ? "; " : ": ") + a.facts[i];
  return out;
}

}  // namespace mw
