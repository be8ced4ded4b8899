#include "queries/check.hpp"

#include "model/faults.hpp"
#include "model/instantiate.hpp"
#include "mutations/catalog.hpp"
#include "queries/invariants.hpp"
#include "queries/lessons.hpp"
#include "queries/completeness.hpp"
#include "queries/race.hpp"
#include "solver/memory.hpp"

#include <fmt/format.h>

#include <atomic>
#include <chrono>
#include <exception>
#include <functional>
#include <limits>
#include <mutex>
#include <thread>

namespace mw {

static CheckResult checkOnce(Model model, const CheckRequest& req);
namespace {
struct Stopped {};
}  // namespace

void limitProcessMemory(double mb, std::atomic<bool>* stop) { limitMemory(mb, stop); }
void deleteZ3ContextsLater() { deleteZ3ContextsInBackground(); }
bool z3ContextsDeleted() { return z3ContextsIdle(); }
std::string stopReason() { return memoryLimitReached() ? "memory limit" : "interrupted"; }

Model instanceModel(Model m, const CheckRequest& req) {
  m = instantiate(std::move(m), req.inst);
  if (req.restarts) return withRestarts(std::move(m), req.inst);
  return m;
}

CheckResult runCheck(const Model& protocol, const CheckRequest& req) {
  CheckResult r = checkModel(mutate(protocol, req.mutations), req);
  if (!req.mutations.empty()) r.original = instanceModel(protocol, req);
  if (r.verdict == Verdict::Violated) r.why = whyItBreaks(r);
  return r;
}

// One check, however its engines end. Past the memory limit (solver/memory.hpp) the watcher
// stops the engines as Ctrl-C would, and Z3 may throw its own "out of memory": either way the
// answer is unknown (or a violation not proven shortest) for the reason "memory limit".
CheckResult checkModel(Model model, const CheckRequest& req) {
  model = instanceModel(std::move(model), req);
  Model kept = model;
  auto start = std::chrono::steady_clock::now();
  CheckResult out;
  // A check that ends without an engine's answer: the request, nothing found.
  auto unanswered = [&](std::string reason) {
    out = CheckResult{};
    out.model = std::move(kept);
    out.inst = req.inst;
    out.request = req;
    out.reason = std::move(reason);
    out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  };
  try {
    if (req.stop && req.stop->load()) throw Stopped{};  // stopped before it began: start nothing
    out = checkOnce(std::move(model), req);
  } catch (const Stopped&) {
    unanswered("interrupted");
  } catch (const z3::exception& e) {
    if (!isZ3OutOfMemory(e)) throw;
    noteMemoryLimitReached();
    unanswered("");
  } catch (const std::exception&) {
    // After a stop an engine may have answered for less than was asked (Z3 interrupted while it
    // took in an assertion); what it found is not trusted, and the check is unknown. Without a
    // stop the error is a bug and goes on to say so.
    if (!(req.stop && req.stop->load())) throw;
    unanswered("interrupted");
  }
  if (memoryLimitReached() && (out.verdict == Verdict::Unknown || (out.verdict == Verdict::Violated && !out.shortest)))
    out.reason = "memory limit";
  if (out.answeredBy.empty()) out.answeredBy = "none";
  return out;
}

CheckResult checkOnce(Model model, const CheckRequest& given) {
  auto start = std::chrono::steady_clock::now();
  auto elapsed = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(); };
  CheckRequest req = given;
  if (req.invariant.empty() && !model.invariants.empty()) req.invariant = model.invariants.front().name;
  if (req.engine == "induction") req.prove = true;  // its account is the answer: show it
  CheckResult out;
  out.model = std::move(model);
  out.inst = req.inst;
  out.request = req;
  const Invariant* inv = out.model.invariant(req.invariant);
  if (!inv) throw std::invalid_argument("invariant " + req.invariant);
  out.threshold = completenessThreshold(out.model, req.inst);
  out.stepThreshold = parallelCompletenessThreshold(out.model, req.inst);

  EngineQuery q;
  q.model = &out.model;
  q.inst = req.inst;
  q.invariant = req.invariant;
  q.holds = &inv->holds;
  q.depth = req.depth;
  q.timeoutSeconds = req.timeoutSeconds;
  q.maxStates = req.maxStates;
  q.symmetry = req.symmetry;
  q.dropSpent = req.dropSpent;
  q.threshold = out.threshold;
  q.stepThreshold = out.stepThreshold;
  q.stop = req.stop;
  q.progress = req.progress;
  // An engine's outcome as the check's result; a violation is replayed on the interpreter and
  // put in words before anything is returned.
  auto take = [&](Outcome o) {
    out.verdict = o.verdict;
    out.depthChecked = o.depthChecked;
    out.length = o.length;
    out.shortest = o.shortest;
    out.exhausted = o.exhausted;
    out.reason = o.reason;
    out.answeredBy = o.engine;
    out.states = o.states;
    out.symmetry = o.symmetry;
    out.spentDropped = o.spentDropped;
    if (o.verdict == Verdict::Violated) {
      if (!o.trace) throw ReplayError(o.engine + " found a violation but gave no run");
      Interp interp(out.model, req.inst);
      out.trace = replay(interp, *o.trace, inv->holds);
      const State& last = out.trace->steps.empty() ? out.trace->init : out.trace->steps.back().after;
      out.violation = explainViolation(interp, last, req.invariant);
    }
    out.seconds = elapsed();
    return out;
  };

  // --prove, and the first try of the portfolio: induction answers for every depth at once.
  // Any invariant: the proof ends with Inv => the invariant, which fails fast where Inv does not imply it.
  bool onlyInduction = req.engine == "induction";
  if (req.prove || onlyInduction || (req.engine == "auto" && !out.model.inductive.empty())) {
    EngineQuery iq = q;
    iq.timeoutSeconds = req.prove || onlyInduction ? req.timeoutSeconds : (req.timeoutSeconds > 0 ? req.timeoutSeconds / 3 : 20);
    if (req.changedActions) iq.inductionOnly = &*req.changedActions;
    Outcome o = makeEngine("induction")->check(iq);
    const InductionResult& ind = *o.induction;
    out.induction = InductionOutcome{ind.verdict, ind.failedStep, ind.conjunct, ind.reason, ind.before, ind.after,
                                     ind.action,  ind.quorum,     ind.seconds};
    if (o.verdict == Verdict::Holds || onlyInduction) return take(std::move(o));
    if (req.progress)
      req.progress(ind.verdict == Verdict::Unknown
                       ? fmt::format("induction: {}; searching for a counterexample", ind.reason)
                       : fmt::format("induction fails at {} ({}); searching for a counterexample", ind.failedStep,
                                     ind.conjunct));
  }
  if (req.stop && req.stop->load()) {
    out.reason = "interrupted";
    out.seconds = elapsed();
    return out;
  }
  q.timeoutSeconds = req.timeoutSeconds > 0 ? std::max(0.01, req.timeoutSeconds - elapsed()) : 0;
  if (req.engine == "auto") return take(race(q, req.z3DelaySeconds));
  // One engine alone; the event query then gets both cores from the start.
  return take(makeEngine(req.engine)->check(q));
}

std::string engineChoices() {
  std::string text = "auto";
  auto& names = engineNames();
  for (size_t i = 0; i < names.size(); ++i)
    text += fmt::format("{}{} ({})", i + 1 < names.size() ? ", " : " or ", names[i].name, names[i].what);
  return text;
}

bool knownEngine(const std::string& name) {
  if (name == "auto") return true;
  for (auto& e : engineNames())
    if (name == e.name) return true;
  return false;
}

}  // namespace mw
