#include "queries/check.hpp"

#include "mutations/catalog.hpp"
#include "queries/invariants.hpp"
#include "queries/completeness.hpp"
#include "solver/explicit.hpp"
#include "solver/induction.hpp"
#include "solver/parallel.hpp"

#include <fmt/format.h>

#include <chrono>

namespace mw {

// The parallel engine's run as single actions, with the solver's state after each step.
static RawTrace parallelRaw(const ParallelResult& r) {
  RawTrace raw;
  raw.actions = r.actions;
  raw.quorums = r.quorums;
  raw.states.assign(r.actions.size() + 1, State{});
  raw.stateKnown.assign(r.actions.size() + 1, 0);
  raw.states[0] = r.init;
  raw.stateKnown[0] = 1;
  for (size_t i = 0; i < r.stepEnd.size(); ++i) {
    raw.states[r.stepEnd[i]] = r.after[i];
    raw.stateKnown[r.stepEnd[i]] = 1;
  }
  return raw;
}

// Breadth-first options common to every use in the portfolio.
static ExplicitOptions explicitOptions(const CheckRequest& req) {
  ExplicitOptions eo;
  eo.maxDepth = req.depth;
  eo.maxStates = req.maxStates;
  eo.memoryMB = req.memoryMB;
  eo.symmetry = req.symmetry;
  eo.stop = req.stop;
  if (req.progress)
    eo.onProgress = [progress = req.progress](int depth, long states, double secs) {
      progress(fmt::format("depth {}, {} states, {:.0f} states/s ({:.1f} s)", depth, states, states / secs, secs));
    };
  return eo;
}

static ParallelOptions parallelOptions(const CheckRequest& req, double seconds) {
  ParallelOptions po;
  po.maxActions = req.depth;
  po.timeoutSeconds = seconds;
  po.symmetry = req.symmetry;
  po.stop = req.stop;
  po.progress = req.progress;
  return po;
}

// A breadth-first path: the interpreter finds each action's quorum when it replays it.
static RawTrace pathRaw(const std::vector<Ground>& path, int quorumCount) {
  RawTrace raw;
  raw.actions = path;
  raw.quorums.assign(path.size(), std::vector<uint32_t>(quorumCount, kFree));
  return raw;
}

CheckResult runCheck(const Model& protocol, const CheckRequest& req) {
  return checkModel(mutate(protocol, req.mutations), req);
}

CheckResult checkModel(Model model, const CheckRequest& req) {
  CheckResult out;
  out.model = std::move(model);
  out.inst = req.inst;
  out.request = req;
  const Invariant* inv = out.model.invariant(req.invariant);
  if (!inv) throw std::invalid_argument("invariant " + req.invariant);

  Interp interp(out.model, req.inst);
  auto explain = [&](RawTrace raw) {
    out.trace = replay(interp, raw, inv->holds);
    const State& last = out.trace->steps.empty() ? out.trace->init : out.trace->steps.back().after;
    out.violation = explainViolation(interp, last, req.invariant);
  };

  auto start = std::chrono::steady_clock::now();
  auto elapsed = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(); };
  out.threshold = completenessThreshold(out.model, req.inst);
  std::string engine = req.engine;

  // --prove, and the first try of the portfolio: induction answers for every depth at once.
  bool tryInduction = req.prove || (engine == "auto" && !out.model.inductive.empty() && req.invariant == "agreement");
  if (tryInduction) {
    double budget = req.prove ? req.timeoutSeconds : (req.timeoutSeconds > 0 ? req.timeoutSeconds / 3 : 20);
    out.induction = proveByInduction(out.model, req.inst, inv->holds, budget, req.stop);
    if (out.induction->verdict == Verdict::Holds) {
      out.verdict = Verdict::Holds;
      out.exhausted = true;
      out.answeredBy = "induction";
      out.seconds = elapsed();
      return out;
    }
    if (req.progress)
      req.progress(out.induction->verdict == Verdict::Unknown
                       ? fmt::format("induction: {}; searching for a counterexample", out.induction->reason)
                       : fmt::format("induction fails at {} ({}); searching for a counterexample",
                                     out.induction->failedStep, out.induction->conjunct));
  }
  if (req.stop && req.stop->load()) {
    out.reason = "interrupted";
    out.seconds = elapsed();
    return out;
  }
  double left = req.timeoutSeconds > 0 ? std::max(0.01, req.timeoutSeconds - elapsed()) : 0;

  // The portfolio's explicit try: breadth-first with a state cap; answers when it finds a
  // shortest counterexample or runs out of states, else hands over to BMC.
  if (engine == "auto" || engine == "explicit") {
    ExplicitOptions eo = explicitOptions(req);
    if (engine == "auto") eo.maxStates = std::min(req.maxStates, 100'000L);
    eo.timeoutSeconds = engine == "auto" ? (left > 0 ? left / 4 : 10) : left;
    ExplicitResult r = exploreBreadthFirst(out.model, req.inst, req.invariant, eo);
    if (r.symmetryAcceptors || r.symmetryValues)
      out.symmetry = r.symmetryAcceptors && r.symmetryValues ? "acceptors, values"
                     : r.symmetryAcceptors                   ? "acceptors"
                                                             : "values";
    bool answered = r.verdict != Verdict::Unknown || engine == "explicit" || r.reason == "interrupted";
    if (answered) {
      out.seconds = elapsed();
      out.verdict = r.verdict;
      out.depthChecked = r.depthChecked;
      out.length = r.length;
      out.exhausted = r.exhausted;
      out.states = r.states;
      out.reason = r.reason;
      out.answeredBy = "explicit";
      if (r.verdict == Verdict::Violated) explain(pathRaw(r.path, out.model.quorumCount));
      return out;
    }
    out.symmetry.clear();
    if (req.progress) req.progress(fmt::format("explicit search: {} after {} states; switching to bounded search", r.reason, r.states));
    left = req.timeoutSeconds > 0 ? std::max(0.01, req.timeoutSeconds - elapsed()) : 0;
  }

  // Best-first search (A*) by depth + lower bound, bounded by --depth: it expands every state
  // whose sum is below the shortest length and, deepest first, few of the others, so with a
  // close lower bound it goes nearly straight to a shortest violation. When the open states
  // run out, nothing within --depth breaks the invariant.
  if (engine == "auto") {
    ExplicitOptions eo = explicitOptions(req);
    eo.bound = req.depth;
    eo.bestFirst = true;
    eo.timeoutSeconds = left > 0 ? left / 2 : 60;
    if (req.progress) req.progress(fmt::format("best-first search by depth + lower bound, within {} actions", req.depth));
    ExplicitResult r = exploreBreadthFirst(out.model, req.inst, req.invariant, eo);
    if (r.verdict != Verdict::Unknown || r.reason == "interrupted") {
      out.verdict = r.verdict;
      out.length = r.length;
      out.states = r.states;
      out.depthChecked = r.depthChecked;
      out.shortest = r.shortest;
      out.reason = r.reason;
      out.answeredBy = "explicit, best-first";
      out.seconds = elapsed();
      if (r.verdict == Verdict::Violated) explain(pathRaw(r.path, out.model.quorumCount));
      return out;
    }
    if (req.progress)
      req.progress(fmt::format("best-first search: {} after {} states, no violation of fewer than {} actions", r.reason, r.states,
                               r.depthChecked + 1));
    left = req.timeoutSeconds > 0 ? std::max(0.01, req.timeoutSeconds - elapsed()) : 0;
  }

  // The portfolio at scale: parallel-step BMC finds a violation of A actions fast (and spends
  // a little time lowering A), then breadth-first search, skipping states that cannot break
  // the invariant within A - 1 actions, either finds a shorter one or proves there is none.
  if (engine == "auto") {
    ParallelOptions po = parallelOptions(req, left);
    po.minimiseSeconds = left > 0 ? left / 4 : 10;
    po.proveShortest = false;
    ParallelResult pr = checkParallel(out.model, req.inst, inv->holds, po);
    if (pr.verdict != Verdict::Violated) {
      out.verdict = pr.verdict;
      out.depthChecked = pr.depthChecked;
      out.reason = pr.reason;
      out.seconds = elapsed();
      out.answeredBy = "parallel";
      return out;
    }
    ExplicitOptions eo = explicitOptions(req);
    eo.bound = pr.length - 1;
    eo.bestFirst = true;
    // Without --timeout the proof that A is shortest gets a minute; the violation stands either way.
    eo.timeoutSeconds = req.timeoutSeconds > 0 ? std::max(0.01, req.timeoutSeconds - elapsed()) : 60;
    if (req.progress)
      req.progress(fmt::format("parallel BMC: a violation of {} actions; breadth-first search for a shorter one", pr.length));
    ExplicitResult r = exploreBreadthFirst(out.model, req.inst, req.invariant, eo);
    out.states = r.states;
    out.verdict = Verdict::Violated;
    out.answeredBy = "parallel + explicit";
    out.seconds = elapsed();
    if (r.verdict == Verdict::Violated) {
      out.length = r.length;
      explain(pathRaw(r.path, out.model.quorumCount));
    } else {
      out.shortest = r.verdict == Verdict::Holds;
      if (!out.shortest) out.reason = r.reason;
      out.length = pr.length;
      explain(parallelRaw(pr));
    }
    return out;
  }

  if (engine == "parallel") {
    ParallelResult r = checkParallel(out.model, req.inst, inv->holds, parallelOptions(req, left));
    out.verdict = r.verdict;
    out.depthChecked = r.depthChecked;
    out.length = r.length;
    out.reason = r.reason;
    out.seconds = elapsed();
    out.answeredBy = "parallel";
    out.shortest = r.shortest;
    if (r.verdict == Verdict::Violated) explain(parallelRaw(r));
    return out;
  }

  z3::context ctx;
  Bmc bmc(out.model, req.inst, inv->holds, ctx);
  BmcOptions opts;
  // Past the completeness threshold there is nothing left to find.
  opts.maxDepth = out.threshold >= 0 ? std::min(req.depth, out.threshold) : req.depth;
  opts.timeoutSeconds = left;
  opts.stop = req.stop;
  if (req.progress)
    opts.onDepth = [&](int depth, double secs) {
      if (secs >= 1.0) req.progress(fmt::format("depth {} checked, no violation ({:.1f} s)", depth, secs));
    };
  BmcResult r = bmc.checkUntil(opts);
  out.verdict = r.verdict;
  out.depthChecked = r.depthChecked;
  out.length = r.length;
  out.reason = r.reason;
  out.seconds = elapsed();
  out.answeredBy = "bmc";
  out.exhausted = r.verdict == Verdict::Holds && out.threshold >= 0 && r.depthChecked >= out.threshold;
  if (r.verdict == Verdict::Violated) explain(decode(bmc, out.model));
  return out;
}

}  // namespace mw
