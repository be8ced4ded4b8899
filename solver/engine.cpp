// The five engines behind solver/engine.hpp: each adapter turns the query into its engine's
// options and the engine's result into an Outcome, and nothing else.
#include "solver/engine.hpp"

#include <fmt/format.h>

#include <chrono>

#include "solver/event_search.hpp"
#include "solver/events.hpp"
#include "solver/explicit.hpp"
#include "solver/parallel.hpp"

namespace mw {

void lowerTarget(std::atomic<int>& target, int actions) {
  int want = actions - 1;
  for (int cur = target.load(); want < cur && !target.compare_exchange_weak(cur, want);) {}
}

namespace {

using Clock = std::chrono::steady_clock;
double since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// A path of actions: the interpreter finds each action's quorum when it replays it.
RawTrace pathRaw(const std::vector<Ground>& path, int quorumCount) {
  RawTrace raw;
  raw.actions = path;
  raw.quorums.assign(path.size(), std::vector<uint32_t>(quorumCount, kFree));
  return raw;
}

// The Z3 model of a BMC violation, read back step by step.
RawTrace decode(const Bmc& bmc, const Model& m) {
  const Encoder& enc = bmc.encoder();
  const z3::model& mod = bmc.model();
  RawTrace raw;
  raw.states.push_back(enc.stateOf(mod, bmc.states()[0]));
  for (size_t i = 0; i < bmc.steps().size(); ++i) {
    const SymStep& st = bmc.steps()[i];
    int fired = -1;
    for (size_t k = 0; k < st.fire.size(); ++k)
      if (mod.eval(st.fire[k], true).is_true()) {
        if (fired >= 0) throw ReplayError(fmt::format("step {}: two actions fire at once", i + 1));
        fired = st.candidates[k];
      }
    if (fired < 0) throw ReplayError(fmt::format("step {}: no action fires", i + 1));
    Ground g = enc.grounds()[fired];
    std::vector<uint32_t> q(m.quorumCount, kFree);
    for (int qid : quorumIds(m.actions[g.action])) {
      uint32_t mask = 0;
      for (size_t a = 0; a < st.quorum[qid].size(); ++a)
        if (mod.eval(st.quorum[qid][a], true).is_true()) mask |= 1u << a;
      q[qid] = mask;
    }
    raw.actions.push_back(g);
    raw.quorums.push_back(q);
    raw.states.push_back(enc.stateOf(mod, bmc.states()[i + 1]));
  }
  return raw;
}

// The parallel engine's run as single actions, with the solver's state after each step.
RawTrace parallelRaw(const ParallelResult& r) {
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

// The symmetry reduction a state search used, by the sorts' names in the file ("acceptors, values").
std::string symmetryName(const Model& m, const ExplicitResult& r) {
  std::string processes = m.sortText(Sort{Role::Process, false, 0}) + "s";
  std::string values = m.sortText(Sort{Role::Symmetric, false, 0}) + "s";
  return r.symmetryProcesses && r.symmetryValues ? processes + ", " + values
         : r.symmetryProcesses                   ? processes
         : r.symmetryValues                      ? values
                                                 : "";
}

// One unrolled step per action, incrementally (solver/bmc.hpp).
class BmcEngine : public Engine {
 public:
  Outcome check(const EngineQuery& q) override {
    auto start = Clock::now();
    Z3Context context;
    Bmc bmc(*q.model, q.inst, *q.holds, context());
    BmcOptions opts;
    // Past the completeness threshold there is nothing left to find.
    opts.maxDepth = q.threshold >= 0 ? std::min(q.depth, q.threshold) : q.depth;
    opts.timeoutSeconds = q.timeoutSeconds;
    opts.stop = q.stop;
    if (q.progress)
      opts.onDepth = [&](int depth, double secs) {
        if (secs >= 1.0) q.progress(fmt::format("depth {} checked, no violation ({:.1f} s)", depth, secs));
      };
    BmcResult r = bmc.checkUntil(opts);
    Outcome out;
    out.verdict = r.verdict;
    out.depthChecked = r.depthChecked;
    out.length = r.length;
    out.reason = r.reason;
    out.engine = "bmc";
    out.exhausted = r.verdict == Verdict::Holds && q.threshold >= 0 && r.depthChecked >= q.threshold;
    if (r.verdict == Verdict::Violated) out.trace = decode(bmc, *q.model);
    out.seconds = since(start);
    return out;
  }
};

// Several independent actions per step (solver/parallel.hpp).
class ParallelEngine : public Engine {
 public:
  explicit ParallelEngine(ParallelTuning t) : tuning_(t) {}
  Outcome check(const EngineQuery& q) override {
    ParallelOptions po;
    po.maxActions = q.depth;
    po.timeoutSeconds = q.timeoutSeconds;
    po.symmetry = q.symmetry;
    po.stop = q.stop;
    po.progress = q.progress;
    po.proveShortest = tuning_.proveShortest;
    po.minimiseSeconds = tuning_.minimiseSeconds;
    if (q.target) po.onViolation = [target = q.target](int actions) { lowerTarget(*target, actions); };
    // Past the completeness threshold of parallel steps no new state appears.
    if (tuning_.stopAtStepThreshold) po.maxHeight = q.stepThreshold;
    ParallelResult r = checkParallel(*q.model, q.inst, *q.holds, po);
    Outcome out;
    out.verdict = r.verdict;
    out.depthChecked = r.depthChecked;
    // Every run within the depth was covered; if the depth reaches the action threshold, every run.
    out.exhausted = r.verdict == Verdict::Holds && po.maxHeight >= 0 && r.depthChecked >= q.depth &&
                    q.threshold >= 0 && q.depth >= q.threshold;
    if (out.exhausted) out.depthChecked = q.threshold;
    out.length = r.length;
    out.reason = r.reason;
    out.seconds = r.seconds;
    out.engine = "parallel";
    out.shortest = r.shortest;
    if (r.verdict == Verdict::Violated) out.trace = parallelRaw(r);
    return out;
  }

 private:
  ParallelTuning tuning_;
};

// Breadth-first, or best-first within a bound, over concrete states (solver/explicit.hpp).
class ExplicitEngine : public Engine {
 public:
  explicit ExplicitEngine(ExplicitTuning t) : tuning_(t) {}
  Outcome check(const EngineQuery& q) override {
    ExplicitOptions eo;
    eo.maxDepth = q.depth;
    eo.maxStates = tuning_.stateCap > 0 ? std::min(q.maxStates, tuning_.stateCap) : q.maxStates;
    eo.symmetry = q.symmetry;
    eo.dropSpent = q.dropSpent;
    eo.stop = q.stop;
    eo.timeoutSeconds = q.timeoutSeconds;
    eo.yieldAfterSeconds = tuning_.yieldAfterSeconds;
    if (tuning_.bestFirst) {
      eo.bound = q.depth;
      eo.liveBound = q.target;
      if (q.target) eo.onViolation = [target = q.target](int actions) { lowerTarget(*target, actions); };
    }
    if (q.progress && tuning_.bestFirst)
      eo.onProgress = [progress = q.progress](int f, long states, double secs) {
        progress(fmt::format("best-first: no violation of fewer than {} actions, {} states ({:.1f} s)", f, states, secs));
      };
    else if (q.progress)
      eo.onProgress = [progress = q.progress](int depth, long states, double secs) {
        progress(fmt::format("depth {}, {} states, {:.0f} states/s ({:.1f} s)", depth, states, states / secs, secs));
      };
    auto start = Clock::now();
    ExplicitResult r = exploreBreadthFirst(*q.model, q.inst, q.invariant, eo);
    Outcome out;
    out.verdict = r.verdict;
    out.depthChecked = r.depthChecked;
    out.length = r.length;
    out.exhausted = r.exhausted;
    out.states = r.states;
    out.reason = r.reason;
    out.shortest = r.shortest;
    out.initialBound = r.initialBound;
    out.engine = tuning_.bestFirst ? "explicit, best-first" : "explicit";
    out.symmetry = symmetryName(*q.model, r);
    out.spentDropped = r.spentDropped;
    if (r.verdict == Verdict::Violated) out.trace = pathRaw(r.path, q.model->quorumCount);
    out.seconds = since(start);
    return out;
  }

 private:
  ExplicitTuning tuning_;
};

// The event-order query driven to a shortest violation (solver/event_search.hpp).
class EventsEngine : public Engine {
 public:
  explicit EventsEngine(double twoThreadsAfter) : twoThreadsAfter_(twoThreadsAfter) {}
  Outcome check(const EngineQuery& q) override {
    std::string why = eventsApplicable(*q.model, q.inst);
    if (!why.empty()) throw std::invalid_argument("--engine events does not apply to this model: " + why);
    auto start = Clock::now();
    std::atomic<int> own{q.depth};
    std::atomic<int>& target = q.target ? *q.target : own;
    auto secondsLeft = [&] { return q.timeoutSeconds > 0 ? std::max(0.01, q.timeoutSeconds - since(start)) : 0.0; };
    Interp interp(*q.model, q.inst);
    EventSearch es = searchByEvents(interp, *q.holds, q.depth, target, q.stop, q.symmetry, secondsLeft,
                                    [&](const std::string& line) { if (q.progress) q.progress(line); },
                                    twoThreadsAfter_);
    Outcome out;
    out.engine = "event order";
    out.depthChecked = es.covered;
    if (!es.path.empty()) {
      out.verdict = Verdict::Violated;
      out.length = static_cast<int>(es.path.size());
      out.shortest = es.covered >= out.length - 1;
      if (!out.shortest) out.reason = es.reason.empty() && q.stop && q.stop->load() ? "interrupted" : es.reason;
      out.trace = pathRaw(es.path, q.model->quorumCount);
    } else if (es.covered >= q.depth) {  // covered is never above the depth
      out.verdict = Verdict::Holds;
    } else {
      out.reason = es.reason;
    }
    out.seconds = since(start);
    return out;
  }

 private:
  double twoThreadsAfter_;
};

// The model's inductive invariant, for every depth at once (solver/induction.hpp). It holds or
// it says nothing about violations: a counterexample to induction need not be reachable.
class InductionEngine : public Engine {
 public:
  Outcome check(const EngineQuery& q) override {
    InductionResult r = proveByInduction(*q.model, q.inst, *q.holds, q.timeoutSeconds, q.stop, 0, q.inductionOnly);
    Outcome out;
    out.engine = "induction";
    out.seconds = r.seconds;
    if (r.verdict == Verdict::Holds) {
      out.verdict = Verdict::Holds;
      out.exhausted = true;
    } else if (r.verdict == Verdict::Unknown) {
      out.reason = r.reason;  // a limit; "" when a step of the proof fails (a CTI)
    }
    out.induction = std::move(r);
    return out;
  }
};

}  // namespace

const std::vector<EngineName>& engineNames() {
  static const std::vector<EngineName> names{
      {"parallel", "Z3, several actions per step"},
      {"bmc", "Z3, one action per step"},
      {"events", "Z3, the run's events and their order"},
      {"explicit", "breadth-first over concrete states"},
      {"induction", "Z3, the file's inductive invariant only"},
  };
  return names;
}

std::unique_ptr<Engine> explicitEngine(ExplicitTuning t) { return std::make_unique<ExplicitEngine>(t); }
std::unique_ptr<Engine> parallelEngine(ParallelTuning t) { return std::make_unique<ParallelEngine>(t); }
std::unique_ptr<Engine> eventsEngine(double twoThreadsAfter) { return std::make_unique<EventsEngine>(twoThreadsAfter); }

std::unique_ptr<Engine> makeEngine(const std::string& name) {
  if (name == "bmc") return std::make_unique<BmcEngine>();
  if (name == "parallel") return parallelEngine({});
  if (name == "explicit") return explicitEngine({});
  if (name == "events") return eventsEngine(0);
  if (name == "induction") return std::make_unique<InductionEngine>();
  throw std::invalid_argument("unknown engine '" + name + "'");
}

}  // namespace mw
