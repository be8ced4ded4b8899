#include "solver/counting.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace mw {

std::vector<z3::expr> UnaryCounter::merge2(const std::vector<z3::expr>& a, const std::vector<z3::expr>& b) {
  const int na = static_cast<int>(a.size()), nb = static_cast<int>(b.size());
  const int no = std::min(cap_, na + nb);
  std::vector<z3::expr> o;
  for (int i = 0; i < no; ++i) o.push_back(ctx_.bool_const(fmt::format("{}{}_{}", prefix_, nodes_, i).c_str()));
  ++nodes_;
  // i of a and j of b: at least i + j (cut at the cap).
  for (int i = 0; i <= na; ++i)
    for (int j = 0; j <= nb; ++j) {
      if (i + j == 0) continue;
      z3::expr_vector pre(ctx_);
      if (i > 0) pre.push_back(a[i - 1]);
      if (j > 0) pre.push_back(b[j - 1]);
      out_.push_back(z3::implies(z3::mk_and(pre), o[std::min(i + j, no) - 1]));
    }
  // Fewer than i + 1 of a and fewer than j + 1 of b: fewer than i + j + 1. A part cut at the
  // cap has na = cap, so i + j >= no there and no such clause is made from it.
  for (int i = 0; i <= na; ++i)
    for (int j = 0; j <= nb; ++j) {
      if (i + j >= no) continue;
      z3::expr_vector pre(ctx_);
      if (i < na) pre.push_back(!a[i]);
      if (j < nb) pre.push_back(!b[j]);
      out_.push_back(pre.empty() ? !o[i + j] : z3::implies(z3::mk_and(pre), !o[i + j]));
    }
  for (int i = 0; i + 1 < no; ++i) out_.push_back(z3::implies(o[i + 1], o[i]));
  return o;
}

std::vector<z3::expr> UnaryCounter::merge(std::vector<std::vector<z3::expr>> parts) {
  if (parts.empty()) return {};
  while (parts.size() > 1) {
    std::vector<std::vector<z3::expr>> next;
    for (size_t i = 0; i + 1 < parts.size(); i += 2) next.push_back(merge2(parts[i], parts[i + 1]));
    if (parts.size() % 2) next.push_back(std::move(parts.back()));
    parts = std::move(next);
  }
  return std::move(parts[0]);
}

}  // namespace mw
