#include "queries/lessons.hpp"

#include <fmt/format.h>

#include "queries/invariants.hpp"

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

std::string val(int v) { return showValue({Base::Value, false}, v); }
std::string acc(int a) { return showValue({Base::Acceptor, false}, a); }
}  // namespace

std::string whyItBreaks(const CheckResult& r) {
  if (!r.trace || r.model.name != "paxos") return r.violation;
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
    for (int b = 0; b < in.ballots; ++b)
      if (proposals(b).size() > 1)
        return fmt::format("Ballot {} carried two proposals ({} and {}), so its votes split between two values.", b,
                           val(proposals(b)[0]), val(proposals(b)[1]));
    return "Acceptors voted in one ballot for two values, one of them never proposed in a 2a message.";
  }

  // Two chosen (ballot, value) pairs with different values, the older one first.
  std::vector<std::pair<int, int>> chosen;
  for (int b = 0; b < in.ballots; ++b)
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
