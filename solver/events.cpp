#include "solver/events.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <chrono>
#include <exception>
#include <functional>
#include <map>
#include <optional>
#include <thread>

#include "encoder/encode.hpp"
#include "model/footprint.hpp"
#include "solver/counting.hpp"
#include "solver/event_symmetry.hpp"
#include "solver/explicit.hpp"

namespace mw {

namespace {

bool readsState(const Expr& e) {
  if (e.kind == Kind::Read || e.kind == Kind::Sent) return true;
  return std::any_of(e.kids.begin(), e.kids.end(), readsState);
}

// Who owns what: the acceptor of every function cell, and of every ground action that writes
// function cells (-1: it writes none). Empty `why` if the encoding applies.
struct Owners {
  std::vector<int> ofCell, ofGround;
  std::string why;
};

Owners owners(const Model& m, const Instance& in, const std::vector<Ground>& grounds, const std::vector<Footprint>& fps) {
  Owners o;
  Layout L(m, in);
  for (size_t f = 0; f < m.funcs.size(); ++f)
    if (m.funcs[f].args.empty() || m.funcs[f].args[0] != Sort{Role::Process, false}) {
      o.why = fmt::format("state {} is not indexed by a process first", m.funcs[f].name);
      return o;
    }
  o.ofCell.resize(L.funcCells);
  for (int c = 0; c < L.funcCells; ++c) o.ofCell[c] = L.funcArgs(L.funcOf(c), c)[0];
  o.ofGround.assign(grounds.size(), -1);
  for (size_t k = 0; k < grounds.size(); ++k) {
    const Footprint& fp = fps[k];
    int owner = -1;
    bool mixed = false;
    forEachBit(fp.writeF, [&](int c) {
      if (owner >= 0 && o.ofCell[c] != owner) mixed = true;
      owner = o.ofCell[c];
    });
    // An action that writes nothing but reads a process's state (a send that depends on it,
    // Raft's AppendEntries) could be an event of that process that leaves its state as it was;
    // that gives the same answers, but on Raft the query is then slower than parallel BMC
    // (35 s against 3 s for an 8-action run at n = 3, T = 2, L = 1), so it is refused and auto
    // races parallel BMC instead.
    bool readsAny = false;
    forEachBit(fp.readF, [&](int c) { mixed |= o.ofCell[c] != owner, readsAny = true; });
    const Action& act = m.actions[grounds[k].action];
    if (owner < 0 && readsAny) {
      o.why = fmt::format("{} reads a process's state but writes none (a send that depends on the state)", act.name);
      return o;
    }
    if (mixed) {
      o.why = fmt::format("{} reads or writes the state of more than one process", act.name);
      return o;
    }
    if (owner < 0)
      for (auto& u : act.updates)
        for (auto& a : u.args)
          if (readsState(a)) {
            o.why = fmt::format("{} sends a message that depends on the state without writing any", act.name);
            return o;
          }
    o.ofGround[k] = owner;
  }
  return o;
}

// What every query of one model and instance shares, worked out once per call.
struct Shape {
  std::vector<Footprint> fps;
  Owners own;
  Symmetry symm;
  bool ordered = false;  // acceptors may be renamed: they are ordered by their actions
};

Shape shapeOf(const Model& m, const Instance& in, const Expr& invariant, bool symmetry) {
  Shape sh;
  auto grounds = groundActions(m, in);
  sh.fps = footprints(m, in, grounds);
  sh.own = owners(m, in, grounds, sh.fps);
  sh.symm = symmetry ? symmetryOf(m, invariant) : Symmetry{};
  sh.ordered = sh.symm.processes && !in.anyListed();
  return sh;
}

}  // namespace

std::string eventsApplicable(const Model& m, const Instance& in) {
  auto grounds = groundActions(m, in);
  return owners(m, in, grounds, footprints(m, in, grounds)).why;
}

namespace {

// The distinct actions used, counted in a tree by groups (solver/counting.hpp): a group
// is one action with its parameters other than acceptors (Phase1b at ballot 2, by any
// acceptor), so the tree has a literal "at least i actions of this group" and the budget over
// the whole tree. Each count over acceptors that the encoding built (a quorum in a guard, "at
// least q2 acceptors voted" in the invariant) whose members each need a message that only
// their own actions of one group send implies that group's count. All implied: they hold in
// every model of the query, so its answers are unchanged.
void impliedCounts(const Model& m, const Encoder& enc, const Owners& own, const std::vector<Footprint>& fps,
                   const std::vector<std::pair<int, z3::expr>>& usedOf, const std::vector<std::vector<z3::expr>>& active,
                   int K, std::vector<z3::expr>& cnst) {
  if (usedOf.empty()) return;
  z3::context& ctx = usedOf[0].second.ctx();
  const auto& grounds = enc.grounds();
  using Key = std::pair<int, std::vector<int>>;
  auto keyOf = [&](int k) {
    const Ground& g = grounds[k];
    const auto& ps = m.actions[g.action].params;
    Key key{g.action, {}};
    for (size_t i = 0; i < ps.size(); ++i)
      if (ps[i].sort.role != Role::Process) key.second.push_back(g.params[i]);
    return key;
  };
  std::map<Key, std::vector<std::vector<z3::expr>>> leaves;
  for (auto& [k, u] : usedOf) leaves[keyOf(k)].push_back({u});
  UnaryCounter counter(ctx, K + 1, cnst, "cnt");
  std::map<Key, std::vector<z3::expr>> count;
  std::map<int, std::vector<std::vector<z3::expr>>> byAction;
  for (auto& [key, ls] : leaves) byAction[key.first].push_back(count[key] = counter.merge(ls));
  std::vector<std::vector<z3::expr>> actions;
  for (auto& [a, parts] : byAction) actions.push_back(counter.merge(parts));
  std::vector<z3::expr> total = counter.merge(std::move(actions));
  if (static_cast<int>(total.size()) > K) cnst.push_back(!total[K]);
  {
    // The budget counts slots, and an owner's slots are its distinct actions plus repeats:
    // repeats_o >= i whenever slot j + i - 1 is active (active slots come first) and the owner
    // used at most j distinct actions.
    std::vector<std::vector<z3::expr>> parts{total};
    for (size_t o = 0; o < active.size(); ++o) {
      std::vector<std::vector<z3::expr>> mine;
      for (auto& [k, u] : usedOf)
        if (own.ofGround[k] == static_cast<int>(o)) mine.push_back({u});
      std::vector<z3::expr> distinct = counter.merge(mine);
      std::vector<z3::expr> repeats;
      for (int i = 1; i < static_cast<int>(active[o].size()); ++i) {
        z3::expr r = ctx.bool_const(fmt::format("rep{}_{}", o, i).c_str());
        for (int j = 0; j + i - 1 < static_cast<int>(active[o].size()); ++j) {
          if (j < static_cast<int>(distinct.size()))
            cnst.push_back(z3::implies(active[o][j + i - 1] && !distinct[j], r));
          else
            cnst.push_back(z3::implies(active[o][j + i - 1], r));
        }
        if (!repeats.empty()) cnst.push_back(z3::implies(r, repeats.back()));
        repeats.push_back(r);
      }
      if (!repeats.empty()) parts.push_back(std::move(repeats));
    }
    std::vector<z3::expr> slotsUsed = counter.merge(std::move(parts));
    if (static_cast<int>(slotsUsed.size()) > K) cnst.push_back(!slotsUsed[K]);
  }

  // Two counts over acceptors that together exceed n (a phase-1 quorum and the voters that
  // chose a value) have a member in common.
  const auto& sites = enc.countSites();
  for (size_t a = 0; a < sites.size(); ++a)
    for (size_t b = a + 1; b < sites.size(); ++b) {
      const size_t n = sites[a].members.size();
      if (sites[a].atLeast + sites[b].atLeast <= static_cast<int>(n) || sites[b].members.size() != n) continue;
      z3::expr_vector both(ctx);
      for (size_t x = 0; x < n; ++x) both.push_back(sites[a].members[x] && sites[b].members[x]);
      cnst.push_back(z3::implies(sites[a].holds && sites[b].holds, z3::mk_or(both)));
    }

  std::vector<std::vector<int>> producers(fps.empty() ? 0 : fps[0].writeR.size() * 64);
  for (size_t k = 0; k < fps.size(); ++k) forEachBit(fps[k].writeR, [&](int c) { producers[c].push_back(static_cast<int>(k)); });
  for (const CountSite& site : enc.countSites()) {
    std::optional<Key> group;
    bool one = true;  // every sender of every member's messages: that member's, one group
    for (size_t x = 0; x < site.cells.size() && one; ++x)
      for (int c : site.cells[x])
        for (int k : producers[c]) {
          if (own.ofGround[k] != static_cast<int>(x) || (group && *group != keyOf(k))) one = false;
          if (!group) group = keyOf(k);
        }
    if (!one || !group || site.atLeast <= 0) continue;
    auto it = count.find(*group);
    if (it == count.end()) {
      cnst.push_back(!site.holds);  // no action of the group can be used
    } else if (static_cast<int>(it->second.size()) >= site.atLeast) {
      cnst.push_back(z3::implies(site.holds, it->second[site.atLeast - 1]));
    } else if (static_cast<int>(it->second.size()) < K + 1) {
      cnst.push_back(!site.holds);  // the group has fewer actions than the count needs
    }
  }
}

// Which runs one query covers. With acceptors ordered by their numbers of actions (so acceptor
// 0 has the most), "every acceptor has at most C actions" and "acceptor 0 has more than C"
// split the runs in two; each half is a smaller query than the whole (measured: lowest-vote,
// n = 9, "none within 31": 38.7 s whole, 19.7 s + 1.3 s split at C = 7).
enum class Part { Whole, Quick, Few, Many };

EventsResult query(const Model& m, const Instance& in, const Expr& invariant, int budget, const EventsOptions& opts,
                   const Shape& shape, Part part, int split, double seconds) {
  using clock = std::chrono::steady_clock;
  auto start = clock::now();
  EventsResult res;
  Z3Context context;
  z3::context& ctx = context();
  Encoder enc(m, in, ctx);
  enc.recordCounts();
  const auto& grounds = enc.grounds();
  const Layout& L = enc.layout();
  const auto& fps = shape.fps;
  const Owners& own = shape.own;
  const int n = in.n, K = std::max(budget, 0);
  unsigned width = std::max(1, static_cast<int>(std::bit_width(static_cast<unsigned>(K))));
  auto sym = [](const z3::expr& e) { return Sym{e, 0}; };
  auto asBool = [&](const Sym& s) { return enc.boolOf(s); };
  const SymState init = enc.init();

  z3::solver solver = makeSolver(ctx);
  {
    z3::params p(ctx);
    if (opts.seed) p.set("random_seed", opts.seed);
    if (opts.eliminate) p.set("override_incremental", true);
    solver.set(p);
  }
  std::vector<z3::expr> cnst;  // everything asserted
  int index = 0;               // names each guard's quorum choices apart

  // A message seen by an event: a placeholder, defined once every sender is known.
  struct Sender {
    z3::expr cond, time;
  };
  std::vector<std::vector<Sender>> senders(L.relCells);
  struct Seen {
    int cell;
    z3::expr var, time;
  };
  std::vector<Seen> seen;
  auto view = [&](const std::vector<uint64_t>& readR, const z3::expr& time, const std::string& name) {
    SymState v = init;
    forEachBit(readR, [&](int c) {
      z3::expr x = ctx.bool_const(fmt::format("{}_sees{}", name, c).c_str());
      seen.push_back({c, x, time});
      v.r[c] = sym(x);
    });
    return v;
  };
  auto timeVar = [&](const std::string& name) {
    z3::expr t = ctx.bv_const(name.c_str(), width);
    if (K > 0) cnst.push_back(z3::ult(t, ctx.bv_val(K, width)));
    return t;
  };

  // Events that write no function cell: fire at most once.
  struct Event {
    int k;
    z3::expr fire, time;
  };
  std::vector<Event> events;
  z3::expr_vector counted(ctx);
  for (size_t k = 0; k < grounds.size(); ++k) {
    if (own.ofGround[k] >= 0) continue;
    std::string name = fmt::format("e{}", k);
    z3::expr fire = ctx.bool_const(name.c_str()), time = timeVar("t" + name);
    SymState v = view(fps[k].readR, time, name);
    SymStep st;
    GroundEffect eff = enc.effect(v, static_cast<int>(k), st, index++);
    if (eff.guard.known() && !eff.guard.c) continue;
    cnst.push_back(z3::implies(fire, asBool(eff.guard)));
    for (auto& [cell, cond] : eff.sends) senders[cell].push_back({fire && asBool(cond), time});
    events.push_back({static_cast<int>(k), fire, time});
    counted.push_back(fire);
  }

  // The owner that alone may send each message (-1: none, or more than one sender).
  std::vector<int> onlySender(L.relCells, -2);
  for (size_t k = 0; k < grounds.size(); ++k)
    forEachBit(fps[k].writeR, [&](int c) {
      int o = own.ofGround[k];
      onlySender[c] = onlySender[c] == -2 || onlySender[c] == o ? o : -1;
    });

  // Each owner's slots.
  const Symmetry& symm = shape.symm;
  const bool ordered = shape.ordered;
  std::vector<std::vector<int>> local(n), cells(n);
  for (size_t k = 0; k < grounds.size(); ++k)
    if (own.ofGround[k] >= 0) local[own.ofGround[k]].push_back(static_cast<int>(k));
  for (int c = 0; c < L.funcCells; ++c) cells[own.ofCell[c]].push_back(c);
  struct Slot {
    z3::expr active, time;
    std::vector<std::pair<int, z3::expr>> choice;  // ground action, chosen
  };
  std::vector<std::vector<Slot>> slots(n);
  SymState last = init;  // function cells after every owner's last slot
  bool capped = false;   // some owner has fewer slots than a run within the budget may need
  for (int o = 0; o < n; ++o) {
    if (local[o].empty()) continue;
    std::vector<uint64_t> readR(fps[0].readR.size(), 0);
    for (int k : local[o])
      for (size_t w = 0; w < readR.size(); ++w) readR[w] |= fps[k].readR[w];
    int count = ordered ? K / (o + 1) : K;
    if (part == Part::Quick && static_cast<int>(local[o].size()) < count) {
      count = static_cast<int>(local[o].size());
      capped = true;
    }
    if (part == Part::Few) count = std::min(count, split);
    SymState before = init;
    std::map<int, z3::expr> sentSoFar;  // messages only this owner sends: sent by an earlier slot
    for (int j = 0; j < count; ++j) {
      std::string name = fmt::format("s{}_{}", o, j);
      z3::expr active = ctx.bool_const(name.c_str()), time = timeVar("t" + name);
      SymState v = view(readR, time, name);
      for (int c : cells[o]) v.f[c] = before.f[c];
      Slot slot{active, time, {}};
      // Each local action this slot may take: its guard on the slot's view, its writes.
      std::vector<std::pair<z3::expr, GroundEffect>> options;
      z3::expr_vector chosen(ctx), effective(ctx);
      std::vector<std::pair<int, z3::expr>> sendsHere;
      for (int k : local[o]) {
        SymStep st;
        GroundEffect eff = enc.effect(v, k, st, index++);
        if (eff.guard.known() && !eff.guard.c) continue;
        z3::expr c = ctx.bool_const(fmt::format("{}_k{}", name, k).c_str());
        cnst.push_back(z3::implies(c, asBool(eff.guard)));
        for (auto& [cell, cond] : eff.sends) {
          senders[cell].push_back({c && asBool(cond), time});
          if (onlySender[cell] != o) {
            effective.push_back(c && asBool(cond));
            continue;
          }
          auto was = sentSoFar.find(cell);
          effective.push_back(c && asBool(cond) && (was == sentSoFar.end() ? ctx.bool_val(true) : !was->second));
          sendsHere.emplace_back(cell, c && asBool(cond));
        }
        slot.choice.emplace_back(k, c);
        chosen.push_back(c);
        options.emplace_back(c, std::move(eff));
      }
      if (chosen.empty()) break;
      cnst.push_back(active == z3::mk_or(chosen));
      if (chosen.size() > 1) cnst.push_back(z3::atmost(chosen, 1));
      // The owner's cells after the slot: fresh variables, like BMC's written cells.
      SymState after = before;
      for (int c : cells[o]) {
        bool written = false;
        for (auto& [ch, eff] : options) written |= !sameSym(eff.next.f[c], before.f[c]);
        if (!written) continue;
        z3::expr value = enc.bvOf(before.f[c]);
        for (auto& [ch, eff] : options) value = z3::ite(ch, enc.bvOf(eff.next.f[c]), value);
        z3::expr fresh = ctx.bv_const(fmt::format("{}_f{}", name, c).c_str(), enc.bvOf(before.f[c]).get_sort().bv_size());
        cnst.push_back(fresh == value);
        after.f[c] = sym(fresh);
        effective.push_back(fresh != enc.bvOf(before.f[c]));
      }
      // A shortest run has no step that changes nothing: the slot writes a new value or sends
      // a message not sent before.
      cnst.push_back(z3::implies(active, effective.empty() ? ctx.bool_val(false) : z3::mk_or(effective)));
      for (auto& [cell, cond] : sendsHere) {
        auto was = sentSoFar.find(cell);
        if (was == sentSoFar.end())
          sentSoFar.emplace(cell, cond);
        else
          was->second = was->second || cond;
      }
      if (j > 0) {
        const Slot& prev = slots[o].back();
        cnst.push_back(z3::implies(active, prev.active && z3::ult(prev.time, time)));
      }
      if (ordered && o > 0 && j < static_cast<int>(slots[o - 1].size()))
        cnst.push_back(z3::implies(active, slots[o - 1][j].active));
      counted.push_back(active);
      slots[o].push_back(std::move(slot));
      before = std::move(after);
    }
    for (int c : cells[o]) last.f[c] = before.f[c];
  }

  // Symmetry breaking (solver/event_symmetry.hpp).
  if (ordered && sameShape(m, grounds, local)) {
    std::vector<std::vector<SlotVars>> vars(n);
    for (int o = 0; o < n; ++o)
      for (auto& sl : slots[o]) {
        SlotVars v{sl.active, {}};
        for (auto& [k, c] : sl.choice)
          v.choice.emplace_back(static_cast<int>(std::find(local[o].begin(), local[o].end(), k) - local[o].begin()), c);
        vars[o].push_back(std::move(v));
      }
    orderProcesses(ctx, vars, static_cast<int>(local[0].size()), cnst);
  }
  if (symm.values && in.values > 1) {
    std::vector<std::pair<int, z3::expr>> fires;
    for (auto& e : events) fires.emplace_back(e.k, e.fire);
    orderValues(ctx, m, in, grounds, fires, cnst);
  }

  // What each event sees: a message some sender sent at an earlier time.
  for (auto& s : seen) {
    z3::expr_vector any(ctx);
    for (auto& snd : senders[s.cell]) any.push_back(snd.cond && z3::ult(snd.time, s.time));
    cnst.push_back(s.var == (any.empty() ? ctx.bool_val(false) : z3::mk_or(any)));
  }

  // Events that may depend on each other do not share a time.
  auto depends = [&](int k1, int k2) { return dependent(fps[k1], fps[k2]); };
  for (size_t x = 0; x < events.size(); ++x) {
    for (size_t y = x + 1; y < events.size(); ++y)
      if (depends(events[x].k, events[y].k))
        cnst.push_back(z3::implies(events[x].fire && events[y].fire, events[x].time != events[y].time));
    for (int o = 0; o < n; ++o) {
      bool dep = std::any_of(local[o].begin(), local[o].end(), [&](int k) { return depends(events[x].k, k); });
      if (!dep) continue;
      for (auto& s : slots[o]) cnst.push_back(z3::implies(events[x].fire && s.active, events[x].time != s.time));
    }
  }
  for (int o = 0; o < n; ++o)
    for (int p = o + 1; p < n; ++p) {
      bool dep = false;
      for (int k1 : local[o])
        for (int k2 : local[p]) dep = dep || depends(k1, k2);
      if (!dep) continue;
      for (auto& s : slots[o])
        for (auto& t : slots[p]) cnst.push_back(z3::implies(s.active && t.active, s.time != t.time));
    }

  // The end of the run breaks the invariant, within the budget.
  for (int c = 0; c < L.relCells; ++c) {
    z3::expr_vector any(ctx);
    for (auto& snd : senders[c]) any.push_back(snd.cond);
    last.r[c] = any.empty() ? init.r[c] : sym(z3::mk_or(any));
  }
  cnst.push_back(!asBool(enc.holds(last, invariant)));
  if (counted.size() > 0) cnst.push_back(z3::atmost(counted, static_cast<unsigned>(K)));
  // Implied, and the count Z3 can reason with: the distinct actions used are at most the
  // budget (a tree of counts by group, in impliedCounts). Without it, seeing that an
  // acceptor's four required actions take four of its slots is a pigeonhole argument over slot
  // positions, which CDCL finds hard.
  std::vector<std::pair<int, z3::expr>> usedOf;  // ground action, used
  for (auto& e : events) usedOf.emplace_back(e.k, e.fire);
  for (int o = 0; o < n; ++o)
    for (int k : local[o]) {
      z3::expr_vector in(ctx);
      for (auto& s : slots[o])
        for (auto& [kk, c] : s.choice)
          if (kk == k) in.push_back(c);
      if (in.empty()) continue;
      z3::expr u = ctx.bool_const(fmt::format("used{}", k).c_str());
      cnst.push_back(u == z3::mk_or(in));
      usedOf.emplace_back(k, u);
    }
  // The same bound once more as one flat cardinality constraint. The tree implies it, yet
  // without it the race at no-promise-on-accept n = 9 took 10.8 to 11.1 s against 9.6 to 10.2 s.
  z3::expr_vector used(ctx);
  for (auto& [k, u] : usedOf) used.push_back(u);
  if (used.size() > 0) cnst.push_back(z3::atmost(used, static_cast<unsigned>(K)));
  std::vector<std::vector<z3::expr>> active(n);
  for (int o = 0; o < n; ++o)
    for (auto& sl : slots[o]) active[o].push_back(sl.active);
  impliedCounts(m, enc, own, fps, usedOf, active, K, cnst);
  if (part == Part::Many) cnst.push_back(split < static_cast<int>(slots[0].size()) ? slots[0][split].active : ctx.bool_val(false));
  for (auto& c : cnst) solver.add(c);

  StopWatcher watcher(opts.stop, ctx);
  if (seconds > 0) {
    double left = seconds - std::chrono::duration<double>(clock::now() - start).count();
    z3::params p(ctx);
    p.set("timeout", static_cast<unsigned>(std::max(left, 0.001) * 1000) + 1);
    solver.set(p);
  }
  z3::check_result r;
  try {
    r = solver.check();
  } catch (const z3::exception& e) {
    res.reason = limitReason(e);
    return res;
  }
  if (r == z3::unsat) {
    if (capped)
      res.reason = "no violation with each process's actions in its slots";
    else
      res.verdict = Verdict::Holds;
    return res;
  }
  if (r == z3::unknown) {
    res.reason = unknownReason(solver, opts.stop);
    return res;
  }
  // The run: fired events in time order (equal times are independent; any order will do).
  // A stop that arrives now (Ctrl-C, or the other half found a run) may cancel the model's
  // evaluation: that is "interrupted", not a failure.
  try {
    z3::model mod = solver.get_model();
    std::vector<std::pair<int, int>> order;  // time, ground action
    auto timeOf = [&](const z3::expr& t) { return static_cast<int>(mod.eval(t, true).get_numeral_uint()); };
    for (auto& e : events)
      if (mod.eval(e.fire, true).is_true()) order.emplace_back(timeOf(e.time), e.k);
    for (auto& os : slots)
      for (auto& s : os)
        for (auto& [k, c] : s.choice)
          if (mod.eval(c, true).is_true()) order.emplace_back(timeOf(s.time), k);
    std::stable_sort(order.begin(), order.end(), [](auto& a, auto& b) { return a.first < b.first; });
    res.verdict = Verdict::Violated;
    for (auto& [t, k] : order) res.path.push_back(grounds[k]);
    return res;
  } catch (const z3::exception& e) {
    res.reason = opts.stop && opts.stop->load() ? "interrupted" : limitReason(e);
    return res;
  }
}

// The two halves on two threads. Thread 1 asks the "few" half; thread 2 the "many" half, and
// then the "few" half again with another random seed (Z3's time to find a run varies several-
// fold with it: no-promise-on-accept, n = 9, within 33: 2.6 to 13.6 s over seeds 0 to 3). The
// first answer to the "few" half counts; a run found anywhere ends every query; "no" needs
// the "many" half's "no" and one "few" "no". Measured against asking each half with two seeds
// at once (no-promise-on-accept, n = 7 and 9, three runs each): 7.0 and 30 s against 9.3 and
// 27.5 s.
EventsResult sideBySide(const Model& m, const Instance& in, const Expr& invariant, int budget, const EventsOptions& opts,
                        const Shape& shape, int split, const std::function<double()>& left) {
  std::atomic<bool> stopFew1{false}, stopMany{false}, stopFew2{false}, over{false};
  std::atomic<bool> runFound{false}, fewDecided{false};
  Wakeup relayWake;  // woken with `over`
  auto with = [&](std::atomic<bool>& stop, unsigned seed) {
    EventsOptions o = opts;
    o.stop = &stop;
    o.seed = seed;
    return o;
  };
  std::thread relay([&] {
    while (!over.load()) {
      bool all = runFound.load() || (opts.stop && opts.stop->load());
      if (all) stopMany = true;
      if (all || fewDecided.load()) stopFew1 = stopFew2 = true;
      relayWake.sleep(10);
    }
  });
  auto decided = [](const EventsResult& r) { return r.verdict != Verdict::Unknown; };
  EventsResult few1, many, few2;
  std::exception_ptr failed;  // what the second thread threw, thrown again here
  std::thread second([&] {
    try {
      many = query(m, in, invariant, budget, with(stopMany, opts.seed), shape, Part::Many, split, left());
      if (many.verdict == Verdict::Violated) runFound = true;
      if (many.verdict != Verdict::Holds || fewDecided.load()) return;
      few2 = query(m, in, invariant, budget, with(stopFew2, opts.seed + 1), shape, Part::Few, split, left());
      if (few2.verdict == Verdict::Violated) runFound = true;
      if (decided(few2)) fewDecided = true;
    } catch (...) {
      failed = std::current_exception();
      runFound = true;  // stops the first thread too
    }
  });
  try {
    few1 = query(m, in, invariant, budget, with(stopFew1, opts.seed), shape, Part::Few, split, left());
  } catch (...) {
    runFound = true;
    second.join();
    over = true;
    relayWake.wake();
    relay.join();
    throw;
  }
  if (few1.verdict == Verdict::Violated) runFound = true;
  if (decided(few1)) fewDecided = true;
  second.join();
  over = true;
  relayWake.wake();
  relay.join();
  if (failed) std::rethrow_exception(failed);
  for (EventsResult* r : {&few1, &many, &few2})
    if (r->verdict == Verdict::Violated) return std::move(*r);
  if (opts.stop && opts.stop->load()) {
    EventsResult res;
    res.reason = "interrupted";
    return res;
  }
  bool fewHolds = few1.verdict == Verdict::Holds || few2.verdict == Verdict::Holds;
  if (fewHolds && many.verdict == Verdict::Holds) return many;
  EventsResult res;  // a limit: the reason of a query that met it
  res.reason = !decided(few1) && few1.reason != "interrupted" ? few1.reason : many.reason;
  if (res.reason.empty() || res.reason == "interrupted") res.reason = "time limit";
  return res;
}

}  // namespace

EventsResult violationWithin(const Model& m, const Instance& in, const Expr& invariant, int budget,
                             const EventsOptions& opts) {
  auto start = std::chrono::steady_clock::now();
  auto left = [&] {
    if (opts.timeoutSeconds <= 0) return 0.0;
    return std::max(0.001, opts.timeoutSeconds - std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  };
  Shape shape = shapeOf(m, in, invariant, opts.symmetry);
  if (!shape.own.why.empty()) {
    EventsResult res;
    res.reason = "the event encoding does not apply: " + shape.own.why;
    return res;
  }
  // Split where acceptor 0 has two actions fewer than it has ground actions (B + B*V - 2 in
  // Paxos): the "many" half is then the runs that spend most of acceptor 0's actions on votes
  // and promises a violation cannot use. It is not free (no-promise-on-accept, n = 9, within
  // 31: 3 to 5 s, as long as the other half), but the two halves are each smaller than the
  // whole query (docs/events.md).
  int mine = static_cast<int>(std::count(shape.own.ofGround.begin(), shape.own.ofGround.end(), 0));
  int split = std::max(1, mine - 2);
  bool halves = shape.ordered && budget > split;
  if (halves && opts.threads > 1 && !opts.fewRuledOut) return sideBySide(m, in, invariant, budget, opts, shape, split, left);
  if (opts.quick && !halves) return query(m, in, invariant, budget, opts, shape, Part::Quick, 0, left());
  if (opts.quick) {
    EventsResult few = query(m, in, invariant, budget, opts, shape, Part::Few, split, left());
    if (few.verdict == Verdict::Holds) {
      few.verdict = Verdict::Unknown;
      few.reason = fmt::format("no violation in which every process takes at most {} actions", split);
      few.fewRuledOut = true;
    }
    return few;
  }
  if (halves) {
    EventsResult many = query(m, in, invariant, budget, opts, shape, Part::Many, split, left());
    if (many.verdict != Verdict::Holds || opts.fewRuledOut) return many;
    return query(m, in, invariant, budget, opts, shape, Part::Few, split, left());
  }
  return query(m, in, invariant, budget, opts, shape, Part::Whole, 0, left());
}

}  // namespace mw
