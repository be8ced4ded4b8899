#include "solver/parallel.hpp"

#include <fmt/format.h>

#include <chrono>

#include "model/footprint.hpp"
#include "solver/explicit.hpp"

namespace mw {


ParallelResult checkParallel(const Model& m, const Instance& in, const Expr& invariant, const ParallelOptions& opts) {
  using clock = std::chrono::steady_clock;
  auto start = clock::now();
  auto elapsed = [&] { return std::chrono::duration<double>(clock::now() - start).count(); };
  ParallelResult res;
  Z3Context context;
  z3::context& ctx = context();
  Encoder enc(m, in, ctx);
  const auto& grounds = enc.grounds();
  auto fps = footprints(m, in, grounds);
  // dep[x][y]: x and y may not share a step; the Foata condition also counts x as depending on
  // itself (an action repeated in the next step must not be moved up into this one).
  std::vector<std::vector<char>> dep = dependenceMatrix(fps);

  z3::solver solver = makeSolver(ctx);
  StopWatcher watcher(opts.stop, ctx);
  auto pastLimit = [&] { return opts.timeoutSeconds > 0 && elapsed() > opts.timeoutSeconds; };
  auto giveUp = [&] { return pastLimit() || (opts.stop && opts.stop->load()); };
  enc.setGiveUp(giveUp);
  std::vector<SymState> states{enc.init()};
  std::vector<SymStep> steps;
  z3::expr_vector allFires(ctx);

  // Symmetry breaking: where nothing singles out an acceptor (or a value), some permutation of
  // any run uses acceptors 1..k and no others, so "acceptor i+1 acts only if acceptor i does".
  Symmetry sym = opts.symmetry ? symmetryOf(m, invariant) : Symmetry{};
  if (in.anyListed()) sym.processes = false;
  std::vector<z3::expr> usedAcc, usedVal;
  for (int a = 0; a < in.n; ++a) usedAcc.push_back(ctx.bool_const(fmt::format("usedA{}", a).c_str()));
  for (int v = 0; v < in.values; ++v) usedVal.push_back(ctx.bool_const(fmt::format("usedV{}", v).c_str()));
  if (sym.processes)
    for (int a = 0; a + 1 < in.n; ++a) solver.add(z3::implies(usedAcc[a + 1], usedAcc[a]));
  if (sym.values)
    for (int v = 0; v + 1 < in.values; ++v) solver.add(z3::implies(usedVal[v + 1], usedVal[v]));
  auto markUse = [&](const SymStep& st) {
    for (size_t k = 0; k < st.candidates.size(); ++k) {
      const Ground& g = grounds[st.candidates[k]];
      const Action& act = m.actions[g.action];
      for (size_t p = 0; p < act.params.size(); ++p) {
        Role b = act.params[p].sort.role;
        if (sym.processes && b == Role::Process) solver.add(z3::implies(st.fire[k], usedAcc[g.params[p]]));
        if (sym.values && b == Role::Symmetric && g.params[p] >= 0) solver.add(z3::implies(st.fire[k], usedVal[g.params[p]]));
      }
    }
  };

  std::optional<z3::model> best;
  int bestHeight = -1, bestActions = -1;
  auto count = [&](const z3::model& mod) {
    int c = 0;
    for (unsigned i = 0; i < allFires.size(); ++i) c += mod.eval(allFires[i], true).is_true();
    return c;
  };

  bool stopped = false;
  auto stopBuilding = [&] {  // a step's build stopped by the time limit or Ctrl-C
    stopped = true;
    res.reason = opts.stop && opts.stop->load() ? "interrupted" : "time limit";
  };
  for (int h = 0; h <= opts.maxActions; ++h) {
    if (best && h >= bestActions) break;  // a run of height h has at least h actions
    if (opts.maxHeight >= 0 && h > opts.maxHeight) {
      if (!best) res.depthChecked = opts.maxActions;  // every run within the cap has a height <= maxHeight
      break;
    }
    if (h > 0) {
      try {
        steps.push_back(enc.stepParallel(states.back(), h - 1, dep));
      } catch (const EncodingStopped&) {
        stopBuilding();
        break;
      }
      SymStep& st = steps.back();
      for (auto& c : st.constraints) solver.add(c);
      for (auto& f : st.fire) allFires.push_back(f);
      markUse(st);
      if (h > 1) {  // Foata normal form
        const SymStep& prev = steps[steps.size() - 2];
        for (size_t x = 0; x < st.candidates.size(); ++x) {
          if (x % 256 == 0 && giveUp()) {
            stopBuilding();
            break;
          }
          z3::expr_vector because(ctx);
          for (size_t y = 0; y < prev.candidates.size(); ++y)
            if (dep[st.candidates[x]][prev.candidates[y]]) because.push_back(prev.fire[y]);
          solver.add(z3::implies(st.fire[x], because.empty() ? ctx.bool_val(false) : z3::mk_or(because)));
        }
      }
      if (stopped) break;
      states.push_back(st.next);
    }
    Sym good = enc.holds(states.back(), invariant);
    if (good.known() && good.c) {
      if (!best) res.depthChecked = h;
      continue;
    }
    z3::expr bad = ctx.bool_const(fmt::format("pbad{}", h).c_str());
    solver.add(z3::implies(bad, good.known() ? ctx.bool_val(true) : !*good.e));
    // Below the best run so far (or within --depth): at most `cap` actions.
    int cap = best ? bestActions - 1 : opts.maxActions;
    for (;;) {
      z3::expr_vector assumptions(ctx);
      assumptions.push_back(bad);
      if (cap < static_cast<int>(allFires.size())) {
        z3::expr lit = ctx.bool_const(fmt::format("pcap{}_{}", h, cap).c_str());
        solver.add(z3::implies(lit, z3::atmost(allFires, static_cast<unsigned>(std::max(cap, 0)))));
        assumptions.push_back(lit);
      }
      if (opts.timeoutSeconds > 0) {
        double left = opts.timeoutSeconds - elapsed();
        if (left <= 0) {
          stopped = true;
          res.reason = "time limit";
          break;
        }
        z3::params p(ctx);
        p.set("timeout", static_cast<unsigned>(left * 1000) + 1);
        solver.set(p);
      }
      if (opts.stop && opts.stop->load()) {
        stopped = true;
        res.reason = "interrupted";
        break;
      }
      z3::check_result r;
      try {
        r = solver.check(assumptions);
      } catch (const z3::exception& e) {
        stopped = true;
        res.reason = limitReason(e);
        break;
      }
      if (r == z3::unknown) {
        stopped = true;
        res.reason = unknownReason(solver, opts.stop);
        break;
      }
      if (r == z3::unsat) {
        if (!best && cap >= opts.maxActions) res.depthChecked = h;
        if (best && opts.progress)
          opts.progress(fmt::format("no run of height {} with at most {} actions ({:.1f} s)", h, cap, elapsed()));
        break;
      }
      best = solver.get_model();
      bestHeight = h;
      bestActions = count(*best);
      if (opts.onViolation) opts.onViolation(bestActions);
      if (opts.progress)
        opts.progress(fmt::format("violation in {} steps with {} actions; looking for fewer actions ({:.1f} s)", h,
                                  bestActions, elapsed()));
      cap = bestActions - 1;
      if (cap < h) break;
      if (!opts.proveShortest && elapsed() > opts.minimiseSeconds) break;
    }
    if (stopped) break;
    if (best && !opts.proveShortest) break;
    if (!best) {
      res.depthChecked = h;
      if (opts.progress && elapsed() >= 1.0)
        opts.progress(fmt::format("{} steps checked, no violation ({:.1f} s)", h, elapsed()));
    }
  }
  res.seconds = elapsed();
  if (!best) {
    if (!stopped) res.verdict = Verdict::Holds;
    return res;
  }

  res.verdict = Verdict::Violated;
  res.shortest = !stopped && opts.proveShortest;
  res.length = bestActions;
  res.init = enc.stateOf(*best, states[0]);
  for (int i = 0; i < bestHeight; ++i) {
    const SymStep& st = steps[i];
    for (size_t k = 0; k < st.fire.size(); ++k) {
      if (!best->eval(st.fire[k], true).is_true()) continue;
      res.actions.push_back(grounds[st.candidates[k]]);
      std::vector<uint32_t> q(m.quorumCount, kFree);
      for (size_t qid = 0; qid < st.quorumOf[k].size(); ++qid) {
        if (st.quorumOf[k][qid].empty()) continue;
        uint32_t mask = 0;
        for (size_t a = 0; a < st.quorumOf[k][qid].size(); ++a)
          if (best->eval(st.quorumOf[k][qid][a], true).is_true()) mask |= 1u << a;
        q[qid] = mask;
      }
      res.quorums.push_back(std::move(q));
    }
    res.after.push_back(enc.stateOf(*best, states[i + 1]));
    res.stepEnd.push_back(static_cast<int>(res.actions.size()));
  }
  return res;
}

}  // namespace mw
