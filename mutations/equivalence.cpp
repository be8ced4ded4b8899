#include "mutations/equivalence.hpp"

#include <z3++.h>

#include <iterator>
#include <map>
#include <random>

#include "model/compiled.hpp"
#include "encoder/encode.hpp"

namespace mw {

namespace {
uint64_t mix(uint64_t h, uint64_t v) {
  h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
  return h * 0xff51afd7ed558ccdull;
}

std::vector<State> randomStates(const Model& m, const Instance& inst, int count) {
  Layout L(m, inst);
  std::mt19937_64 rng(12345);
  std::vector<State> out;
  for (int i = 0; i < count; ++i) {
    State s;
    double density = (i % 4 == 0) ? 0.02 : (i % 4 == 1) ? 0.1 : (i % 4 == 2) ? 0.3 : 0.6;
    for (int c = 0; c < L.funcCells; ++c) {
      Sort r = m.funcs[L.funcOf(c)].result;
      s.f.push_back(std::uniform_int_distribution<int>(inst.lo(r), inst.hi(r))(rng));
    }
    for (int c = 0; c < L.relCells; ++c) s.r.push_back(std::bernoulli_distribution(density)(rng));
    out.push_back(std::move(s));
  }
  return out;
}

// Two expressions that mean the same: sites, names and quorum numbers aside.
bool sameExpr(const Expr& a, const Expr& b) {
  if (a.kind != b.kind || a.val != b.val || a.slot != b.slot || a.ref != b.ref || a.op != b.op || !(a.sort == b.sort) ||
      a.kids.size() != b.kids.size())
    return false;
  for (size_t i = 0; i < a.kids.size(); ++i)
    if (!sameExpr(a.kids[i], b.kids[i])) return false;
  return true;
}

bool sameExprs(const std::vector<Expr>& a, const std::vector<Expr>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (!sameExpr(a[i], b[i])) return false;
  return true;
}

bool sameAction(const Action& a, const Action& b) {
  if (a.name != b.name || a.params.size() != b.params.size() || !sameExprs(a.guard, b.guard) ||
      a.updates.size() != b.updates.size())
    return false;
  for (size_t i = 0; i < a.params.size(); ++i)
    if (!(a.params[i].sort == b.params[i].sort)) return false;
  for (size_t i = 0; i < a.updates.size(); ++i) {
    const Update &x = a.updates[i], &y = b.updates[i];
    if (x.kind != y.kind || x.ref != y.ref || !sameExprs(x.args, y.args) || x.over.size() != y.over.size() ||
        (x.kind == Update::Kind::Assign && !sameExpr(x.value, y.value)))
      return false;
    for (size_t k = 0; k < x.over.size(); ++k)
      if (!(x.over[k].sort == y.over[k].sort) || x.over[k].slot != y.over[k].slot) return false;
  }
  return true;
}
}  // namespace

MutantScope scopeOf(const Model& original, const Model& mutant) {
  MutantScope scope;
  bool global = original.actions.size() != mutant.actions.size() || original.funcs.size() != mutant.funcs.size() ||
                original.invariants.size() != mutant.invariants.size() || original.restarts != mutant.restarts;
  auto delta = [](const Model& m, size_t k) { return k < m.quorumDelta.size() ? m.quorumDelta[k] : 0; };
  for (size_t k = 0; !global && k < std::max(original.quorumDelta.size(), mutant.quorumDelta.size()); ++k)
    global = delta(original, k) != delta(mutant, k);
  for (size_t f = 0; !global && f < original.funcs.size(); ++f)
    global = original.funcs[f].persistent != mutant.funcs[f].persistent || original.funcs[f].init != mutant.funcs[f].init;
  for (size_t i = 0; !global && i < original.invariants.size(); ++i)
    global = !sameExpr(original.invariants[i].holds, mutant.invariants[i].holds);
  // The inductive invariant too: a mutant's proof that asks only its changed actions relies on it.
  global = global || original.inductive.size() != mutant.inductive.size();
  for (size_t i = 0; !global && i < original.inductive.size(); ++i)
    global = !sameExpr(original.inductive[i].holds, mutant.inductive[i].holds);
  if (global) {
    scope.global = true;
    return scope;
  }
  scope.global = false;
  for (size_t a = 0; a < original.actions.size(); ++a)
    if (!sameAction(original.actions[a], mutant.actions[a])) scope.actions.push_back(static_cast<int>(a));
  return scope;
}

namespace {
// Fingerprints, one per action and one for the invariants (last): a hash of which of the
// action's ground actions are enabled in each state and of what they change, and of which
// invariants hold. Only those in the scope are computed; the others are taken from `base`, the
// original's, which they equal.
std::vector<uint64_t> fingerprints(const Model& m, const Instance& inst, const std::vector<State>& states,
                                   const MutantScope& scope, const std::vector<uint64_t>& base,
                                   const std::atomic<bool>* stop) {
  const uint64_t seed = 1469598103934665603ull;
  std::vector<uint64_t> h(m.actions.size() + 1, seed);
  for (size_t a = 0; !scope.global && a < m.actions.size(); ++a)
    if (!scope.covers(static_cast<int>(a))) h[a] = base.at(a);
  if (!scope.global) h.back() = base.at(m.actions.size());
  Compiled c(m, inst, scope.global ? nullptr : &scope.actions);
  std::vector<int> grounds;
  for (int k = 0; k < static_cast<int>(c.grounds().size()); ++k)
    if (scope.covers(c.grounds()[k].action)) grounds.push_back(k);
  std::vector<std::pair<int, int>> w;
  for (auto& s : states) {
    if (stop && stop->load()) return h;  // the caller looks at the flag next
    if (scope.global)
      for (size_t i = 0; i < m.invariants.size(); ++i) h.back() = mix(h.back(), c.holds(s, static_cast<int>(i)) + 7);
    for (int k : grounds) {
      uint64_t& x = h[c.grounds()[k].action];
      bool on = c.enabled(s, k);
      x = mix(x, on);
      if (!on) continue;
      // The successor, as the cells it changes in s: the last write to each, in order of the
      // cell key (any canonical order will do).
      c.writes(s, k, w);
      std::stable_sort(w.begin(), w.end(), [](auto& p, auto& q) { return p.first < q.first; });
      for (size_t i = 0; i < w.size(); ++i) {
        auto [cell, value] = w[i];
        if (i + 1 < w.size() && w[i + 1].first == cell) continue;  // a later write wins
        if (cell >= 0 && s.f[cell] != value) x = mix(mix(x, static_cast<uint64_t>(cell) + 1), static_cast<uint64_t>(value + 2));
        if (cell < 0 && !s.r[-1 - cell]) x = mix(x, static_cast<uint64_t>(-1 - cell) + 1000003);
      }
    }
  }
  return h;
}

MutantScope unite(const MutantScope& a, const MutantScope& b) {
  if (a.global || b.global) return {};
  MutantScope u;
  u.global = false;
  std::set_union(a.actions.begin(), a.actions.end(), b.actions.begin(), b.actions.end(), std::back_inserter(u.actions));
  return u;
}
}  // namespace

bool sameTransitions(const Model& a, const Model& b, const Instance& inst, const std::atomic<bool>* stop,
                     const MutantScope& scope) {
  auto stopped = [&] { return stop && stop->load(); };
  Z3Context context;
  z3::context& ctx = context();
  Encoder ea(a, inst, ctx), eb(b, inst, ctx);
  if (ea.grounds().size() != eb.grounds().size()) return false;
  std::vector<z3::expr> ranges;
  SymState s = ea.freshState("s", ranges);
  z3::solver solver = makeSolver(ctx);
  for (auto& r : ranges) solver.add(r);
  // One small query per ground action, under push/pop: the first that can differ ends it.
  auto differs = [&](const z3::expr& d) {
    solver.push();
    solver.add(d);
    bool same = !stopped() && solver.check() == z3::unsat;
    solver.pop();
    return !same;
  };
  SymStep sa, sb;
  for (int k = 0; k < static_cast<int>(ea.grounds().size()); ++k) {
    if (!scope.covers(ea.grounds()[k].action)) continue;
    GroundEffect x = ea.effect(s, k, sa, 0), y = eb.effect(s, k, sb, 0);
    z3::expr gx = ea.boolOf(x.guard), gy = eb.boolOf(y.guard);
    if (differs(gx != gy || (gx && ea.differs(x.next, y.next)))) return false;
  }
  // The invariants read the same state through the (possibly mutated) quorum sizes.
  for (size_t i = 0; scope.global && i < a.invariants.size() && i < b.invariants.size(); ++i)
    if (differs(ea.boolOf(ea.holds(s, a.invariants[i].holds)) != eb.boolOf(eb.holds(s, b.invariants[i].holds)))) return false;
  return true;
}

std::vector<int> findEquivalents(const Model& original, const std::vector<Mutant>& mutants, const Instance& inst,
                                 const std::atomic<bool>* stop, const std::function<void(size_t, size_t)>& onProgress,
                                 const std::vector<MutantScope>* given) {
  auto states = randomStates(original, inst, 300);
  // Fingerprints are kept per action, and a mutant's are computed only for the actions it
  // changes (all, for a global change): the rest are the original's. Two models are compared
  // exactly when all their fingerprints agree, over the actions either of them changes.
  std::vector<uint64_t> base = fingerprints(original, inst, states, MutantScope{}, {}, stop);
  auto total = [](const std::vector<uint64_t>& h) {
    uint64_t t = h.size();
    for (uint64_t x : h) t = mix(t, x);
    return t;
  };
  std::vector<MutantScope> own;
  if (!given)
    for (auto& m : mutants) own.push_back(scopeOf(original, m.model));
  const std::vector<MutantScope>& scopes = given ? *given : own;
  std::multimap<uint64_t, int> seen;  // total fingerprint -> kSameAsOriginal or mutant index
  seen.emplace(total(base), kSameAsOriginal);
  std::vector<int> out(mutants.size(), kDistinct);
  for (size_t i = 0; i < mutants.size(); ++i) {
    if (stop && stop->load()) break;
    if (!scopes[i].global && scopes[i].actions.empty()) {
      out[i] = kSameAsOriginal;  // changes nothing an action or invariant reads
    } else {
      uint64_t f = total(fingerprints(mutants[i].model, inst, states, scopes[i], base, stop));
      auto [lo, hi] = seen.equal_range(f);
      for (auto it = lo; it != hi && out[i] == kDistinct; ++it) {
        bool orig = it->second == kSameAsOriginal;
        const Model& other = orig ? original : mutants[it->second].model;
        if (sameTransitions(other, mutants[i].model, inst, stop, orig ? scopes[i] : unite(scopes[i], scopes[it->second])))
          out[i] = it->second;
      }
      if (out[i] == kDistinct) seen.emplace(f, static_cast<int>(i));
    }
    if (onProgress) onProgress(i + 1, mutants.size());
  }
  return out;
}

}  // namespace mw
