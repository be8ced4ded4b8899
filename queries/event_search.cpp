#include "queries/event_search.hpp"

#include <fmt/format.h>

#include <chrono>

#include "solver/distance.hpp"
#include "solver/events.hpp"

namespace mw {

void lowerTarget(std::atomic<int>& found, int actions) {
  int want = actions - 1;
  for (int cur = found.load(); want < cur && !found.compare_exchange_weak(cur, want);) {}
}

// Near the shortest known (best-first search often finds it at once) the search asks straight for
// one action less: the "no" that proves it shortest is the expensive query, and bisecting
// below it would only add more of them. Probes below that are quick queries only (a run found
// is a run; a quick "no" proves nothing, and then the next query is for one action less than
// the shortest).
EventSearch searchByEvents(const Interp& interp, const Expr& inv, int depth, std::atomic<int>& found,
                           const std::atomic<bool>* stop, bool symmetry, const std::function<double()>& secondsLeft,
                           const std::function<void(const std::string&)>& say) {
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
  int probed = -1;  // the shortest known when a quick probe below it last found nothing
  while (!(stop && stop->load())) {
    int hi = found.load() + 1;  // a violation of hi actions is known (if hi <= depth)
    if (lo >= hi) break;
    bool known = hi <= depth;
    int within = !known || hi - lo <= 8 || probed == hi ? hi - 1 : lo + (hi - lo) / 2;
    double began = elapsed();
    EventsResult e;
    // Quick first below the middle, within --depth, and when the middle found nothing quick.
    if (within != hi - 1 || !known || probed == hi) {
      evo.quick = true;
      evo.timeoutSeconds = secondsLeft();
      e = violationWithin(m, in, inv, within, evo);
      evo.quick = false;
      // Nothing quick below the middle: the full "no" there would cost more than it helps
      // (it only moves the bisection's floor); go for one action less than the shortest.
      if (known && within != hi - 1 && e.verdict != Verdict::Violated) {
        probed = hi;
        continue;
      }
    }
    if (e.verdict != Verdict::Violated && !(stop && stop->load())) {
      evo.timeoutSeconds = secondsLeft();
      e = violationWithin(m, in, inv, within, evo);
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
    say(fmt::format("event order: a violation of {} actions ({:.1f} s)", e.path.size(), elapsed() - began));
    out.path = std::move(e.path);
    lowerTarget(found, static_cast<int>(out.path.size()));
  }
  return out;
}

}  // namespace mw
