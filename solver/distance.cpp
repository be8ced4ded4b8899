#include "solver/distance.hpp"

#include <algorithm>
#include <bit>

namespace mw {

namespace {
int add(int a, int b) { return std::min(Distance::kNever, a + b); }
}  // namespace

bool Distance::disjoint(const Bits& a, const Bits& b) const {
  for (int i = 0; i < words_; ++i)
    if (a.w[i] & b.w[i]) return false;
  return true;
}
void Distance::unite(Bits& into, const Bits& b) const {
  for (int i = 0; i < words_; ++i) into.w[i] |= b.w[i];
}
static bool has(const uint64_t* w, int c) { return (w[c / 64] >> (c % 64)) & 1u; }
static void put(uint64_t* w, int c) { w[c / 64] |= uint64_t{1} << (c % 64); }

Distance::Distance(const Model& m, const Instance& in, const Expr& invariant)
    : m_(m), in_(in), L_(m, in), inv_(invariant), grounds_(groundActions(m, in)), words_((L_.relCells + 63) / 64) {
  off_ = words_ > kWords;
  if (off_) return;
  for (auto& a : m.actions)
    perAction_ = std::max(perAction_, static_cast<int>(std::count_if(a.updates.begin(), a.updates.end(), [](const Update& u) {
                            return u.kind == Update::Kind::Send;
                          })));
  auto fps = footprints(m, in, grounds_);
  producers_.resize(L_.relCells);
  for (size_t g = 0; g < grounds_.size(); ++g)
    for (int c = 0; c < L_.relCells; ++c)
      if (has(fps[g].writeR.data(), c)) producers_[c].push_back(static_cast<int>(g));
  // What each sender requires sent and unsent, then before_ as a least fixpoint (each pass
  // only adds what every sender needs, so every stage is sound) and the exclusions.
  before_.resize(L_.relCells);
  excludes_.resize(L_.relCells);
  for (int c = 0; c < L_.relCells; ++c) {
    clear(before_[c]);
    clear(excludes_[c]);
    put(before_[c].w, c);
  }
  std::vector<Bits> pos(grounds_.size()), neg(grounds_.size());
  auto guardRequires = [&](size_t g, bool sent, Bits& out) {  // what ground action g's guard needs
    Env env{nullptr, {}, nullptr};
    std::copy(grounds_[g].params.begin(), grounds_[g].params.end(), env.vars);
    clear(out);
    for (auto& c : m.actions[grounds_[g].action].guard) required(c, true, sent, env, out);
  };
  auto senders = [&](int c, const std::vector<Bits>& sets, Bits& out) {  // intersection over senders
    bool first = true;
    for (int g : producers_[c]) {
      if (first) out = sets[g];
      else for (int w = 0; w < words_; ++w) out.w[w] &= sets[g].w[w];
      first = false;
    }
    if (first) clear(out);
  };
  for (int pass = 0; pass < 3; ++pass) {
    for (size_t g = 0; g < grounds_.size(); ++g) guardRequires(g, true, pos[g]);
    for (int c = 0; c < L_.relCells; ++c) {
      Bits all;
      senders(c, pos, all);
      unite(before_[c], all);
    }
  }
  for (size_t g = 0; g < grounds_.size(); ++g) guardRequires(g, false, neg[g]);
  std::vector<Bits> forbid(L_.relCells);
  for (int c = 0; c < L_.relCells; ++c) senders(c, neg, forbid[c]);
  for (int a = 0; a < L_.relCells; ++a)
    for (int b = 0; b < L_.relCells; ++b)
      if (a != b && has(forbid[a].w, b) && has(forbid[b].w, a)) {
        put(excludes_[a].w, b);
        anyExclusion_ = true;
      }
  memo_.assign(L_.relCells, 0);
  memoGen_.assign(L_.relCells, 0);
  busy_.assign(L_.relCells, 0);
  memoFp_.resize(L_.relCells);
}

int Distance::operator()(const State& s) const {
  if (off_) return 0;
  ++gen_;
  ctxs_ = 0;
  memoFree_.clear();
  Env env{&s, {}, nullptr};
  Bits fp;
  clear(fp);
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
  if (env.s->r[c] || (env.free && has(env.free->w, c)) || busy_[c] == gen_) return 0;  // counts no message
  put(fp.w, c);
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
  Bits mine;
  clear(mine);
  put(mine.w, c);
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
    memoFree_.emplace(key, std::make_pair(total, mine));
  }
  return total;
}

int Distance::guard(int g, Env& outer, Bits& fp) const {
  const Ground& gr = grounds_[g];
  const Action& act = m_.actions[gr.action];
  if (static_cast<int>(act.guard.size()) > kMaxParts) return 0;
  Env env{outer.s, {}, outer.free, outer.ctx};
  std::copy(gr.params.begin(), gr.params.end(), env.vars);
  Part parts[kMaxParts];
  int count = 0;
  for (auto& c : act.guard) parts[count++] = {&c, true};
  return together(parts, count, count, env, fp);
}

int Distance::together(const Part* parts, int count, int need, Env& env, Bits& fp) const {
  if (need <= 0) return 0;
  if (need > count) return kNever;
  if (anyExclusion_ && need == count) {
    // Parts that say "for some x": try the choices of x jointly (when there are few
    // combinations), so that choices whose messages exclude each other are not costed
    // together: "v1 chosen in some ballot and v2 chosen in some ballot" then cannot pick one
    // ballot for both when a ballot carries one 2a message.
    int which[4], sizes[4], open = 0, combos = 1;
    for (int i = 0; i < count && open < 4; ++i) {
      const Expr& e = *parts[i].e;
      bool some = (e.kind == Kind::Exists && parts[i].want) || (e.kind == Kind::Forall && !parts[i].want);
      if (!some || parts[i].slot2 >= 0) continue;
      which[open] = i;
      sizes[open] = in_.count(e.sort);
      combos *= sizes[open++];
    }
    if (open > 0 && combos <= 16 && count <= kMaxParts) {
      Part choice[kMaxParts];
      std::copy(parts, parts + count, choice);
      int best = kNever;
      for (int k = 0; k < combos; ++k) {
        for (int j = 0, rest = k; j < open; ++j, rest /= sizes[j - 1]) {
          const Part& p = parts[which[j]];
          choice[which[j]] = {&p.e->kids[0], p.want, p.slot, p.value, p.e->slot, in_.lo(p.e->sort) + rest % sizes[j]};
        }
        if (!compatible(choice, count, env)) continue;
        best = std::min(best, together(choice, count, need, env, fp));
      }
      return best;
    }
    if (!compatible(parts, count, env)) return kNever;
  }
  int c[kMaxParts];
  Bits f[kMaxParts];
  bool apart = true;
  Bits seen, shared;
  clear(seen);
  clear(shared);
  for (int i = 0; i < count; ++i) {
    bind(parts[i], env);
    clear(f[i]);
    c[i] = cost(*parts[i].e, parts[i].want, env, f[i]);
    if (!disjoint(seen, f[i])) apart = false;
    // Cells in two or more footprints: the ones a part may share with another.
    for (int w = 0; w < words_; ++w) shared.w[w] |= seen.w[w] & f[i].w[w];
    unite(seen, f[i]);
  }
  unite(fp, seen);
  if (apart) {
    std::sort(c, c + count);
    int sum = 0;
    for (int i = 0; i < need; ++i) sum = add(sum, c[i]);
    return sum;
  }
  // Shared messages possible: each part costed with the messages that some other part may
  // also need counted as free (for part i that is exactly its cells in the other footprints).
  if (env.free) unite(shared, *env.free);
  Env e2{env.s, {}, &shared, ++ctxs_};
  std::copy(std::begin(env.vars), std::end(env.vars), e2.vars);
  int cf[kMaxParts];
  int slack = need == count ? 0 : kNever;
  Bits scratch;
  for (int i = 0; i < count; ++i) {
    bind(parts[i], e2);
    clear(scratch);
    cf[i] = c[i] >= kNever ? kNever : std::min(c[i], cost(*parts[i].e, parts[i].want, e2, scratch));
    int extra = c[i] >= kNever ? kNever : c[i] - cf[i];
    // All parts needed: any one may be the part paid in full (take the best for the bound).
    // k of them: which ones is open, so only the smallest extra is certain.
    slack = need == count ? std::max(slack, extra) : std::min(slack, extra);
  }
  std::sort(cf, cf + count);
  int sum = 0;
  for (int i = 0; i < need; ++i) sum = add(sum, cf[i]);
  return add(sum, slack);
}

// Messages that must be sent (sent = true) or left unsent (false) whenever e comes out as
// wanted. Conjunction-like nodes unite their parts' sets, disjunction-like ones intersect them.
void Distance::required(const Expr& e, bool want, bool sent, Env& env, Bits& out) const {
  auto conjunctive = [&](bool isAnd) { return isAnd == want; };
  auto each = [&](int n, bool unionOf, auto&& one) {
    if (unionOf) {
      for (int i = 0; i < n; ++i) one(i, out);
      return;
    }
    Bits acc, tmp;
    for (int i = 0; i < n; ++i) {
      clear(tmp);
      one(i, tmp);
      if (i == 0) acc = tmp;
      else for (int w = 0; w < words_; ++w) acc.w[w] &= tmp.w[w];
    }
    if (n > 0) unite(out, acc);
  };
  switch (e.kind) {
    case Kind::Sent: {
      if (want != sent) return;
      auto& sorts = m_.rels[e.ref].sorts;
      auto& stride = L_.relStride[e.ref];
      int c = L_.relBase[e.ref];
      for (size_t i = 0; i < e.kids.size(); ++i) {
        int v;
        if (!value(e.kids[i], env, v) || !L_.inRange(sorts[i], v)) return;
        c += (v - stride[i].first) * stride[i].second;
      }
      if (sent) unite(out, before_[c]);
      else put(out.w, c);
      return;
    }
    case Kind::Not: required(e.kids[0], !want, sent, env, out); return;
    case Kind::And:
    case Kind::Or:
      each(static_cast<int>(e.kids.size()), conjunctive(e.kind == Kind::And),
           [&](int i, Bits& o) { required(e.kids[i], want, sent, env, o); });
      return;
    case Kind::Implies:  // not p, or q
      each(2, !want, [&](int i, Bits& o) { required(e.kids[i], i == 1 ? want : !want, sent, env, o); });
      return;
    case Kind::Exists:
    case Kind::Forall:
      each(in_.count(e.sort), conjunctive(e.kind == Kind::Forall), [&](int i, Bits& o) {
        env.vars[e.slot] = in_.lo(e.sort) + i;
        required(e.kids[0], want, sent, env, o);
      });
      return;
    case Kind::AtLeast: {
      // At least one member comes out as wanted (or, for "not at least k", fails): what every
      // member would need.
      if (!in_.sets(e.ref).empty()) return;
      int k = m_.quorumSize(in_, e.ref), n = in_.count(e.sort);
      if ((want ? k : n - k + 1) <= 0) return;
      each(n, false, [&](int i, Bits& o) {
        env.vars[e.slot] = in_.lo(e.sort) + i;
        required(e.kids[0], want, sent, env, o);
      });
      return;
    }
    case Kind::Quorum:
      if (!want) return;
      if (e.kids[0].kind == Kind::And) {
        for (auto& k : e.kids[0].kids)
          if (!Interp::mentionsQuorum(k)) required(k, true, sent, env, out);
      } else if (!Interp::mentionsQuorum(e.kids[0])) {
        required(e.kids[0], true, sent, env, out);
      }
      return;
    default: return;  // comparisons, reads, quorum membership: nothing certain
  }
}

bool Distance::compatible(const Part* parts, int count, Env& env) const {
  Bits all;
  clear(all);
  for (int i = 0; i < count; ++i) {
    bind(parts[i], env);
    required(*parts[i].e, parts[i].want, true, env, all);
  }
  for (int w = 0; w < words_; ++w)
    for (uint64_t bits = all.w[w]; bits; bits &= bits - 1) {
      int c = w * 64 + std::countr_zero(bits);
      for (int x = 0; x < words_; ++x)
        if (excludes_[c].w[x] & all.w[x]) return false;
      // A message whose excluder is already sent can never be sent.
      if (!env.s->r[c])
        for (int x = 0; x < words_; ++x)
          for (uint64_t ex = excludes_[c].w[x]; ex; ex &= ex - 1)
            if (env.s->r[x * 64 + std::countr_zero(ex)]) return false;
    }
  return true;
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
        if (static_cast<int>(e.kids.size()) > kMaxParts) return 0;
        Part parts[kMaxParts];
        int count = 0;
        for (auto& k : e.kids) parts[count++] = {&k, want};
        return together(parts, count, count, env, fp);
      }
      int best = kNever;
      for (auto& k : e.kids) best = std::min(best, cost(k, want, env, fp));
      return best;
    }
    case Kind::Implies: {  // not p, or c
      if (!want) {
        Part parts[2] = {{&e.kids[0], true}, {&e.kids[1], false}};
        return together(parts, 2, 2, env, fp);
      }
      return std::min(cost(e.kids[0], false, env, fp), cost(e.kids[1], true, env, fp));
    }
    case Kind::Exists:
    case Kind::Forall: {
      if ((e.kind == Kind::Forall) == want) {
        Part parts[kMaxParts];
        int count = 0;
        for (int x = in_.lo(e.sort); x <= in_.hi(e.sort); ++x) parts[count++] = {&e.kids[0], want, e.slot, x};
        return together(parts, count, count, env, fp);
      }
      int best = kNever;
      for (int x = in_.lo(e.sort); x <= in_.hi(e.sort); ++x) {
        env.vars[e.slot] = x;
        best = std::min(best, cost(e.kids[0], want, env, fp));
      }
      return best;
    }
    case Kind::AtLeast: {
      if (!in_.sets(e.ref).empty()) return 0;  // a listed quorum system: no bound worth the trouble
      int k = m_.quorumSize(in_, e.ref), n = in_.count(e.sort);
      Part parts[kMaxParts];
      int count = 0;
      for (int x = in_.lo(e.sort); x <= in_.hi(e.sort); ++x) parts[count++] = {&e.kids[0], want, e.slot, x};
      int need = want ? k : n - k + 1;
      return need <= 0 ? 0 : together(parts, count, need, env, fp);
    }
    case Kind::Quorum: {
      // Some q acceptors each satisfying the member condition, and the rest of the body.
      if (!want || !in_.sets(e.ref).empty()) return 0;
      const Expr& body = e.kids[0];
      const Expr* conj[kMaxParts];
      int nconj = 0;
      if (body.kind == Kind::And) {
        if (static_cast<int>(body.kids.size()) > kMaxParts) return 0;
        for (auto& k : body.kids) conj[nconj++] = &k;
      } else {
        conj[nconj++] = &body;
      }
      int best = 0;
      for (int i = 0; i < nconj; ++i) {
        const Expr* p = Interp::memberCondition(*conj[i]);
        if (!p) continue;
        Part members[kMaxParts];
        for (int x = 0; x < in_.n; ++x) members[x] = {p, true, conj[i]->slot, x};
        best = std::max(best, together(members, in_.n, std::max(0, m_.quorumSize(in_, e.ref)), env, fp));
      }
      for (int i = 0; i < nconj; ++i)
        if (!Interp::mentionsQuorum(*conj[i])) best = std::max(best, cost(*conj[i], true, env, fp));
      return best;
    }
    default: return 0;  // reads of acceptor state, quorum membership: no bound
  }
}

}  // namespace mw
