#include "queries/check.hpp"

#include "mutations/catalog.hpp"
#include "queries/invariants.hpp"
#include "queries/completeness.hpp"
#include "solver/explicit.hpp"
#include "solver/induction.hpp"

#include <fmt/format.h>

#include <chrono>

namespace mw {

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
    out.induction = proveByInduction(out.model, req.inst, inv->holds, budget);
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
    ExplicitOptions eo;
    eo.maxDepth = req.depth;
    eo.maxStates = engine == "auto" ? std::min(req.maxStates, 2'000'000L) : req.maxStates;
    eo.timeoutSeconds = engine == "auto" ? (left > 0 ? left / 2 : 30) : left;
    eo.memoryMB = req.memoryMB;
    eo.symmetry = req.symmetry;
    eo.stop = req.stop;
    if (req.progress)
      eo.onProgress = [&](int depth, long states, double secs) {
        req.progress(fmt::format("depth {}, {} states, {:.0f} states/s ({:.1f} s)", depth, states, states / secs, secs));
      };
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
      if (r.verdict == Verdict::Violated) {
        RawTrace raw;
        raw.actions = r.path;
        raw.quorums.assign(r.path.size(), std::vector<uint32_t>(out.model.quorumCount, kFree));
        explain(std::move(raw));
      }
      return out;
    }
    out.symmetry.clear();
    if (req.progress) req.progress(fmt::format("explicit search: {} after {} states; switching to BMC", r.reason, r.states));
    left = req.timeoutSeconds > 0 ? std::max(0.01, req.timeoutSeconds - elapsed()) : 0;
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
