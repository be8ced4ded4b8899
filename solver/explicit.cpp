#include "solver/explicit.hpp"

#include <algorithm>
#include <string>
#include <unordered_map>

namespace mw {

namespace {
std::string key(const State& s) {
  std::string k;
  k.reserve(s.f.size() + s.r.size());
  for (int v : s.f) k.push_back(static_cast<char>(v));
  k.append(s.r.begin(), s.r.end());
  return k;
}
}  // namespace

ExplicitResult exploreBreadthFirst(const Interp& in, const Expr& invariant, int maxDepth, long maxStates) {
  ExplicitResult res;
  auto grounds = groundActions(in.model(), in.layout().inst);
  struct Node {
    State s;
    int parent;
    int via;
  };
  std::vector<Node> nodes{{in.init(), -1, -1}};
  std::unordered_map<std::string, int> seen{{key(nodes[0].s), 0}};
  auto found = [&](int idx) {
    res.verdict = Verdict::Violated;
    for (int i = idx; nodes[i].parent >= 0; i = nodes[i].parent) res.path.push_back(grounds[nodes[i].via]);
    std::reverse(res.path.begin(), res.path.end());
    res.length = static_cast<int>(res.path.size());
    res.states = static_cast<long>(nodes.size());
    return res;
  };
  if (!in.holds(nodes[0].s, invariant)) return found(0);
  size_t levelBegin = 0, levelEnd = 1;
  for (int depth = 0;; ++depth) {
    res.depthChecked = depth;
    if (levelBegin == levelEnd) {
      res.verdict = Verdict::Holds;
      res.exhausted = true;
      break;
    }
    if (depth == maxDepth) {
      res.verdict = Verdict::Holds;
      break;
    }
    for (size_t i = levelBegin; i < levelEnd; ++i)
      for (size_t g = 0; g < grounds.size(); ++g) {
        std::vector<uint32_t> q;
        if (!in.enabled(nodes[i].s, grounds[g], q)) continue;
        State t = in.apply(nodes[i].s, grounds[g]);
        auto [it, fresh] = seen.emplace(key(t), static_cast<int>(nodes.size()));
        if (!fresh) continue;
        nodes.push_back({std::move(t), static_cast<int>(i), static_cast<int>(g)});
        if (!in.holds(nodes.back().s, invariant)) return found(static_cast<int>(nodes.size()) - 1);
        if (static_cast<long>(nodes.size()) >= maxStates) {
          res.verdict = Verdict::Unknown;
          res.states = static_cast<long>(nodes.size());
          return res;
        }
      }
    levelBegin = levelEnd;
    levelEnd = nodes.size();
  }
  res.states = static_cast<long>(nodes.size());
  return res;
}

}  // namespace mw
