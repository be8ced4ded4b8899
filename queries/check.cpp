#include "queries/check.hpp"

#include "mutations/catalog.hpp"
#include "queries/invariants.hpp"
#include "solver/explicit.hpp"

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

  if (req.engine == "explicit") {
    auto start = std::chrono::steady_clock::now();
    ExplicitOptions eo;
    eo.maxDepth = req.depth;
    eo.maxStates = req.maxStates;
    eo.timeoutSeconds = req.timeoutSeconds;
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
    out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    out.verdict = r.verdict;
    out.depthChecked = r.depthChecked;
    out.length = r.length;
    out.exhausted = r.exhausted;
    out.states = r.states;
    out.reason = r.reason;
    if (r.verdict == Verdict::Violated) {
      RawTrace raw;
      raw.actions = r.path;
      raw.quorums.assign(r.path.size(), std::vector<uint32_t>(out.model.quorumCount, kFree));
      explain(std::move(raw));
    }
    return out;
  }

  z3::context ctx;
  Bmc bmc(out.model, req.inst, inv->holds, ctx);
  BmcOptions opts;
  opts.maxDepth = req.depth;
  opts.timeoutSeconds = req.timeoutSeconds;
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
  out.seconds = r.seconds;
  if (r.verdict == Verdict::Violated) explain(decode(bmc, out.model));
  return out;
}

}  // namespace mw
