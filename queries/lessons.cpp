#include "queries/lessons.hpp"

#include <fmt/format.h>

#include "mutations/operators.hpp"
#include "queries/invariants.hpp"

#include <algorithm>

namespace mw {

namespace {
struct Reader {
  const CheckResult& r;
  const Model& m;
  int rel1b, rel2a, rel2b;
  explicit Reader(const CheckResult& res)
      : r(res), m(res.model), rel1b(m.rel("1b")), rel2a(m.rel("2a")), rel2b(m.rel("2b")) {}
  const std::string& actionName(const TraceStep& s) const { return m.actions[s.action.action].name; }
  // First step (1-based) that sent a message of relation rel matching the given fields (-99 = any).
  int sentAt(int rel, std::vector<int> fields, Message* found = nullptr) const {
    for (size_t i = 0; i < r.trace->steps.size(); ++i)
      for (auto& msg : r.trace->steps[i].sent) {
        if (msg.rel != rel) continue;
        bool ok = true;
        for (size_t k = 0; k < fields.size(); ++k) ok = ok && (fields[k] == -99 || fields[k] == msg.fields[k]);
        if (ok) {
          if (found) *found = msg;
          return static_cast<int>(i) + 1;
        }
      }
    return -1;
  }
};

std::string val(int v) { return showValue({Role::Symmetric, false}, v); }
std::string acc(int a) { return showValue({Role::Process, false}, a); }

// The state reads of a condition, with their values: "maxBal[a1] = 1".
void reads(const Interp& in, const State& s, const Expr& e, const Ground& g, std::vector<std::string>& out) {
  if (e.kind == Kind::Read) {
    const Func& f = in.model().funcs[e.ref];
    std::string args;
    for (size_t i = 0; i < e.kids.size(); ++i)
      args += (i ? "," : "") + showValue(f.args[i], in.valueWith(s, e.kids[i], g.params));
    std::string line = fmt::format("{}[{}] = {}", f.name, args, showValue(f.result, in.valueWith(s, e, g.params)));
    if (std::find(out.begin(), out.end(), line) == out.end()) out.push_back(line);
    return;
  }
  if (e.kind == Kind::Exists || e.kind == Kind::Forall || e.kind == Kind::AtLeast) return;  // bound variables
  for (auto& k : e.kids) reads(in, s, k, g, out);
}

// The cells of two states that differ, as "maxBal[a1] = 1" (in b) and "sent 1b(...)".
std::string changed(const Model& m, const Instance& inst, const State& a, const State& b) {
  Layout L(m, inst);
  std::vector<std::string> out;
  for (size_t f = 0; f < m.funcs.size(); ++f)
    for (auto& args : tuples(inst, m.funcs[f].args)) {
      int i = L.funcIndex(static_cast<int>(f), args);
      if (a.f[i] == b.f[i]) continue;
      std::string cell;
      for (size_t k = 0; k < args.size(); ++k) cell += (k ? "," : "") + showValue(m.funcs[f].args[k], args[k]);
      out.push_back(fmt::format("{}[{}] = {}", m.funcs[f].name, cell, showValue(m.funcs[f].result, b.f[i])));
    }
  for (int c = 0; c < L.relCells; ++c)
    if (a.r[c] != b.r[c]) {
      int r = L.relOf(c);
      auto fields = L.relFields(r, c);
      std::string f;
      for (size_t k = 0; k < fields.size(); ++k) f += (k ? "," : "") + showValue(m.rels[r].sorts[k], fields[k]);
      out.push_back(fmt::format("{}sent {}({})", b.r[c] ? "" : "not ", m.rels[r].name, f));
    }
  std::string s;
  for (size_t i = 0; i < out.size(); ++i) s += (i ? ", " : "") + out[i];
  return s.empty() ? "nothing" : s;
}
}  // namespace

// Any protocol: the run replayed on the protocol as written, up to the first step it would not
// take, or would take differently. The label of the guard conjunct that forbids it, and the
// values that make it false, say which part of the protocol the mutation removed.
std::string departure(const CheckResult& r) {
  if (!r.trace || !r.original) return r.violation;
  const Model& m = *r.original;
  if (m.actions.size() != r.model.actions.size() || m.funcs.size() != r.model.funcs.size() || m.rels.size() != r.model.rels.size())
    return r.violation;
  Interp orig(m, r.inst);
  State s = orig.init();
  if (!(s == r.trace->init)) return "The run starts from another initial state than the protocol's. " + r.violation;
  for (size_t i = 0; i < r.trace->steps.size(); ++i) {
    const TraceStep& step = r.trace->steps[i];
    const Ground& g = step.action;
    const Action& act = m.actions[g.action];
    std::vector<uint32_t> q(m.quorumCount, kFree);
    if (!orig.enabled(s, g, q)) {
      // The first conjunct that is false here; a quorum condition is to blame only when every
      // other conjunct holds (it is false for every quorum, with no single value to show).
      const Expr* culprit = nullptr;
      for (auto& c : act.guard)
        if (!culprit && !Interp::mentionsQuorum(c) && !orig.holdsWith(s, c, g.params)) culprit = &c;
      for (auto& c : act.guard)
        if (!culprit && Interp::mentionsQuorum(c)) culprit = &c;
      std::vector<std::string> values;
      for (size_t p = 0; p < act.params.size(); ++p)
        values.push_back(fmt::format("{} = {}", act.params[p].name, showValue(act.params[p].sort, g.params[p])));
      if (culprit && !Interp::mentionsQuorum(*culprit)) reads(orig, s, *culprit, g, values);
      std::string v;
      for (size_t k = 0; k < values.size(); ++k) v += (k ? ", " : "") + values[k];
      if (!culprit)
        return fmt::format("Step {}, {}, is one the protocol as written would not take. So the run reaches a state "
                           "where {}.", i + 1, showGround(m, g), r.violation);
      return fmt::format("Step {}, {}, is one the protocol as written would not take: its guard {} ({}) is {} there "
                         "({}). So the run reaches a state where {}.",
                         i + 1, showGround(m, g), culprit->site.empty() ? "conjunct" : culprit->site,
                         showExpr(m, &act, *culprit), Interp::mentionsQuorum(*culprit) ? "false for every quorum" : "false",
                         v, r.violation);
    }
    State t = orig.apply(s, g);
    if (!(t == step.after))
      return fmt::format("Step {}, {}, is taken differently by the protocol as written: it would leave {} where the "
                         "mutant leaves {}. So the run reaches a state where {}.",
                         i + 1, showGround(m, g), changed(m, r.inst, step.after, t), changed(m, r.inst, t, step.after),
                         r.violation);
    s = std::move(t);
  }
  return "The protocol as written takes every step of this run too: what changed is what the invariant counts (a "
         "quorum size), so its last state now breaks it: " + r.violation + ".";
}

std::string whyItBreaks(const CheckResult& r) {
  if (!r.trace) return r.violation;
  if (!paxosShaped(r.model)) return departure(r);
  Reader rd(r);
  const Instance& in = r.inst;
  const State& last = r.trace->steps.empty() ? r.trace->init : r.trace->steps.back().after;
  Layout L(r.model, in);
  auto voters = [&](int b, int v) {
    std::vector<int> out;
    for (int a = 0; a < in.n; ++a)
      if (last.r[L.relIndex(rd.rel2b, {a, b, v})]) out.push_back(a);
    return out;
  };
  auto proposals = [&](int b) {
    std::vector<int> out;
    for (int v = 0; v < in.values; ++v)
      if (last.r[L.relIndex(rd.rel2a, {b, v})]) out.push_back(v);
    return out;
  };

  if (r.request.invariant == "one-value-per-ballot") {
    for (int b = 0; b < in.ordered.at(0); ++b)
      if (proposals(b).size() > 1)
        return fmt::format("Ballot {} carried two proposals ({} and {}), so its votes split between two values.", b,
                           val(proposals(b)[0]), val(proposals(b)[1]));
    return "Acceptors voted in one ballot for two values, one of them never proposed in a 2a message.";
  }

  // Two chosen (ballot, value) pairs with different values, the older one first.
  std::vector<std::pair<int, int>> chosen;
  for (int b = 0; b < in.ordered.at(0); ++b)
    for (int v = 0; v < in.values; ++v)
      if (coversPhase2Quorum(r.model, in, voters(b, v))) chosen.push_back({b, v});
  int b1 = -1, v1 = -1, b2 = -1, v2 = -1;
  for (auto& x : chosen)
    for (auto& y : chosen)
      if (x.second != y.second && x.first <= y.first && b1 < 0) b1 = x.first, v1 = x.second, b2 = y.first, v2 = y.second;
  if (b1 < 0) return r.violation;
  auto q1Voters = voters(b1, v1);

  if (b1 == b2) {
    if (proposals(b1).size() > 1)
      return fmt::format("Ballot {} carried two proposals ({} and {}), and each gathered a phase-2 quorum: one proposal "
                         "per ballot is what lets the votes of a ballot add up to one value.", b1, val(v1), val(v2));
    return fmt::format("Acceptors voted for {} in ballot {} without a 2a message proposing it.",
                       val(proposals(b1).empty() || proposals(b1)[0] != v1 ? v1 : v2), b1);
  }

  // The phase-1 quorum ballot b2 used for its proposal.
  int step2a = rd.sentAt(rd.rel2a, {b2, v2});
  if (step2a < 0) return r.violation;
  const TraceStep& prop = r.trace->steps[step2a - 1];
  std::vector<int> meet;
  for (int a : prop.quorum)
    if (std::find(q1Voters.begin(), q1Voters.end(), a) != q1Voters.end()) meet.push_back(a);
  std::string head = fmt::format("{} was chosen in ballot {} by {}, and ballot {} proposed {} (step {}) with phase-1 "
                                 "quorum {}. ", val(v1), b1, showAcceptors(q1Voters), b2, val(v2), step2a,
                                 showAcceptors(prop.quorum));
  if (prop.quorum.empty())
    return fmt::format("{} was chosen in ballot {} by {}, and ballot {} proposed {} (step {}) without the promises of "
                       "any phase-1 quorum, so it could not know what had been chosen.",
                       val(v1), b1, showAcceptors(q1Voters), b2, val(v2), step2a);
  if (meet.empty())
    return head + "The two quorums do not intersect, so ballot " + std::to_string(b2) +
           " heard nothing of the vote for " + val(v1) + ".";
  int a = meet[0];
  Message promise;
  int step1b = rd.sentAt(rd.rel1b, {a, b2, -99, -99}, &promise);
  if (step1b < 0 || step1b > step2a)
    return head + fmt::format("{} is in both, but it had sent no 1b for ballot {} when that proposal was made: the "
                              "proposal counted a promise nobody gave.", acc(a), b2);
  int stepVote = rd.sentAt(rd.rel2b, {a, b1, v1});
  if (step1b > 0 && stepVote > step1b)
    return head + fmt::format("{} is in both, but it promised ballot {} (step {}) and afterwards still voted for {} in "
                              "the older ballot {} (step {}): the promise did not hold it back.",
                              acc(a), b2, step1b, val(v1), b1, stepVote);
  if (step1b > 0 && promise.fields[2] < b1) {
    // Did a vote in an older ballot after its vote in b1, overwriting what it reports?
    for (size_t i = stepVote; i < static_cast<size_t>(step1b - 1); ++i)
      for (auto& msg : r.trace->steps[i].sent)
        if (msg.rel == rd.rel2b && msg.fields[0] == a && msg.fields[1] < b1)
          return head + fmt::format("{} is in both, but after voting for {} in ballot {} it voted in the older ballot "
                                    "{} (step {}), so its 1b for ballot {} reported that older vote instead.",
                                    acc(a), val(v1), b1, msg.fields[1], i + 1, b2);
    return head + fmt::format("{} is in both, but its 1b for ballot {} (step {}) reported {}: its vote for {} in "
                              "ballot {} went unreported, so ballot {} was free to propose {}.",
                              acc(a), b2, step1b,
                              promise.fields[2] < 0 ? std::string("no vote")
                                                    : fmt::format("only a vote in ballot {}", promise.fields[2]),
                              val(v1), b1, b2, val(v2));
  }
  return head + fmt::format("{} is in both and reported its vote for {} in ballot {}, yet Phase2a proposed {}: it did "
                            "not take the value of the highest-ballot vote reported.",
                            acc(a), val(v1), b1, val(v2));
}

}  // namespace mw
