#include "queries/sweep.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>
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
      throw std::invalid_argument(fmt::format("--n {} is out of range: the number of acceptors must be 1..{}", s, maxN));
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

bool inShard(const std::vector<int>& ns, int n, int q1, int q2, int shard, int shards) {
  long index = 0;
  for (int m : ns) {
    if (m == n) {
      index += static_cast<long>(q1 - 1) * n + (q2 - 1);
      return index % shards == shard - 1;
    }
    index += static_cast<long>(m) * m;
  }
  return false;
}

namespace {
class Sweeper {
 public:
  Sweeper(const Model& p, const SweepRequest& r) : protocol_(p), req_(r) {}

  SweepResult run() {
    for (int n : req_.ns) {
      if (stopped()) break;
      if (req_.exhaustive || req_.shards > 1)
        exhaustive(n);
      else
        walk(n);
    }
    for (auto& [k, c] : cells_) res_.cells.push_back(c);
    if (res_.interrupted) res_.stopReason = stopReason();
    return res_;
  }

 private:
  bool stopped() {
    if (req_.check.stop && req_.check.stop->load()) res_.interrupted = true;
    return res_.interrupted;
  }
  const SweepCell* find(int n, int q1, int q2) const {
    auto it = cells_.find({n, q1, q2});
    return it == cells_.end() ? nullptr : &it->second;
  }
  void record(SweepCell c) {
    if (req_.onCell) req_.onCell(c);
    cells_[{c.n, c.q1, c.q2}] = std::move(c);
  }

  SweepCell check(int n, int q1, int q2, int depth, const char* source) {
    if (auto it = req_.known.find({n, q1, q2}); it != req_.known.end()) {
      cells_[{n, q1, q2}] = it->second;
      return it->second;
    }
    CheckRequest cr = req_.check;
    cr.inst.n = n;
    cr.inst.quorums = {q1, q2};
    cr.depth = depth;
    cr.progress = nullptr;
    cr.z3DelaySeconds = 2;
    CheckResult r = runCheck(protocol_, cr);
    SweepCell c{n, q1, q2, r.verdict, r.length, r.depthChecked, source, r.seconds, {}, r.violation, r.reason};
    if (r.trace) {
      int i = 0;
      for (auto& s : r.trace->steps) c.trace.push_back(fmt::format("{}. {}", ++i, stepLine(r.model, s)));
    }
    if (req_.progress)
      req_.progress(fmt::format("n={} q1={} q2={}: {}{} ({:.2f} s)", n, q1, q2, verdictName(c.verdict),
                                c.length >= 0 ? fmt::format(" in {} actions", c.length) : "", c.seconds));
    record(c);
    return c;
  }

  // A check for a verdict; pairs already known from --resume are not counted.
  SweepCell verdictOf(int n, int q1, int q2) {
    bool fresh = !req_.known.count({n, q1, q2});
    SweepCell c = check(n, q1, q2, req_.check.depth, "checked");
    res_.checks += fresh;
    return c;
  }

  // Every pair of n not decided yet (and, when sharded, in this shard), one check each.
  void checkUndecided(int n) {
    for (int q1 = 1; q1 <= n; ++q1)
      for (int q2 = 1; q2 <= n; ++q2) {
        if (stopped()) return;
        if (find(n, q1, q2) || !inShard(req_.ns, n, q1, q2, req_.shard, req_.shards)) continue;
        verdictOf(n, q1, q2);
      }
  }

  void exhaustive(int n) { checkUndecided(n); }

  // Infers every undecided cell dominated by a decided one.
  void infer(int n, int q1, int q2, const SweepCell& from) {
    bool unsafe = from.verdict == Verdict::Violated;
    for (int a = 1; a <= n; ++a)
      for (int b = 1; b <= n; ++b) {
        if (find(n, a, b)) continue;
        bool dominated = unsafe ? (a <= q1 && b <= q2) : (a >= q1 && b >= q2);
        if (!dominated) continue;
        SweepCell c{n, a, b, from.verdict, -1, from.depthChecked, "inferred", 0, {}, {}, {}};
        if (unsafe) pendingTraces_.push_back({n, a, b, from.length});
        else record(c);
        if (unsafe) cells_[{n, a, b}] = c;  // placeholder until its trace is found
      }
  }

  void walk(int n) {
    int q1 = 1, q2 = n;
    pendingTraces_.clear();
    while (q1 <= n && q2 >= 1 && !stopped()) {
      const SweepCell* done = find(n, q1, q2);
      SweepCell c = done && done->source != "inferred" ? *done : verdictOf(n, q1, q2);
      if (c.verdict == Verdict::Unknown) break;  // nothing can be inferred from an unknown
      infer(n, q1, q2, c);
      if (c.verdict == Verdict::Holds)
        --q2;
      else
        ++q1;
    }
    // After an unknown the rest of n is checked pair by pair; after a finished walk nothing is
    // left (a safety net all the same).
    checkUndecided(n);
    // Every unsafe pair gets its own shortest trace, bounded by its dominating cell's length.
    for (auto& [pn, a, b, bound] : pendingTraces_) {
      if (stopped()) return;
      bool fresh = !req_.known.count({pn, a, b});
      SweepCell c = check(pn, a, b, std::min(bound, req_.check.depth), "trace");
      res_.traceChecks += fresh;
      // A limit (time, states, Ctrl-C) leaves the pair unknown, as recorded; only a proof that
      // the smaller pair holds contradicts monotonicity.
      if (c.verdict == Verdict::Holds)
        throw std::logic_error(fmt::format("monotonicity broken at n={} q1={} q2={}: a larger pair is violated", pn, a, b));
    }
  }

  const Model& protocol_;
  const SweepRequest& req_;
  SweepResult res_;
  std::map<std::tuple<int, int, int>, SweepCell> cells_;
  std::vector<std::tuple<int, int, int, int>> pendingTraces_;
};
}  // namespace

SweepResult runSweep(const Model& protocol, const SweepRequest& req) { return Sweeper(protocol, req).run(); }

}  // namespace mw
