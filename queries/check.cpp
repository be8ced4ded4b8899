#include "queries/check.hpp"

#include "mutations/catalog.hpp"
#include "queries/invariants.hpp"

namespace mw {

CheckResult runCheck(const Model& protocol, const CheckRequest& req) {
  CheckResult out;
  out.model = mutate(protocol, req.mutations);
  out.inst = req.inst;
  out.request = req;
  const Invariant* inv = out.model.invariant(req.invariant);
  if (!inv) throw std::invalid_argument("invariant " + req.invariant);

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
  if (r.verdict == Verdict::Violated) {
    Interp interp(out.model, req.inst);
    out.trace = replay(interp, decode(bmc, out.model), inv->holds);
    const State& last = out.trace->steps.empty() ? out.trace->init : out.trace->steps.back().after;
    out.violation = explainViolation(interp, last, req.invariant);
  }
  return out;
}

}  // namespace mw
