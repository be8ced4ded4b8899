#include "solver/induction.hpp"

#include <fmt/format.h>

#include <chrono>

#include "encoder/encode.hpp"
#include "solver/explicit.hpp"

namespace mw {

std::vector<std::string> describeState(const Model& m, const Instance& in, const State& s) {
  Layout L(m, in);
  std::vector<std::string> out;
  for (size_t f = 0; f < m.funcs.size(); ++f) {
    std::string line = m.funcs[f].name + ":";
    for (auto& args : tuples(in, m.funcs[f].args)) {
      std::string cell;
      for (size_t i = 0; i < args.size(); ++i) cell += (i ? "," : "") + showValue(m.funcs[f].args[i], args[i]);
      line += fmt::format(" {}={}", cell, showValue(m.funcs[f].result, s.f[L.funcIndex(static_cast<int>(f), args)]));
    }
    out.push_back(line);
  }
  std::string msgs = "messages:";
  for (int c = 0; c < L.relCells; ++c)
    if (s.r[c]) {
      int r = L.relOf(c);
      auto fields = L.relFields(r, c);
      std::string f;
      for (size_t i = 0; i < fields.size(); ++i) f += (i ? "," : "") + showValue(m.rels[r].sorts[i], fields[i]);
      msgs += fmt::format(" {}({})", m.rels[r].name, f);
    }
  out.push_back(msgs);
  return out;
}

InductionResult proveByInduction(const Model& m, const Instance& in, const Expr& property, double timeoutSeconds) {
  auto start = std::chrono::steady_clock::now();
  auto elapsed = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(); };
  InductionResult res;
  auto done = [&](Verdict v) {
    res.verdict = v;
    res.seconds = elapsed();
    return res;
  };
  if (m.inductive.empty()) {
    res.reason = "the model carries no inductive invariant";
    return done(Verdict::Unknown);
  }
  Interp interp(m, in);

  // Init => Inv, on the concrete initial state.
  State init = interp.init();
  for (auto& c : m.inductive)
    if (!interp.holds(init, c.holds)) {
      res.failedStep = "init";
      res.conjunct = c.name;
      res.before = init;
      return done(Verdict::Violated);
    }

  z3::context ctx;
  Encoder enc(m, in, ctx);
  auto solverWithLimit = [&] {
    z3::solver s = makeSolver(ctx);
    if (timeoutSeconds > 0) {
      z3::params p(ctx);
      p.set("timeout", static_cast<unsigned>(std::max(1.0, (timeoutSeconds - elapsed()) * 1000)));
      s.set(p);
    }
    return s;
  };
  std::vector<z3::expr> ranges;
  SymState s = enc.freshState("pre", ranges);
  auto invAt = [&](const SymState& st) {
    z3::expr_vector all(ctx);
    for (auto& c : m.inductive) all.push_back(enc.boolOf(enc.holds(st, c.holds)));
    return z3::mk_and(all);
  };

  // Inv /\ Next => Inv'. Where the model and Inv are symmetric in acceptors (values), the
  // action may be restricted to ones whose acceptor (value) parameters are the first: any CTI
  // can be renamed into one of those.
  {
    z3::solver solver = solverWithLimit();
    for (auto& r : ranges) solver.add(r);
    solver.add(invAt(s));
    Expr all = conj({});
    for (auto& c : m.inductive) all.kids.push_back(c.holds);
    all.kids.push_back(property);
    Symmetry sym = symmetryOf(m, all);
    bool accSym = sym.acceptors && in.q1Sets.empty() && in.q2Sets.empty();
    SymStep step = enc.step(s, 0);
    for (auto& c : step.constraints) solver.add(c);
    for (size_t k = 0; k < step.fire.size(); ++k) {
      const Ground& g = enc.grounds()[step.candidates[k]];
      for (size_t p = 0; p < g.params.size(); ++p) {
        Base base = m.actions[g.action].params[p].sort.base;
        if (((base == Base::Acceptor && accSym) || (base == Base::Value && sym.values)) && g.params[p] != 0)
          solver.add(!step.fire[k]);
      }
    }
    solver.add(!invAt(step.next));
    z3::check_result r = solver.check();
    if (r == z3::unknown) {
      res.reason = unknownReason(solver, nullptr);
      return done(Verdict::Unknown);
    }
    if (r == z3::sat) {
      z3::model model = solver.get_model();
      State before = enc.stateOf(model, s), after = enc.stateOf(model, step.next);
      for (size_t k = 0; k < step.fire.size(); ++k)
        if (model.eval(step.fire[k], true).is_true()) res.action = enc.grounds()[step.candidates[k]];
      if (!res.action) throw std::logic_error("induction: no action fired in the counterexample to induction");
      // Replay the CTI on the interpreter: Inv before, the action enabled, and its successor.
      for (auto& c : m.inductive)
        if (!interp.holds(before, c.holds))
          throw std::logic_error("induction: the CTI's pre-state breaks " + c.name + " on the interpreter");
      std::vector<uint32_t> q;
      if (!interp.enabled(before, *res.action, q))
        throw std::logic_error("induction: the CTI's action is not enabled on the interpreter");
      for (auto mask : q)
        if (mask != kFree)
          for (int a = 0; a < in.n; ++a)
            if ((mask >> a) & 1u) res.quorum.push_back(a);
      if (interp.apply(before, *res.action) != after)
        throw std::logic_error("induction: the CTI's successor differs on the interpreter");
      for (auto& c : m.inductive)
        if (!interp.holds(after, c.holds)) {
          res.conjunct = c.name;
          break;
        }
      if (res.conjunct.empty()) throw std::logic_error("induction: the CTI's post-state keeps every conjunct");
      res.failedStep = "step";
      res.before = before;
      res.after = after;
      return done(Verdict::Violated);
    }
  }

  // Inv => Property.
  {
    z3::solver solver = solverWithLimit();
    for (auto& r : ranges) solver.add(r);
    solver.add(invAt(s));
    solver.add(!enc.boolOf(enc.holds(s, property)));
    z3::check_result r = solver.check();
    if (r == z3::unknown) {
      res.reason = "time limit";
      return done(Verdict::Unknown);
    }
    if (r == z3::sat) {
      res.failedStep = "implies";
      res.before = enc.stateOf(solver.get_model(), s);
      return done(Verdict::Violated);
    }
  }
  return done(Verdict::Holds);
}

}  // namespace mw
