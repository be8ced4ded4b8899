#include "solver/event_search.hpp"

#include <fmt/format.h>

#include <chrono>

#include "solver/distance.hpp"
#include "solver/events.hpp"

namespace mw {

std::vector<Ground> dropUnneeded(const Interp& interp, const Expr& inv, std::vector<Ground> path) {
  // The length of the shortest prefix of p that is a run breaking inv (0: none).
  std::vector<uint32_t> quorums(interp.model().quorumCount);
  auto breaksAfter = [&](const std::vector<Ground>& p) -> size_t {
    State s = interp.init();
    for (size_t i = 0; i < p.size(); ++i) {
      std::fill(quorums.begin(), quorums.end(), kFree);
      if (!interp.enabled(s, p[i], quorums)) return 0;
      s = interp.apply(s, p[i]);
      if (!interp.holds(s, inv)) return i + 1;
    }
    return 0;
  };
  for (bool dropped = true; dropped;) {
    dropped = false;
    for (size_t i = path.size(); i-- > 0;) {
      std::vector<Ground> without = path;
      without.erase(without.begin() + static_cast<long>(i));
      if (size_t at = breaksAfter(without)) {
        without.resize(at);
        path = std::move(without);
        dropped = true;
        i = std::min(i, path.size());
      }
    }
  }
  return path;
}

// Each query asks for one action less than the shortest run known: first a quick query (a run
// found is a run; a quick "no" proves nothing), then, when that finds nothing, the full query,
// whose "no" proves the shortest known shortest. Each run found is first cut to the actions its
// violation needs (dropUnneeded), which at n = 7 and 9 lands on the shortest length, so this
// steps down fast; bisecting from the lower bound of the initial state, which is far below the
// shortest run there (20 against 27, 24 against 32), spent its probes where nothing is found.
EventSearch searchByEvents(const Interp& interp, const Expr& inv, int depth, std::atomic<int>& found,
                           const std::atomic<bool>* stop, bool symmetry, const std::function<double()>& secondsLeft,
                           const std::function<void(const std::string&)>& say, double twoThreadsAfter) {
  const Model& m = interp.model();
  const Instance& in = interp.layout().inst;
  EventSearch out;
  EventsOptions evo;
  evo.stop = stop;
  evo.symmetry = symmetry;
  int lo = Distance(m, in, inv)(interp.init());  // no violation within lo - 1
  out.covered = std::min(lo - 1, depth);
  auto start = std::chrono::steady_clock::now();
  auto elapsed = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(); };
  while (!(stop && stop->load())) {
    int hi = found.load() + 1;  // a violation of hi actions is known (if hi <= depth)
    if (lo >= hi) break;
    int within = hi - 1;
    double began = elapsed();
    evo.threads = began >= twoThreadsAfter ? 2 : 1;
    evo.eliminate = hi <= depth;  // a run is known: this query is likely "no" (docs/events.md)
    evo.quick = true;
    evo.timeoutSeconds = secondsLeft();
    EventsResult e = violationWithin(m, in, inv, within, evo);
    evo.quick = false;
    if (e.verdict == Verdict::Unknown && !(stop && stop->load())) {
      evo.timeoutSeconds = secondsLeft();
      evo.fewRuledOut = e.fewRuledOut;
      e = violationWithin(m, in, inv, within, evo);
      evo.fewRuledOut = false;
    }
    if (e.verdict == Verdict::Unknown) {
      out.reason = e.reason;
      break;
    }
    if (e.verdict == Verdict::Holds) {
      out.covered = within;
      lo = within + 1;
      say(fmt::format("event order: no violation within {} actions ({:.1f} s)", within, elapsed() - began));
      continue;
    }
    size_t foundLength = e.path.size();
    out.path = dropUnneeded(interp, inv, std::move(e.path));
    if (out.path.size() < foundLength)
      say(fmt::format("event order: a violation of {} actions, {} without the actions it does not need ({:.1f} s)", foundLength,
                      out.path.size(), elapsed() - began));
    else
      say(fmt::format("event order: a violation of {} actions ({:.1f} s)", foundLength, elapsed() - began));
    lowerTarget(found, static_cast<int>(out.path.size()));
  }
  return out;
}

}  // namespace mw
