#include "solver/distance.hpp"

#include <algorithm>

namespace mw {

namespace {
int add(int a, int b) { return std::min(Distance::kNever, a + b); }
bool disjoint(const std::vector<uint64_t>& a, const std::vector<uint64_t>& b) {
  for (size_t i = 0; i < a.size(); ++i)
    if (a[i] & b[i]) return false;
  return true;
}
void unite(std::vector<uint64_t>& into, const std::vector<uint64_t>& b) {
  for (size_t i = 0; i < into.size(); ++i) into[i] |= b[i];
}
bool has(const std::vector<uint64_t>* bits, int c) { return bits && ((*bits)[c / 64] >> (c % 64)) & 1u; }
void put(std::vector<uint64_t>& bits, int c) { bits[c / 64] |= uint64_t{1} << (c % 64); }
}  // namespace

Distance::Distance(const Model& m, const Instance& in, const Expr& invariant)
    : m_(m), in_(in), L_(m, in), inv_(invariant), grounds_(groundActions(m, in)), words_((L_.relCells + 63) / 64) {
  for (auto& a : m.actions)
    perAction_ = std::max(perAction_, static_cast<int>(std::count_if(a.updates.begin(), a.updates.end(), [](const Update& u) {
                            return u.kind == Update::Kind::Send;
                          })));
  auto fps = footprints(m, in, grounds_);
  producers_.resize(L_.relCells);
  for (size_t g = 0; g < grounds_.size(); ++g)
    for (int c = 0; c < L_.relCells; ++c)
      if (has(&fps[g].writeR, c)) producers_[c].push_back(static_cast<int>(g));
  memo_.assign(L_.relCells, 0);
  memoGen_.assign(L_.relCells, 0);
  busy_.assign(L_.relCells, 0);
  memoFp_.assign(L_.relCells, Bits(words_, 0));
}

int Distance::operator()(const State& s) const {
  ++gen_;
  ctxs_ = 0;
  memoFree_.clear();
  Env env{&s, {}, nullptr};
  Bits fp(words_, 0);
  int c = cost(inv_, false, env, fp);
  if (c >= kNever) return kNever;
  if (c == 0) return 0;
  if (perAction_ == 0) return kNever;
  return (c + perAction_ - 1) / perAction_;
}

bool Distance::value(const Expr& e, const Env& env, int& out) const {
  switch (e.kind) {
    case Kind::Const: out = e.val; return true;
    case Kind::Var: out = env.vars[e.slot]; return true;
    default: return false;
  }
}

// The cost of sending message cell c: one action, plus what the cheapest sender's guard needs.
int Distance::cell(int c, Env& env, Bits& fp) const {
  if (env.s->r[c] || has(env.free, c) || busy_[c] == gen_) return 0;  // counts no message
  put(fp, c);
  bool plain = env.free == nullptr;
  uint64_t key = (static_cast<uint64_t>(env.ctx) << 32) | static_cast<uint32_t>(c);
  if (plain && memoGen_[c] == gen_) {
    unite(fp, memoFp_[c]);
    return memo_[c];
  }
  if (!plain)
    if (auto it = memoFree_.find(key); it != memoFree_.end()) {
      unite(fp, it->second.second);
      return it->second.first;
    }
  busy_[c] = gen_;
  Bits mine(words_, 0);
  put(mine, c);
  int best = kNever;
  for (int g : producers_[c]) best = std::min(best, guard(g, env, mine));
  busy_[c] = 0;
  int total = add(1, best);
  unite(fp, mine);
  if (plain) {
    memo_[c] = total;
    memoGen_[c] = gen_;
    memoFp_[c] = mine;
  } else {
    memoFree_.emplace(key, std::make_pair(total, std::move(mine)));
  }
  return total;
}

int Distance::guard(int g, Env& outer, Bits& fp) const {
  const Ground& gr = grounds_[g];
  const Action& act = m_.actions[gr.action];
  Env env{outer.s, {}, outer.free, outer.ctx};
  std::copy(gr.params.begin(), gr.params.end(), env.vars);
  std::vector<Part> parts;
  for (auto& c : act.guard) parts.push_back({&c, true});
  return together(parts, parts.size(), env, fp);
}

int Distance::together(const std::vector<Part>& parts, size_t need, Env& env, Bits& fp) const {
  if (need == 0) return 0;
  if (need > parts.size()) return kNever;
  std::vector<int> c(parts.size());
  std::vector<Bits> f(parts.size(), Bits(words_, 0));
  bool apart = true;
  Bits seen(words_, 0);
  for (size_t i = 0; i < parts.size(); ++i) {
    if (parts[i].slot >= 0) env.vars[parts[i].slot] = parts[i].value;
    c[i] = cost(*parts[i].e, parts[i].want, env, f[i]);
    if (!disjoint(seen, f[i])) apart = false;
    unite(seen, f[i]);
  }
  unite(fp, seen);
  if (apart) {
    std::sort(c.begin(), c.end());
    int sum = 0;
    for (size_t i = 0; i < need; ++i) sum = add(sum, c[i]);
    return sum;
  }
  // Shared messages possible: each part costed with the messages that some other part may
  // also need counted as free (for part i that is exactly its cells in the other footprints).
  Bits shared(words_, 0), once(words_, 0);
  for (size_t i = 0; i < parts.size(); ++i)
    for (size_t w = 0; w < words_; ++w) {
      shared[w] |= once[w] & f[i][w];
      once[w] |= f[i][w];
    }
  if (env.free) unite(shared, *env.free);
  Env e2{env.s, {}, &shared, ++ctxs_};
  std::copy(std::begin(env.vars), std::end(env.vars), e2.vars);
  std::vector<int> cf(parts.size());
  int slack = need == parts.size() ? 0 : kNever;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (parts[i].slot >= 0) e2.vars[parts[i].slot] = parts[i].value;
    Bits scratch(words_, 0);
    cf[i] = c[i] >= kNever ? kNever : std::min(c[i], cost(*parts[i].e, parts[i].want, e2, scratch));
    int extra = c[i] >= kNever ? kNever : c[i] - cf[i];
    // All parts needed: any one may be the part paid in full (take the best for the bound).
    // k of them: which ones is open, so only the smallest extra is certain.
    slack = need == parts.size() ? std::max(slack, extra) : std::min(slack, extra);
  }
  std::sort(cf.begin(), cf.end());
  int sum = 0;
  for (size_t i = 0; i < need; ++i) sum = add(sum, cf[i]);
  return add(sum, slack);
}

int Distance::cost(const Expr& e, bool want, Env& env, Bits& fp) const {
  switch (e.kind) {
    case Kind::Const: return (e.val != 0) == want ? 0 : kNever;
    case Kind::Cmp: {
      int l, r;
      if (!value(e.kids[0], env, l) || !value(e.kids[1], env, r)) return 0;
      return applyOp(e.op, l, r) == want ? 0 : kNever;
    }
    case Kind::Sent: {
      auto& sorts = m_.rels[e.ref].sorts;
      auto& stride = L_.relStride[e.ref];
      int c = L_.relBase[e.ref];
      for (size_t i = 0; i < e.kids.size(); ++i) {
        int v;
        if (!value(e.kids[i], env, v)) return 0;  // a field read from state: no bound
        if (!L_.inRange(sorts[i], v)) return want ? kNever : 0;
        c += (v - stride[i].first) * stride[i].second;
      }
      if (!want) return env.s->r[c] ? kNever : 0;
      return cell(c, env, fp);
    }
    case Kind::Not: return cost(e.kids[0], !want, env, fp);
    case Kind::And:
    case Kind::Or: {
      if ((e.kind == Kind::And) == want) {
        std::vector<Part> parts;
        for (auto& k : e.kids) parts.push_back({&k, want});
        return together(parts, parts.size(), env, fp);
      }
      int best = kNever;
      for (auto& k : e.kids) best = std::min(best, cost(k, want, env, fp));
      return best;
    }
    case Kind::Implies:  // not p, or c
      if (!want) return together({{&e.kids[0], true}, {&e.kids[1], false}}, 2, env, fp);
      return std::min(cost(e.kids[0], false, env, fp), cost(e.kids[1], true, env, fp));
    case Kind::Exists:
    case Kind::Forall: {
      std::vector<Part> parts;
      for (int x = in_.lo(e.sort); x <= in_.hi(e.sort); ++x) parts.push_back({&e.kids[0], want, e.slot, x});
      if ((e.kind == Kind::Forall) == want) return together(parts, parts.size(), env, fp);
      int best = kNever;
      for (auto& p : parts) {
        env.vars[e.slot] = p.value;
        best = std::min(best, cost(e.kids[0], want, env, fp));
      }
      return best;
    }
    case Kind::AtLeast: {
      if (!in_.sets(e.ref).empty()) return 0;  // a listed quorum system: no bound worth the trouble
      int k = m_.quorumSize(in_, e.ref), n = in_.count(e.sort);
      std::vector<Part> parts;
      for (int x = in_.lo(e.sort); x <= in_.hi(e.sort); ++x) parts.push_back({&e.kids[0], want, e.slot, x});
      int need = want ? k : n - k + 1;
      return need <= 0 ? 0 : together(parts, static_cast<size_t>(need), env, fp);
    }
    case Kind::Quorum: {
      // Some q acceptors each satisfying the member condition, and the rest of the body.
      if (!want || !in_.sets(e.ref).empty()) return 0;
      const Expr& body = e.kids[0];
      std::vector<const Expr*> conj;
      if (body.kind == Kind::And)
        for (auto& k : body.kids) conj.push_back(&k);
      else
        conj.push_back(&body);
      int best = 0;
      for (const Expr* k : conj) {
        const Expr* p = Interp::memberCondition(*k);
        if (!p) continue;
        std::vector<Part> members;
        for (int x = 0; x < in_.n; ++x) members.push_back({p, true, k->slot, x});
        best = std::max(best, together(members, static_cast<size_t>(std::max(0, m_.quorumSize(in_, e.ref))), env, fp));
      }
      for (const Expr* k : conj)
        if (!Interp::mentionsQuorum(*k)) best = std::max(best, cost(*k, true, env, fp));
      return best;
    }
    default: return 0;  // reads of acceptor state, quorum membership: no bound
  }
}

}  // namespace mw
