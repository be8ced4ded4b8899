#include "queries/check.hpp"

#include "mutations/catalog.hpp"
#include "queries/invariants.hpp"
#include "solver/explicit.hpp"

#include <chrono>

namespace mw {

CheckResult runCheck(const Model& protocol, const CheckRequest& req) {
  CheckResult out;
  out.model = mutate(protocol, req.mutations);
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
    ExplicitResult r = exploreBreadthFirst(interp, inv->holds, req.depth, req.maxStates);
    out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    out.verdict = r.verdict;
    out.depthChecked = r.depthChecked;
    out.length = r.length;
    out.exhausted = r.exhausted;
    out.states = r.states;
    if (r.verdict == Verdict::Unknown) out.reason = "state limit";
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
  opts.onDepth = req.onDepth;
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
