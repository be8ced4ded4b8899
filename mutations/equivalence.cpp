#include "mutations/equivalence.hpp"

#include <z3++.h>

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

uint64_t fingerprint(const Model& m, const Instance& inst, const std::vector<State>& states, const std::atomic<bool>* stop) {
  Compiled c(m, inst);
  uint64_t h = 1469598103934665603ull;
  State t;
  for (auto& s : states) {
    if (stop && stop->load()) return h;  // the caller looks at the flag next
    for (size_t i = 0; i < m.invariants.size(); ++i) h = mix(h, c.holds(s, static_cast<int>(i)) + 7);
    for (int k = 0; k < static_cast<int>(c.grounds().size()); ++k) {
      bool on = c.enabled(s, k);
      h = mix(h, on);
      if (!on) continue;
      c.apply(s, k, t);
      for (int v : t.f) h = mix(h, static_cast<uint64_t>(v + 2));
      for (size_t i = 0; i < t.r.size(); ++i)
        if (t.r[i]) h = mix(h, i + 1000003);
    }
  }
  return h;
}
}  // namespace

bool sameTransitions(const Model& a, const Model& b, const Instance& inst, const std::atomic<bool>* stop) {
  auto stopped = [&] { return stop && stop->load(); };
  Z3Context context;
  z3::context& ctx = context();
  Encoder ea(a, inst, ctx), eb(b, inst, ctx);
  if (ea.grounds().size() != eb.grounds().size()) return false;
  std::vector<z3::expr> ranges;
  SymState s = ea.freshState("s", ranges);
  z3::solver solver = makeSolver(ctx);
  for (auto& r : ranges) solver.add(r);
  z3::expr_vector differ(ctx);
  SymStep sa, sb;
  for (int k = 0; k < static_cast<int>(ea.grounds().size()); ++k) {
    if (k % 256 == 0 && stopped()) return false;
    GroundEffect x = ea.effect(s, k, sa, 0), y = eb.effect(s, k, sb, 0);
    z3::expr gx = ea.boolOf(x.guard), gy = eb.boolOf(y.guard);
    differ.push_back(gx != gy || (gx && ea.differs(x.next, y.next)));
  }
  // The invariants read the same state through the (possibly mutated) quorum sizes.
  for (size_t i = 0; i < a.invariants.size() && i < b.invariants.size(); ++i)
    differ.push_back(ea.boolOf(ea.holds(s, a.invariants[i].holds)) != eb.boolOf(eb.holds(s, b.invariants[i].holds)));
  solver.add(z3::mk_or(differ));
  return !stopped() && solver.check() == z3::unsat;
}

std::vector<int> findEquivalents(const Model& original, const std::vector<Mutant>& mutants, const Instance& inst,
                                 const std::atomic<bool>* stop, const std::function<void(size_t, size_t)>& onProgress) {
  auto states = randomStates(original, inst, 300);
  std::multimap<uint64_t, int> seen;  // fingerprint -> kSameAsOriginal or mutant index
  seen.emplace(fingerprint(original, inst, states, stop), kSameAsOriginal);
  std::vector<int> out(mutants.size(), kDistinct);
  for (size_t i = 0; i < mutants.size(); ++i) {
    if (stop && stop->load()) break;
    uint64_t f = fingerprint(mutants[i].model, inst, states, stop);
    auto [lo, hi] = seen.equal_range(f);
    for (auto it = lo; it != hi && out[i] == kDistinct; ++it) {
      const Model& other = it->second == kSameAsOriginal ? original : mutants[it->second].model;
      if (sameTransitions(other, mutants[i].model, inst, stop)) out[i] = it->second;
    }
    if (out[i] == kDistinct) seen.emplace(f, static_cast<int>(i));
    if (onProgress) onProgress(i + 1, mutants.size());
  }
  return out;
}

}  // namespace mw
