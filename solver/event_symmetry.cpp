#include "solver/event_symmetry.hpp"

#include <algorithm>
#include <bit>
#include <map>

namespace mw {

bool sameShape(const Model& m, const std::vector<Ground>& grounds, const std::vector<std::vector<int>>& local) {
  int n = static_cast<int>(local.size());
  for (int o = 1; o < n; ++o) {
    if (local[o].size() != local[0].size()) return false;
    for (size_t i = 0; i < local[o].size(); ++i) {
      const Ground &g = grounds[local[0][i]], &h = grounds[local[o][i]];
      if (g.action != h.action || g.params.size() != h.params.size()) return false;
      const auto& ps = m.actions[g.action].params;
      for (size_t x = 0; x < ps.size(); ++x) {
        bool acc = ps[x].sort.role == Role::Process;
        int swapped = acc && h.params[x] == o ? 0 : acc && h.params[x] == 0 ? o : h.params[x];
        if (swapped != g.params[x]) return false;
      }
    }
  }
  return true;
}

void orderProcesses(z3::context& ctx, const std::vector<std::vector<SlotVars>>& slots, int actions, std::vector<z3::expr>& out) {
  // A slot's action as a number: 0 when inactive, else its position + 1.
  unsigned width = std::max(1, static_cast<int>(std::bit_width(static_cast<unsigned>(actions + 1))));
  auto number = [&](const SlotVars& s) {
    z3::expr v = ctx.bv_val(0, width);
    for (auto& [pos, chosen] : s.choice) v = z3::ite(chosen, ctx.bv_val(pos + 1, width), v);
    return v;
  };
  for (size_t o = 1; o < slots.size(); ++o) {
    auto &hi = slots[o - 1], &lo = slots[o];
    // Equally many active slots (the slot constraints already make the counts fall)...
    z3::expr_vector same(ctx);
    for (size_t j = 0; j < hi.size(); ++j) same.push_back(j < lo.size() ? hi[j].active == lo[j].active : !hi[j].active);
    z3::expr eq = same.empty() ? ctx.bool_val(true) : z3::mk_and(same);
    // ...then the actions, slot by slot, in falling lexicographic order.
    for (size_t j = 0; j < lo.size(); ++j) {
      z3::expr a = number(hi[j]), b = number(lo[j]);
      out.push_back(z3::implies(eq, z3::uge(a, b)));
      eq = eq && a == b;
    }
  }
}

void orderValues(z3::context& ctx, const Model& m, const Instance& in, const std::vector<Ground>& grounds,
                 const std::vector<std::pair<int, z3::expr>>& events, std::vector<z3::expr>& out) {
  std::map<std::pair<int, std::vector<int>>, size_t> at;  // (action, params) -> event
  for (size_t x = 0; x < events.size(); ++x) at[{grounds[events[x].first].action, grounds[events[x].first].params}] = x;
  // Renaming acceptors afterwards leaves events without acceptor parameters as they are, so
  // the acceptor order can still be had after this one.
  std::vector<size_t> plain;
  for (size_t x = 0; x < events.size(); ++x) {
    const auto& ps = m.actions[grounds[events[x].first].action].params;
    if (std::none_of(ps.begin(), ps.end(), [](const Param& p) { return p.sort.role == Role::Process; })) plain.push_back(x);
  }
  for (int v = 0; v + 1 < in.values; ++v) {
    z3::expr eq = ctx.bool_val(true);
    for (size_t x : plain) {
      const Ground& g = grounds[events[x].first];
      std::vector<int> swapped = g.params;
      const auto& ps = m.actions[g.action].params;
      for (size_t p = 0; p < ps.size(); ++p)
        if (ps[p].sort.role == Role::Symmetric && (swapped[p] == v || swapped[p] == v + 1)) swapped[p] = 2 * v + 1 - swapped[p];
      auto it = at.find({g.action, swapped});
      z3::expr image = it == at.end() ? ctx.bool_val(false) : events[it->second].second;
      out.push_back(z3::implies(eq, events[x].second || !image));
      eq = eq && events[x].second == image;
    }
  }
}

}  // namespace mw
