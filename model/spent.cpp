// Spent messages (model/compiled.hpp): which sent messages no ground action can read again.
#include <algorithm>
#include <functional>

#include "model/compiled.hpp"

namespace mw {

namespace {
// `l op r` read as `r op' l`.
Op flipped(Op op) {
  switch (op) {
    case Op::Lt: return Op::Gt;
    case Op::Le: return Op::Ge;
    case Op::Gt: return Op::Lt;
    case Op::Ge: return Op::Le;
    default: return op;
  }
}
}  // namespace

// The guard's top-level conjuncts `k >= f[c]`, `k > f[c]` or `k = f[c]` (in either order) with
// k a constant: each bounds cell c from above now. Kept as kills with threshold k + 1 (k for
// `>`), the value at which the conjunct is false; whether f is monotone is the caller's test.
void Compiled::killsOf(int node, std::vector<Kill>& out) const {
  const Node& n = nodes_[node];
  if (n.k == K::And) {
    for (int k : n.kids) killsOf(k, out);
    return;
  }
  if (n.k != K::Cmp) return;
  const Node& a = nodes_[n.kids[0]];
  const Node& b = nodes_[n.kids[1]];
  int cell, k;
  Op op = n.op;
  if (a.k == K::Const && b.k == K::FuncCell) {
    k = a.val, cell = b.val;
  } else if (a.k == K::FuncCell && b.k == K::Const) {
    k = b.val, cell = a.val, op = flipped(op);
  } else {
    return;
  }
  if (op == Op::Ge || op == Op::Eq) out.push_back({cell, k + 1});
  if (op == Op::Gt) out.push_back({cell, k});
}

// Does writing `value` (a node) to `cell` never lower it, given the guard's upper bounds on
// cells (kills: cell < threshold holds wherever the guard does)?
bool Compiled::nonDecreasing(int cell, int value, const std::vector<Kill>& bounds) const {
  const Node& v = nodes_[value];
  if (v.k == K::FuncCell) return v.val == cell;
  if (v.k == K::Ite) return nonDecreasing(cell, v.kids[1], bounds) && nonDecreasing(cell, v.kids[2], bounds);
  if (v.k != K::Const) return false;
  // f[c] < threshold with threshold <= value + 1, that is f[c] <= value.
  return std::any_of(bounds.begin(), bounds.end(), [&](const Kill& b) { return b.cell == cell && b.threshold <= v.val + 1; });
}

void Compiled::prepareSpent(int invariant) {
  const int F = static_cast<int>(model_.funcs.size()), R = static_cast<int>(model_.rels.size());
  const int G = static_cast<int>(grounds_.size());
  std::vector<std::vector<Kill>> bounds(G);
  for (int g = 0; g < G; ++g) killsOf(guard_[g], bounds[g]);
  auto constCell = [&](const Upd& u) {  // the cell an update writes, if its arguments are constants
    std::vector<int> v;
    for (int a : u.args) {
      if (nodes_[a].k != K::Const) return -1;
      v.push_back(nodes_[a].val);
    }
    for (size_t i = 0; i < v.size(); ++i)
      if (!layout_.inRange(model_.funcs[u.ref].args[i], v[i])) return -1;
    return layout_.funcIndex(u.ref, v);
  };

  // Monotone functions: every write of every ground that can fire keeps the cell or raises it.
  monotone_.assign(F, 1);
  for (int g = 0; g < G; ++g) {
    if (guard_[g] == 0) continue;
    for (auto& u : updates_[g]) {
      if (!u.assign || !monotone_[u.ref]) continue;
      int c = constCell(u);
      if (c < 0 || !nonDecreasing(c, u.value, bounds[g])) monotone_[u.ref] = 0;
    }
  }

  // Where each relation is read, and how: positive reads in guards may make a message spent;
  // any other read (negated, compared, in an update, in the invariant) keeps the relation's
  // messages for good.
  std::vector<char> kept(R, 0);
  struct Read {
    int ground, node;
  };
  std::vector<Read> reads;
  std::function<void(int, int, int)> walk = [&](int i, int pol, int g) {  // pol: 1 positive, 0 other
    const Node& n = nodes_[i];
    switch (n.k) {
      case K::RelCell:
      case K::RelDyn: {
        int r = n.k == K::RelCell ? layout_.relOf(n.val) : n.val;
        if (pol != 1 || g < 0) kept[r] = 1;
        else reads.push_back({g, i});
        if (n.k == K::RelDyn)
          for (int k : n.kids) walk(k, 0, g);
        return;
      }
      case K::FuncDyn:
      case K::Cmp:
      case K::InQDyn:
        for (int k : n.kids) walk(k, 0, g);
        return;
      case K::Not: walk(n.kids[0], 0, g); return;
      case K::Ite:
        walk(n.kids[0], 0, g);
        walk(n.kids[1], pol, g);
        walk(n.kids[2], pol, g);
        return;
      case K::Quorum:
        for (int m : n.member)
          if (m >= 0) walk(m, pol, g);
        [[fallthrough]];
      case K::And:
      case K::Or:
      case K::AtLeast:
      case K::Covers:
        for (int k : n.kids) walk(k, pol, g);
        return;
      default: return;
    }
  };
  for (int g = 0; g < G; ++g) {
    if (guard_[g] != 0) walk(guard_[g], 1, g);
    for (auto& u : updates_[g]) {
      for (int a : u.args) walk(a, 0, -1);
      if (u.assign) walk(u.value, 0, -1);
    }
  }
  walk(invariants_[invariant], 0, -1);

  // Each positive read of a message cell: the kills of its ground, and of its pattern (a field
  // read off a monotone cell matches the message only while the cell equals the field).
  readers_.assign(layout_.relCells, {});
  std::vector<char> never(layout_.relCells, 0);  // a reader that no kill stops
  std::vector<std::vector<std::vector<int>>> fields(R);
  auto fieldsOf = [&](int r) -> const std::vector<std::vector<int>>& {
    if (fields[r].empty()) {
      int end = r + 1 < R ? layout_.relBase[r + 1] : layout_.relCells;
      for (int c = layout_.relBase[r]; c < end; ++c) fields[r].push_back(layout_.relFields(r, c));
    }
    return fields[r];
  };
  for (const Read& rd : reads) {
    const Node& n = nodes_[rd.node];
    std::vector<Kill> base;
    for (const Kill& k : bounds[rd.ground])
      if (monotone_[layout_.funcOf(k.cell)]) base.push_back(k);
    auto add = [&](int cell, std::vector<Kill> kills) {
      if (kills.empty()) never[cell] = 1;
      if (never[cell]) return;
      std::sort(kills.begin(), kills.end());
      kills.erase(std::unique(kills.begin(), kills.end()), kills.end());
      auto& rs = readers_[cell];
      if (std::find(rs.begin(), rs.end(), kills) == rs.end()) rs.push_back(std::move(kills));
    };
    if (n.k == K::RelCell) {
      if (!kept[layout_.relOf(n.val)]) add(n.val, base);
      continue;
    }
    int r = n.val;
    if (kept[r]) continue;
    const auto& fs = fieldsOf(r);
    for (size_t c = 0; c < fs.size(); ++c) {
      std::vector<Kill> kills = base;
      bool match = true;
      for (size_t i = 0; i < n.kids.size() && match; ++i) {
        const Node& arg = nodes_[n.kids[i]];
        if (arg.k == K::Const) match = arg.val == fs[c][i];
        else if (arg.k == K::FuncCell && monotone_[layout_.funcOf(arg.val)]) kills.push_back({arg.val, fs[c][i] + 1});
      }
      if (match) add(layout_.relBase[r] + static_cast<int>(c), std::move(kills));
    }
  }

  watched_.assign(layout_.funcCells, 0);
  spendable_.assign(layout_.relCells, 0);
  spentCount_ = 0;
  for (int c = 0; c < layout_.relCells; ++c) {
    if (kept[layout_.relOf(c)] || never[c]) {
      readers_[c].clear();
      continue;
    }
    spendable_[c] = 1;
    ++spentCount_;
    for (auto& rs : readers_[c])
      for (const Kill& k : rs) watched_[k.cell] = 1;
  }
}

bool Compiled::spent(int msg, const State& s) const {
  if (!spendable_[msg]) return false;
  for (auto& kills : readers_[msg])
    if (std::none_of(kills.begin(), kills.end(), [&](const Kill& k) { return s.f[k.cell] >= k.threshold; })) return false;
  return true;
}

void Compiled::dropSpent(const int* sent, int nSent, bool raised, State& s) const {
  if (!raised) {
    for (int i = 0; i < nSent; ++i)
      if (s.r[sent[i]] && spent(sent[i], s)) s.r[sent[i]] = 0;
    return;
  }
  forEachSent(s, [&](int c) {
    if (spent(c, s)) s.r[c] = 0;
  });
}

}  // namespace mw
