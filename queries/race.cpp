#include "queries/race.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <exception>
#include <limits>
#include <mutex>
#include <thread>

#include "solver/event_search.hpp"
#include "solver/events.hpp"

namespace mw {

namespace {

// The race's threads and the flags between them. Ctrl-C (the query's stop) reaches each side
// through its own flag, so that one side can also be stopped alone.
struct Sides {
  std::atomic<bool> stopZ3{false}, stopSearch{false}, searchDone{false}, over{false};
  Wakeup relayWake, z3Wake;  // woken with `over`; with stopZ3 or searchDone
  std::thread relay, z3, search;

  void stopZ3Side() {
    stopZ3 = true;
    z3Wake.wake();
  }
  // Joins the Z3 side and the relay.
  void finish() {
    z3.join();
    over = true;
    relayWake.wake();
    relay.join();
  }
};

}  // namespace

Outcome race(const EngineQuery& query, double z3DelaySeconds) {
  auto start = std::chrono::steady_clock::now();
  auto elapsed = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(); };
  std::mutex printing;
  auto say = [&](const std::string& line) {
    std::lock_guard<std::mutex> g(printing);
    if (query.progress) query.progress(line);
  };
  const double left = query.timeoutSeconds;  // 0: none
  const double budget = left > 0 ? left : 60;  // A*'s own deadline when there is none
  std::atomic<int> target{query.depth};  // both sides': one less than the shortest so far
  bool useEvents = eventsApplicable(*query.model, query.inst).empty();
  bool noZ3Side = !useEvents && z3DelaySeconds > 0 && groundActions(*query.model, query.inst).size() > kManyGrounds;
  Sides sides;
  EngineQuery z3q = query, searchQ = query;
  z3q.stop = &sides.stopZ3;
  z3q.target = &target;
  z3q.progress = query.progress ? std::function<void(const std::string&)>([&](const std::string& l) {
    say(useEvents ? l : "parallel BMC: " + l);
  })
                                : nullptr;
  searchQ.target = &target;
  searchQ.progress = query.progress ? std::function<void(const std::string&)>(say) : nullptr;

  sides.relay = std::thread([&] {
    while (!sides.over.load()) {
      if (query.stop && query.stop->load()) {
        sides.stopSearch = true;
        sides.stopZ3Side();
      }
      sides.relayWake.sleep(20);
    }
  });
  auto z3Left = [&] { return std::max(0.01, budget - elapsed()); };
  Outcome z3;
  std::exception_ptr z3Failed;
  sides.z3 = std::thread([&] {
    // Woken early when the search is done or the race is stopped.
    if (noZ3Side) return;
    if (z3DelaySeconds > 0) sides.z3Wake.sleep(static_cast<int>(z3DelaySeconds * 1000));
    if (sides.stopZ3.load()) return;
    try {
      // The event query has a deadline of its own (the search's budget, less what has passed);
      // parallel BMC only the one asked for.
      if (useEvents || left > 0) z3q.timeoutSeconds = z3Left();
      if (useEvents) {
        z3 = eventsEngine(kTwoThreadsAfter)->check(z3q);
        if (z3.depthChecked >= target.load()) sides.stopSearch = true;  // A* has nothing left to answer
      } else {
        z3 = parallelEngine({.proveShortest = false, .minimiseSeconds = budget, .stopAtStepThreshold = false})->check(z3q);
        if (z3.verdict == Verdict::Holds) sides.stopSearch = true;  // nothing within the depth: A* can stop
      }
    } catch (...) {
      z3Failed = std::current_exception();
      sides.stopSearch = true;
    }
  });
  // The search side, on a thread of its own while the Z3 side starts. Breadth-first with a
  // state cap first; else A*, which 2 s after the race began yields the CPU to the event
  // query, which from then on runs the two halves of its queries side by side
  // (solver/event_search.hpp). Most questions A* answers, it answers before that.
  Outcome s;
  bool firstTry = false;  // s is the capped breadth-first search's answer
  std::exception_ptr searchFailed;
  sides.search = std::thread([&] {
    try {
      // Only Ctrl-C stops this try: a Z3 side that is done first has at best "holds to the
      // depth", and running out of states says "every run". From n = 5 up a state costs
      // more and A* is the better use of the time.
      EngineQuery bq = query;
      bq.timeoutSeconds = left > 0 ? left / 4 : 10;
      s = explicitEngine({.stateCap = query.inst.n <= 4 ? 100'000L : 20'000L})->check(bq);
      if (s.verdict != Verdict::Unknown || (query.stop && query.stop->load())) {
        firstTry = true;
        return;
      }
      say(fmt::format("explicit search: {} after {} states; switching to bounded search", s.reason, s.states));
      double used = elapsed();
      searchQ.stop = &sides.stopSearch;
      searchQ.timeoutSeconds = std::max(0.01, budget - used);
      double yieldAfter = useEvents ? std::max(0.001, kTwoThreadsAfter - used) : 0;
      s = explicitEngine({.bestFirst = true, .yieldAfterSeconds = yieldAfter})->check(searchQ);
    } catch (...) {
      searchFailed = std::current_exception();
    }
  });
  sides.search.join();
  if (searchFailed || firstTry) {
    sides.stopZ3Side();
    sides.finish();
    if (searchFailed) std::rethrow_exception(searchFailed);
    s.seconds = elapsed();
    return s;
  }
  sides.searchDone = true;
  sides.z3Wake.wake();
  bool interrupted = query.stop && query.stop->load();
  // The Z3 side is only worth waiting for if A* did not answer: BMC if A* has no trace of its
  // own, the event query until it proves or finds one shorter (it has its own deadline).
  bool searchAnswered = s.verdict == Verdict::Holds || (s.verdict == Verdict::Violated && s.shortest);
  if ((searchAnswered && !sides.stopSearch.load()) || interrupted || (!useEvents && target.load() < query.depth))
    sides.stopZ3 = true;
  sides.finish();
  if (z3Failed) std::rethrow_exception(z3Failed);
  interrupted = query.stop && query.stop->load();
  say(fmt::format("best-first search: lower bound at the initial state {}; {} states", s.initialBound, s.states));
  double seconds = elapsed();
  s.seconds = seconds;
  if (s.verdict == Verdict::Violated && s.shortest) return s;

  // The shortest trace either side found; shortest if the search or the event query covered
  // every shorter run.
  const int none = std::numeric_limits<int>::max();
  int bySearch = s.verdict == Verdict::Violated ? s.length : none;
  int byZ3 = z3.verdict == Verdict::Violated ? z3.length : none;
  int eventsCovered = useEvents ? z3.depthChecked : -1;
  std::string z3Reason = useEvents ? z3.reason : "";
  int best = std::min(bySearch, byZ3);
  Outcome out;
  out.states = s.states;
  out.seconds = seconds;
  if (best != none) {
    bool proven = eventsCovered >= best - 1 || (s.verdict == Verdict::Holds && s.depthChecked >= best - 1);
    if (bySearch == best) {
      out = std::move(s);
      out.seconds = seconds;
      if (proven) out.engine = "explicit, best-first + event order";
    } else {
      out.verdict = Verdict::Violated;
      out.length = best;
      out.engine = fmt::format("{} + explicit", useEvents ? "event order" : "parallel");
      out.trace = std::move(z3.trace);
    }
    out.shortest = proven;
    out.reason = proven        ? ""
                 : interrupted ? "interrupted"
                 : !s.reason.empty() ? s.reason
                 : !z3Reason.empty() ? z3Reason
                                     : "time limit";
    // Not proven: what the two sides did rule out (no violation within this many actions).
    if (!proven) out.depthChecked = std::max(s.depthChecked, eventsCovered);
    return out;
  }
  if (useEvents && z3.verdict == Verdict::Holds) {
    out.verdict = Verdict::Holds;
    out.depthChecked = z3.depthChecked;
    out.engine = "event order";
    return out;
  }
  if (s.verdict == Verdict::Holds || interrupted) {
    s.seconds = seconds;
    return s;
  }
  if (z3.verdict == Verdict::Holds) {
    out.verdict = Verdict::Holds;
    out.depthChecked = z3.depthChecked;
    out.engine = "parallel";
    return out;
  }
  out.verdict = Verdict::Unknown;
  out.depthChecked = std::max({s.depthChecked, z3.depthChecked, eventsCovered});
  out.reason = !useEvents && !z3.reason.empty() ? z3.reason : !z3Reason.empty() ? z3Reason : s.reason;
  out.engine = useEvents ? "explicit, best-first + event order" : noZ3Side ? "explicit, best-first" : "explicit, best-first + parallel";
  return out;
}

}  // namespace mw
