#include "queries/check.hpp"

#include "mutations/catalog.hpp"
#include "queries/invariants.hpp"
#include "queries/lessons.hpp"
#include "queries/completeness.hpp"
#include "queries/event_search.hpp"
#include "solver/events.hpp"
#include "solver/explicit.hpp"
#include "solver/induction.hpp"
#include "solver/memory.hpp"
#include "solver/parallel.hpp"

#include <fmt/format.h>

#include <atomic>
#include <chrono>
#include <exception>
#include <functional>
#include <limits>
#include <mutex>
#include <thread>

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

// The symmetry reduction a breadth-first search used, as the result names it: by the sorts'
// names in the file ("acceptors, values").
static std::string symmetryName(const Model& m, const ExplicitResult& r) {
  std::string processes = m.sortText(Sort{Role::Process, false, 0}) + "s";
  std::string values = m.sortText(Sort{Role::Symmetric, false, 0}) + "s";
  return r.symmetryProcesses && r.symmetryValues ? processes + ", " + values
         : r.symmetryProcesses                   ? processes
         : r.symmetryValues                      ? values
                                                 : "";
}

// A breadth-first path: the interpreter finds each action's quorum when it replays it.
static RawTrace pathRaw(const std::vector<Ground>& path, int quorumCount) {
  RawTrace raw;
  raw.actions = path;
  raw.quorums.assign(path.size(), std::vector<uint32_t>(quorumCount, kFree));
  return raw;
}

static CheckResult checkOnce(Model model, const CheckRequest& req);
namespace {
struct Stopped {};
}  // namespace

void limitProcessMemory(double mb, std::atomic<bool>* stop) { limitMemory(mb, stop); }
std::string stopReason() { return memoryLimitReached() ? "memory limit" : "interrupted"; }

CheckResult runCheck(const Model& protocol, const CheckRequest& req) {
  CheckResult r = checkModel(mutate(protocol, req.mutations), req);
  if (!req.mutations.empty()) r.original = protocol;
  if (r.verdict == Verdict::Violated) r.why = whyItBreaks(r);
  return r;
}

// One check, however its engines end. Past the memory limit (solver/memory.hpp) the watcher
// stops the engines as Ctrl-C would, and Z3 may throw its own "out of memory": either way the
// answer is unknown (or a violation not proven shortest) for the reason "memory limit".
CheckResult checkModel(Model model, const CheckRequest& req) {
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
  CheckRequest req = given;
  if (req.invariant.empty() && !model.invariants.empty()) req.invariant = model.invariants.front().name;
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
  // The explicit engine's answer as the check's answer.
  auto takeExplicit = [&](const ExplicitResult& r, const char* by) {
    out.verdict = r.verdict;
    out.depthChecked = r.depthChecked;
    out.length = r.length;
    out.exhausted = r.exhausted;
    out.states = r.states;
    out.reason = r.reason;
    out.shortest = r.shortest;
    out.answeredBy = by;
    if (r.verdict == Verdict::Violated) explain(pathRaw(r.path, out.model.quorumCount));
  };

  auto start = std::chrono::steady_clock::now();
  auto elapsed = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(); };
  out.threshold = completenessThreshold(out.model, req.inst);
  out.stepThreshold = parallelCompletenessThreshold(out.model, req.inst);
  std::string engine = req.engine;

  // --prove, and the first try of the portfolio: induction answers for every depth at once.
  // Any invariant: the proof ends with Inv => the invariant, which fails fast where Inv does not imply it.
  bool tryInduction = req.prove || (engine == "auto" && !out.model.inductive.empty());
  if (tryInduction) {
    double budget = req.prove ? req.timeoutSeconds : (req.timeoutSeconds > 0 ? req.timeoutSeconds / 3 : 20);
    InductionResult ind = proveByInduction(out.model, req.inst, inv->holds, budget, req.stop);
    out.induction = InductionOutcome{ind.verdict,   ind.failedStep, ind.conjunct, ind.reason,
                                     ind.before,    ind.after,      ind.action,   ind.quorum, ind.seconds};
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

  if (engine == "explicit") {
    ExplicitOptions eo = explicitOptions(req);
    eo.timeoutSeconds = left;
    ExplicitResult r = exploreBreadthFirst(out.model, req.inst, req.invariant, eo);
    out.seconds = elapsed();
    takeExplicit(r, "explicit");
    out.symmetry = symmetryName(out.model, r);
    return out;
  }

  // The race, on two threads: best-first search (A*) by depth + lower bound, bounded by
  // --depth, against a Z3 engine. A* expands every state whose sum is below the shortest
  // length and, deepest first, few of the others, so with a close lower bound it goes nearly
  // straight to a shortest violation; when its open states run out, nothing within its bound
  // breaks the invariant. The Z3 engine is the event-order query (solver/events.hpp) where the
  // model allows it, else parallel-step BMC. Every violation either side finds (A actions)
  // lowers the other's target to A - 1: A* then needs to cover fewer states, and the event
  // query asks "a violation within A - 1 actions?", whose "no" proves A shortest.
  if (engine == "auto") {
    std::mutex printing;
    auto say = [&](const std::string& line) {
      std::lock_guard<std::mutex> g(printing);
      if (req.progress) req.progress(line);
    };
    std::atomic<int> found{req.depth};      // both sides' target: one less than the shortest so far
    auto lower = [&](int actions) { lowerTarget(found, actions); };
    std::atomic<bool> stopBmc{false}, stopSearch{false}, searchDone{false}, over{false};
    Wakeup relayWake, z3Wake;  // woken with `over`; with stopBmc or searchDone
    double raceStart = elapsed();
    ExplicitOptions eo = explicitOptions(req);
    eo.bound = req.depth;
    eo.liveBound = &found;
    eo.stop = &stopSearch;
    eo.timeoutSeconds = left > 0 ? left : 60;
    eo.onViolation = lower;
    if (req.progress)
      eo.onProgress = [&](int f, long states, double secs) {
        say(fmt::format("best-first: no violation of fewer than {} actions, {} states ({:.1f} s)", f, states, secs));
      };
    bool useEvents = eventsApplicable(out.model, req.inst).empty();
    std::vector<Ground> eventPath;  // the event query's shortest violation so far
    int eventsCovered = -1;         // the event query found no violation within this many actions
    std::string eventsReason;
    ParallelOptions po = parallelOptions(req, left);
    po.proveShortest = false;
    po.minimiseSeconds = eo.timeoutSeconds;
    po.stop = &stopBmc;
    po.progress = req.progress ? std::function<void(const std::string&)>([&](const std::string& l) { say("parallel BMC: " + l); })
                               : nullptr;
    po.onViolation = lower;
    // Ctrl-C reaches both engines through their own flags.
    std::thread relay([&] {
      while (!over.load()) {
        if (req.stop && req.stop->load()) {
          stopBmc = stopSearch = true;
          z3Wake.wake();
        }
        relayWake.sleep(20);
      }
    });
    auto secondLeft = [&] { return std::max(0.01, (left > 0 ? left : eo.timeoutSeconds) - (elapsed() - raceStart)); };
    ParallelResult pr;
    std::exception_ptr failed;
    std::thread second([&] {
      // Woken early when the explicit side is done or the race is stopped.
      if (req.z3DelaySeconds > 0) z3Wake.sleep(static_cast<int>(req.z3DelaySeconds * 1000));
      if (stopBmc.load()) return;
      try {
        if (useEvents) {
          EventSearch es = searchByEvents(interp, inv->holds, req.depth, found, &stopBmc, req.symmetry,
                                          secondLeft, say, kTwoThreadsAfter);
          eventPath = std::move(es.path);
          eventsCovered = es.covered;
          eventsReason = es.reason;
          if (eventsCovered >= found.load()) stopSearch = true;  // A* has nothing left to answer
        } else {
          if (left > 0) po.timeoutSeconds = secondLeft();
          pr = checkParallel(out.model, req.inst, inv->holds, po);
          if (pr.verdict == Verdict::Holds) stopSearch = true;  // nothing within --depth: A* can stop
        }
      } catch (...) {
        failed = std::current_exception();
        stopSearch = true;
      }
    });
    // The explicit side, on a thread of its own while the Z3 side starts (it used to run before
    // the race: 0.5 s at n = 9 before Z3 began). First breadth-first search with a state cap,
    // for instances small enough to run out of states: it answers when it finds a shortest
    // counterexample or runs out of states. Else A*: 2 s after the race began it yields the
    // CPU to the event query, which from then on runs the two halves of its queries side by
    // side (queries/event_search.hpp). Most questions A* answers, it answers before that;
    // after it, it rarely catches up.
    ExplicitResult r;
    bool firstTry = false;  // r is the capped breadth-first search's answer
    std::exception_ptr searchFailed;
    std::thread search([&] {
      try {
        // Only Ctrl-C stops this try: a Z3 side that is done first has at best "holds to
        // --depth", and running out of states says "every run".
        ExplicitOptions bo = explicitOptions(req);
        // From n = 5 up a state costs more and A* is the better use of the time.
        bo.maxStates = std::min(req.maxStates, req.inst.n <= 4 ? 100'000L : 20'000L);
        bo.timeoutSeconds = left > 0 ? left / 4 : 10;
        r = exploreBreadthFirst(out.model, req.inst, req.invariant, bo);
        if (r.verdict != Verdict::Unknown || (req.stop && req.stop->load())) {
          firstTry = true;
          return;
        }
        say(fmt::format("explicit search: {} after {} states; switching to bounded search", r.reason, r.states));
        double used = elapsed() - raceStart;
        eo.timeoutSeconds = std::max(0.01, eo.timeoutSeconds - used);
        eo.yieldAfterSeconds = useEvents ? std::max(0.001, kTwoThreadsAfter - used) : 0;
        r = exploreBreadthFirst(out.model, req.inst, req.invariant, eo);
      } catch (...) {
        searchFailed = std::current_exception();
      }
    });
    search.join();
    if (searchFailed || firstTry) {
      stopBmc = true;
      z3Wake.wake();
      second.join();
      over = true;
      relayWake.wake();
      relay.join();
      if (searchFailed) std::rethrow_exception(searchFailed);
      out.seconds = elapsed();
      takeExplicit(r, "explicit");
      out.symmetry = symmetryName(out.model, r);
      return out;
    }
    searchDone = true;
    z3Wake.wake();
    bool interrupted = req.stop && req.stop->load();
    // The Z3 side is only worth waiting for if A* did not answer: BMC if A* has no trace of
    // its own, the event query until it proves or finds one shorter (it has its own deadline).
    bool searchAnswered = r.verdict == Verdict::Holds || (r.verdict == Verdict::Violated && r.shortest);
    if ((searchAnswered && !stopSearch.load()) || interrupted || (!useEvents && found.load() < req.depth)) stopBmc = true;
    second.join();
    over = true;
    relayWake.wake();
    relay.join();
    if (failed) std::rethrow_exception(failed);
    interrupted = req.stop && req.stop->load();
    say(fmt::format("best-first search: lower bound at the initial state {}; {} states", r.initialBound, r.states));
    out.states = r.states;
    out.seconds = elapsed();
    if (r.verdict == Verdict::Violated && r.shortest) {
      takeExplicit(r, "explicit, best-first");
      return out;
    }
    // The shortest trace any side found; shortest if the search or the event query covered
    // every shorter run.
    const int none = std::numeric_limits<int>::max();
    int bySearch = r.verdict == Verdict::Violated ? r.length : none;
    int byEvents = eventPath.empty() ? none : static_cast<int>(eventPath.size());
    int byBmc = pr.verdict == Verdict::Violated ? pr.length : none;
    int best = std::min({bySearch, byEvents, byBmc});
    if (best != none) {
      bool proven = eventsCovered >= best - 1 || (r.verdict == Verdict::Holds && r.depthChecked >= best - 1);
      const char* z3side = useEvents ? "event order" : "parallel";
      if (bySearch == best) {
        takeExplicit(r, proven ? "explicit, best-first + event order" : "explicit, best-first");
      } else {
        out.verdict = Verdict::Violated;
        out.length = best;
        out.answeredBy = fmt::format("{} + explicit", z3side);
        if (byEvents == best)
          explain(pathRaw(eventPath, out.model.quorumCount));
        else
          explain(parallelRaw(pr));
      }
      out.shortest = proven;
      out.reason = proven ? "" : interrupted ? "interrupted" : !r.reason.empty() ? r.reason : !eventsReason.empty() ? eventsReason : "time limit";
      // Not proven: what the two sides did rule out (no violation within this many actions).
      if (!proven) out.depthChecked = std::max(r.depthChecked, eventsCovered);
      return out;
    }
    if (eventsCovered >= req.depth) {
      out.verdict = Verdict::Holds;
      out.depthChecked = eventsCovered;
      out.answeredBy = "event order";
      return out;
    }
    if (r.verdict == Verdict::Holds || interrupted) {
      takeExplicit(r, "explicit, best-first");
      return out;
    }
    if (pr.verdict == Verdict::Holds) {
      out.verdict = Verdict::Holds;
      out.depthChecked = pr.depthChecked;
      out.answeredBy = "parallel";
      return out;
    }
    out.verdict = Verdict::Unknown;
    out.depthChecked = std::max({r.depthChecked, pr.depthChecked, eventsCovered});
    out.reason = !pr.reason.empty() ? pr.reason : !eventsReason.empty() ? eventsReason : r.reason;
    out.answeredBy = useEvents ? "explicit, best-first + event order" : "explicit, best-first + parallel";
    return out;
  }

  if (engine == "events") {
    std::string why = eventsApplicable(out.model, req.inst);
    if (!why.empty()) throw std::invalid_argument("--engine events does not apply to this model: " + why);
    std::atomic<int> found{req.depth};
    auto secondsLeft = [&] { return left > 0 ? std::max(0.01, req.timeoutSeconds - elapsed()) : 0.0; };
    EventSearch es = searchByEvents(interp, inv->holds, req.depth, found, req.stop, req.symmetry, secondsLeft,
                                    [&](const std::string& line) { if (req.progress) req.progress(line); });
    out.seconds = elapsed();
    out.answeredBy = "event order";
    out.depthChecked = es.covered;
    if (!es.path.empty()) {
      out.verdict = Verdict::Violated;
      out.length = static_cast<int>(es.path.size());
      out.shortest = es.covered >= out.length - 1;
      if (!out.shortest) out.reason = es.reason.empty() && req.stop && req.stop->load() ? "interrupted" : es.reason;
      explain(pathRaw(es.path, out.model.quorumCount));
    } else if (es.covered >= req.depth) {  // covered is never above --depth
      out.verdict = Verdict::Holds;
    } else {
      out.reason = es.reason;
    }
    return out;
  }

  if (engine == "parallel") {
    ParallelOptions po = parallelOptions(req, left);
    // Past the completeness threshold of parallel steps no new state appears.
    int height = parallelCompletenessThreshold(out.model, req.inst);
    po.maxHeight = height;
    ParallelResult r = checkParallel(out.model, req.inst, inv->holds, po);
    out.verdict = r.verdict;
    out.depthChecked = r.depthChecked;
    // Every run within --depth was covered; if --depth reaches the action threshold, every run.
    out.exhausted = r.verdict == Verdict::Holds && height >= 0 && r.depthChecked >= req.depth &&
                    out.threshold >= 0 && req.depth >= out.threshold;
    if (out.exhausted) out.depthChecked = out.threshold;
    out.length = r.length;
    out.reason = r.reason;
    out.seconds = elapsed();
    out.answeredBy = "parallel";
    out.shortest = r.shortest;
    if (r.verdict == Verdict::Violated) explain(parallelRaw(r));
    return out;
  }

  Z3Context context;
  z3::context& ctx = context();
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
