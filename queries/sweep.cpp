#include "queries/sweep.hpp"

#include "mutations/catalog.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <tuple>
#include <stdexcept>


namespace mw {

std::vector<int> parseNList(const std::string& text, int maxN) {
  std::set<int> out;
  size_t start = 0;
  auto number = [&](const std::string& s) {
    if (s.empty() || !std::all_of(s.begin(), s.end(), ::isdigit))
      throw std::invalid_argument(fmt::format("'{}' in --n '{}' is not a number", s, text));
    int v = s.size() > 6 ? maxN + 1 : std::stoi(s);
    if (v < 1 || v > maxN)
      throw std::invalid_argument(fmt::format("--n {} is out of range: n must be 1..{}", s, maxN));
    return v;
  };
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    std::string part = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    size_t dots = part.find("..");
    int lo, hi;
    if (dots == std::string::npos) {
      lo = hi = number(part);
    } else {
      lo = number(part.substr(0, dots));
      hi = number(part.substr(dots + 2));
      if (lo > hi) throw std::invalid_argument(fmt::format("--n range '{}' is empty ({} > {})", part, lo, hi));
    }
    for (int n = lo; n <= hi; ++n) out.insert(n);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return {out.begin(), out.end()};
}

std::vector<std::vector<int>> cellsOf(int n, int systems) {
  std::vector<std::vector<int>> out;
  std::vector<int> at(systems, 1);
  for (;;) {
    out.push_back(at);
    int k = systems - 1;
    while (k >= 0 && at[k] == n) at[k--] = 1;
    if (k < 0) return out;
    ++at[k];
  }
}

namespace {
long power(long base, size_t exponent) {
  long out = 1;
  for (size_t i = 0; i < exponent; ++i) out *= base;
  return out;
}
}  // namespace

bool inShard(const std::vector<int>& ns, int n, const std::vector<int>& sizes, int shard, int shards) {
  long index = 0;
  for (int m : ns) {
    if (m == n) {
      long within = 0;
      for (int s : sizes) within = within * n + (s - 1);
      index += within;
      return index % shards == shard - 1;
    }
    index += power(m, sizes.size());
  }
  return false;
}

namespace {
// Records, per system, the polarities (+1 positive, -1 negative) in which its counts occur.
void polarities(const Expr& e, int sign, std::vector<int>& pos, std::vector<int>& negs) {
  if ((e.kind == Kind::Quorum || e.kind == Kind::AtLeast) && e.ref >= 1 && e.ref <= static_cast<int>(pos.size()))
    ++(sign > 0 ? pos : negs)[e.ref - 1];
  for (size_t i = 0; i < e.kids.size(); ++i) {
    int s = e.kind == Kind::Not || (e.kind == Kind::Implies && i == 0) ? -sign : sign;
    polarities(e.kids[i], s, pos, negs);
  }
}
}  // namespace

std::vector<bool> monotoneSystems(const Model& m, const std::string& invariant) {
  size_t k = m.systems.size();
  std::vector<int> gPos(k), gNeg(k), iPos(k), iNeg(k);
  for (auto& a : m.actions) {
    for (auto& g : a.guard) polarities(g, 1, gPos, gNeg);
    for (auto& u : a.updates) {  // a count in an update's value reads the size both ways
      polarities(u.value, 1, gPos, gNeg);
      polarities(u.value, -1, gPos, gNeg);
    }
  }
  const Invariant* inv = invariant.empty() ? (m.invariants.empty() ? nullptr : &m.invariants[0]) : m.invariant(invariant);
  if (inv) polarities(inv->holds, 1, iPos, iNeg);
  std::vector<bool> out(k);
  for (size_t i = 0; i < k; ++i) out[i] = gNeg[i] == 0 && iPos[i] == 0;
  return out;
}

std::pair<int, int> gridAxes(const std::vector<bool>& monotone) {
  std::vector<int> mono, other;
  for (int i = 0; i < static_cast<int>(monotone.size()); ++i) (monotone[i] ? mono : other).push_back(i);
  if (mono.size() >= 2) return {mono[mono.size() - 2], mono.back()};
  if (mono.size() == 1) return {other.empty() ? -1 : other.back(), mono[0]};  // rows only for show
  if (other.size() >= 2) return {other[other.size() - 2], other.back()};
  return {-1, other.empty() ? -1 : other[0]};
}

void chooseAxes(SweepResult& r, const Model& protocol, const std::vector<std::string>& mutations, const std::string& invariant) {
  r.monotone = monotoneSystems(mutate(protocol, mutations), invariant);
  std::tie(r.rowAxis, r.colAxis) = gridAxes(r.monotone);
}

namespace {
std::string sizesText(const Model& m, const std::vector<int>& sizes) {
  std::string out;
  for (size_t k = 0; k < sizes.size(); ++k) {
    const QuorumDecl& q = m.systems[k];
    out += fmt::format(" {}={}", q.key(), sizes[k]);
  }
  return out;
}

class Sweeper {
 public:
  Sweeper(const Model& p, const SweepRequest& r) : protocol_(p), req_(r), systems_(static_cast<int>(p.systems.size())) {
    chooseAxes(res_, p, r.check.mutations, r.check.invariant);
  }

  SweepResult run() {
    for (int n : req_.ns) {
      if (stopped()) break;
      if (req_.exhaustive || req_.shards > 1)
        checkUndecided(n);
      else
        walk(n);
    }
    for (auto& [k, c] : cells_) res_.cells.push_back(c);
    if (res_.interrupted) res_.stopReason = stopReason();
    return res_;
  }

 private:
  using Key = std::pair<int, std::vector<int>>;
  bool stopped() {
    if (req_.check.stop && req_.check.stop->load()) res_.interrupted = true;
    return res_.interrupted;
  }
  const SweepCell* find(int n, const std::vector<int>& sizes) const {
    auto it = cells_.find({n, sizes});
    return it == cells_.end() ? nullptr : &it->second;
  }
  void record(SweepCell c) {
    if (req_.onCell) req_.onCell(c);
    Key k{c.n, c.sizes};
    cells_[k] = std::move(c);
  }

  SweepCell check(int n, const std::vector<int>& sizes, int depth, const char* source) {
    if (auto it = req_.known.find({n, sizes}); it != req_.known.end()) {
      cells_[{n, sizes}] = it->second;
      return it->second;
    }
    CheckRequest cr = req_.check;
    cr.inst.n = n;
    cr.inst.quorums = sizes;
    cr.depth = depth;
    cr.progress = nullptr;
    cr.z3DelaySeconds = 2;
    CheckResult r = runCheck(protocol_, cr);
    SweepCell c{n, sizes, r.verdict, r.length, r.depthChecked, source, r.seconds, {}, r.violation, r.reason, nullptr, {}, {}};
    if (r.trace) {
      int i = 0;
      for (auto& s : r.trace->steps) c.trace.push_back(fmt::format("{}. {}", ++i, stepLine(r.model, s)));
      c.result = std::make_shared<const CheckResult>(std::move(r));
    }
    if (req_.progress)
      req_.progress(fmt::format("n={}{}: {}{} ({:.2f} s)", n, sizesText(protocol_, sizes), verdictName(c.verdict),
                                c.length >= 0 ? fmt::format(" in {} actions", c.length) : "", c.seconds));
    record(c);
    return c;
  }

  // A check for a verdict; cells already known from --resume are not counted.
  SweepCell verdictOf(int n, const std::vector<int>& sizes) {
    bool fresh = !req_.known.count({n, sizes});
    SweepCell c = check(n, sizes, req_.check.depth, "checked");
    res_.checks += fresh;
    return c;
  }

  // Every cell of n not decided yet (and, when sharded, in this shard), one check each.
  void checkUndecided(int n) {
    for (auto& sizes : cellsOf(n, systems_)) {
      if (stopped()) return;
      if (find(n, sizes) || !inShard(req_.ns, n, sizes, req_.shard, req_.shards)) continue;
      verdictOf(n, sizes);
    }
  }

  // Infers every undecided cell dominated by a decided one.
  void infer(int n, const std::vector<int>& at, const SweepCell& from) {
    bool unsafe = from.verdict == Verdict::Violated;
    for (auto& sizes : cellsOf(n, systems_)) {
      if (find(n, sizes)) continue;
      bool dominated = true;
      for (int k = 0; k < systems_; ++k)
        dominated = dominated && (!res_.monotone[k] ? sizes[k] == at[k] : unsafe ? sizes[k] <= at[k] : sizes[k] >= at[k]);
      if (!dominated) continue;
      SweepCell c{n, sizes, from.verdict, -1, from.depthChecked, "inferred", 0, {}, {}, {}, nullptr, {}, {}};
      if (unsafe) {
        pendingTraces_.push_back({n, sizes, from.length});
        cells_[{n, sizes}] = c;  // placeholder until its trace is found
      } else {
        record(c);
      }
    }
  }

  // The staircase walk over the two grid axes (both monotone), for each choice of the other
  // sizes; with one monotone axis, a walk down its line; with none, every cell is checked.
  void walk(int n) {
    pendingTraces_.clear();
    int rowAxis = res_.rowAxis, colAxis = res_.colAxis;
    bool rowsMonotone = rowAxis >= 0 && res_.monotone[rowAxis];
    if (colAxis < 0 || !res_.monotone[colAxis]) {
      checkUndecided(n);
      return;
    }
    if (!rowsMonotone) rowAxis = -1;  // its sizes become part of the prefix
    std::vector<int> others;
    for (int k = 0; k < systems_; ++k)
      if (k != rowAxis && k != colAxis) others.push_back(k);
    std::vector<std::vector<int>> prefixes = others.empty() ? std::vector<std::vector<int>>{{}} : cellsOf(n, static_cast<int>(others.size()));
    bool unknown = false;
    for (auto& prefix : prefixes) {
      if (unknown || stopped()) break;
      auto cell = [&](int a, int b) {
        std::vector<int> sizes(systems_);
        for (size_t i = 0; i < others.size(); ++i) sizes[others[i]] = prefix[i];
        if (rowAxis >= 0) sizes[rowAxis] = a;
        sizes[colAxis] = b;
        return sizes;
      };
      int a = 1, b = n;
      while (a <= n && b >= 1 && !stopped()) {
        std::vector<int> sizes = cell(a, b);
        const SweepCell* done = find(n, sizes);
        SweepCell c = done ? *done : verdictOf(n, sizes);
        if (c.verdict == Verdict::Unknown) {
          unknown = true;  // nothing can be inferred from an unknown
          break;
        }
        if (!done || done->source != "inferred") infer(n, sizes, c);
        if (c.verdict == Verdict::Holds)
          --b;
        else if (rowAxis >= 0)
          ++a;
        else
          break;  // one axis: everything below is unsafe
      }
    }
    // After an unknown the rest of n is checked cell by cell; after a finished walk nothing is
    // left (a safety net all the same).
    checkUndecided(n);
    // Every unsafe cell gets its own shortest trace, bounded by its dominating cell's length.
    for (auto& [pn, sizes, bound] : pendingTraces_) {
      if (stopped()) return;
      bool fresh = !req_.known.count({pn, sizes});
      SweepCell c = check(pn, sizes, std::min(bound, req_.check.depth), "trace");
      res_.traceChecks += fresh;
      // A limit (time, states, Ctrl-C) leaves the cell unknown, as recorded; only a proof that
      // the smaller cell holds contradicts monotonicity.
      if (c.verdict == Verdict::Holds)
        throw std::logic_error(fmt::format("monotonicity broken at n={}{}: a larger cell is violated", pn, sizesText(protocol_, sizes)));
    }
  }

  const Model& protocol_;
  const SweepRequest& req_;
  int systems_;
  SweepResult res_;
  std::map<Key, SweepCell> cells_;
  std::vector<std::tuple<int, std::vector<int>, int>> pendingTraces_;
};
}  // namespace

SweepResult runSweep(const Model& protocol, const SweepRequest& req) { return Sweeper(protocol, req).run(); }

}  // namespace mw
