// Paxos.tla, action by action. Each message set of the spec (`msgs`) is one relation per
// message type; a message is identified by all its fields, and nothing is ever removed, so a
// mutant that sends two different 1b messages for one ballot is modelled exactly as TLC would.
//
// Every guard conjunct and update carries a site name; the mutation catalog refers to these.
#include "model/model.hpp"

namespace mw {

namespace {
const Sort Acc{Role::Process, false};
const Sort Bal{Role::Ordered, false};
const Sort BalN{Role::Ordered, true};
const Sort Val{Role::Symmetric, false};
const Sort ValN{Role::Symmetric, true};

Expr read(const Model& m, const char* f, Expr arg) {
  Expr e;
  e.kind = Kind::Read;
  e.ref = m.func(f);
  e.kids = {std::move(arg)};
  return e;
}
Expr sent(const Model& m, const char* r, std::vector<Expr> fields) {
  Expr e;
  e.kind = Kind::Sent;
  e.ref = m.rel(r);
  e.kids = std::move(fields);
  return e;
}
Update assign(const Model& m, const char* site, const char* f, Expr arg, Expr value) {
  return Update{Update::Kind::Assign, m.func(f), {std::move(arg)}, std::move(value), site, {}};
}
Update send(const Model& m, const char* site, const char* r, std::vector<Expr> fields) {
  return Update{Update::Kind::Send, m.rel(r), std::move(fields), {}, site, {}};
}
}  // namespace

// The C++ builder protocols/paxos.mw replaced, kept as the oracle the file is compared with.
Model paxosReferenceModel() {
  Model m;
  m.name = "paxos";
  m.funcs = {{"maxBal", {Acc}, BalN, kNone, true}, {"maxVBal", {Acc}, BalN, kNone, true}, {"maxVal", {Acc}, ValN, kNone, true}};
  m.rels = {{"1a", {"bal"}, {Bal}, {}},
            {"1b", {"acc", "bal", "mbal", "mval"}, {Acc, Bal, BalN, ValN}, {}},
            {"2a", {"bal", "val"}, {Bal, Val}, {}},
            {"2b", {"acc", "bal", "val"}, {Acc, Bal, Val}, {}}};

  // Phase1a(b): a proposer starts ballot b. Always enabled.
  m.actions.push_back({"Phase1a", {{"b", Bal}}, {}, {send(m, "Phase1a.send", "1a", {var(0)})}});

  // Phase1b(a): for some sent 1a(b) with b > maxBal[a], promise b and report the last vote.
  enum { a = 0, b = 1 };
  m.actions.push_back(
      {"Phase1b",
       {{"a", Acc}, {"b", Bal}},
       {named("Phase1b.got-1a", sent(m, "1a", {var(b)})),
        named("Phase1b.promise", cmp(Op::Gt, var(b), read(m, "maxBal", var(a))))},
       {assign(m, "Phase1b.raise-maxBal", "maxBal", var(a), var(b)),
        send(m, "Phase1b.send", "1b",
             {var(a), var(b), read(m, "maxVBal", var(a)), read(m, "maxVal", var(a))})}});

  // Phase2a(b, v): no 2a for b yet; some q1 acceptors promised b; v is free if none of their
  // 1b messages reports a vote, else it is the value of the reported vote with the highest ballot.
  {
    enum { b = 0, v = 1, x = 2, mb = 3, mv = 4, x2 = 5, mb2 = 6, mv2 = 7 };
    Expr promised = named("Phase2a.quorum-promised",
                          forall(x, Acc, implies(inQuorum(var(x)),
                                                 exists(mb, BalN, exists(mv, ValN, sent(m, "1b", {var(x), var(b), var(mb), var(mv)}))))));
    auto isVote = [&](const char* site, int slot) { return named(site, cmp(Op::Ge, var(slot), constant(0))); };
    Expr noVotes = named("Phase2a.no-votes",
                         forall(x, Acc, implies(inQuorum(var(x)),
                                forall(mb, BalN, forall(mv, ValN,
                                       implies(isVote("Phase2a.no-votes.is-vote", mb),
                                               neg(sent(m, "1b", {var(x), var(b), var(mb), var(mv)}))))))));
    Expr otherVote = conj({inQuorum(var(x2)), isVote("Phase2a.other.is-vote", mb2),
                           sent(m, "1b", {var(x2), var(b), var(mb2), var(mv2)})});
    Expr highest = exists(x, Acc, exists(mb, BalN,
        conj({inQuorum(var(x)), isVote("Phase2a.highest.is-vote", mb), named("Phase2a.highest.reports-v", sent(m, "1b", {var(x), var(b), var(mb), var(v)})),
              forall(x2, Acc, forall(mb2, BalN, forall(mv2, ValN,
                     implies(otherVote, named("Phase2a.highest", cmp(Op::Ge, var(mb), var(mb2)))))))})));
    Expr pick = named("Phase2a.pick-highest", disj({noVotes, highest}));
    m.actions.push_back(
        {"Phase2a",
         {{"b", Bal}, {"v", Val}},
         {named("Phase2a.one-proposal", neg(exists(x, Val, sent(m, "2a", {var(b), var(x)})))),
          named("Phase2a.quorum", quorum(1, conj({promised, pick})))},
         {send(m, "Phase2a.send", "2a", {var(b), var(v)})}});
  }

  // Phase2b(a): for some sent 2a(b, v) with b >= maxBal[a], vote for v in b.
  {
    enum { a = 0, b = 1, v = 2 };
    m.actions.push_back(
        {"Phase2b",
         {{"a", Acc}, {"b", Bal}, {"v", Val}},
         {named("Phase2b.got-2a", sent(m, "2a", {var(b), var(v)})),
          named("Phase2b.accept", cmp(Op::Ge, var(b), read(m, "maxBal", var(a))))},
         {assign(m, "Phase2b.promise", "maxBal", var(a), var(b)),
          assign(m, "Phase2b.vote-ballot", "maxVBal", var(a), var(b)),
          assign(m, "Phase2b.vote-value", "maxVal", var(a), var(v)),
          send(m, "Phase2b.send", "2b", {var(a), var(b), var(v)})}});
  }

  // chosen(v): some q2 acceptors sent 2b for v in one ballot.
  auto chosen = [&](int v, int bs, int as) {
    return exists(bs, Bal, atLeast(2, as, Acc, sent(m, "2b", {var(as), var(bs), var(v)})));
  };
  m.invariants.push_back({"agreement", "no two different values are chosen (chosen: q2 acceptors voted for it in one ballot)",
                          forall(0, Val, forall(1, Val, implies(conj({chosen(0, 2, 3), chosen(1, 2, 3)}),
                                                                cmp(Op::Eq, var(0), var(1)))))});
  m.invariants.push_back(
      {"one-value-per-ballot", "no two 2b messages of one ballot carry different values",
       forall(0, Bal, forall(1, Acc, forall(2, Acc, forall(3, Val, forall(4, Val,
           implies(conj({sent(m, "2b", {var(1), var(0), var(3)}), sent(m, "2b", {var(2), var(0), var(4)})}),
                   cmp(Op::Eq, var(3), var(4))))))))});
  // The inductive invariant of Lamport's proof of Paxos.tla (type correctness is built into the
  // encoding: every cell holds a value of its sort). SafeAt uses phase-1 quorums: a proposal in
  // ballot b is safe when, for every older ballot c, a phase-1 quorum has voted v in c or will
  // never vote in c; since every phase-2 quorum meets every phase-1 quorum, no other value can
  // be chosen in c.
  {
    enum { a = 0, b = 1, c = 2, v = 3, w = 4, mb = 5, mv = 6, x = 7 };
    auto voted = [&](Expr acc, Expr bal, Expr val) { return sent(m, "2b", {std::move(acc), std::move(bal), std::move(val)}); };
    auto noVoteIn = [&](Expr acc, Expr bal) { return neg(exists(w, Val, voted(acc, bal, var(w)))); };
    auto inv = [&](const char* name, const char* text, Expr e) { m.inductive.push_back({name, text, std::move(e)}); };
    Expr mbal = read(m, "maxBal", var(a)), vbal = read(m, "maxVBal", var(a)), vval = read(m, "maxVal", var(a));
    inv("acc.none-iff-no-vote", "maxVal[a] = none exactly when maxVBal[a] = -1",
        forall(a, Acc, conj({implies(cmp(Op::Eq, vval, constant(kNone)), cmp(Op::Eq, vbal, constant(kNone))),
                             implies(cmp(Op::Eq, vbal, constant(kNone)), cmp(Op::Eq, vval, constant(kNone)))})));
    inv("acc.vbal-le-bal", "maxVBal[a] <= maxBal[a]", forall(a, Acc, cmp(Op::Le, vbal, mbal)));
    inv("acc.voted-last", "an acceptor's last vote was sent as a 2b",
        forall(a, Acc, implies(cmp(Op::Ge, vbal, constant(0)), voted(var(a), vbal, vval))));
    inv("acc.no-later-votes", "no acceptor has voted in a ballot above its maxVBal",
        forall(a, Acc, forall(c, Bal, implies(cmp(Op::Gt, var(c), vbal), noVoteIn(var(a), var(c))))));
    auto oneB = [&](Expr body) {
      return forall(a, Acc, forall(b, Bal, forall(mb, BalN, forall(mv, ValN,
                 implies(sent(m, "1b", {var(a), var(b), var(mb), var(mv)}), std::move(body))))));
    };
    inv("1b.promised", "a 1b for b was sent only by an acceptor whose maxBal >= b",
        oneB(cmp(Op::Le, var(b), read(m, "maxBal", var(a)))));
    inv("1b.reports-vote", "a 1b reports a vote the acceptor made, or no vote",
        oneB(disj({conj({cmp(Op::Ge, var(mb), constant(0)), voted(var(a), var(mb), var(mv))}),
                   conj({cmp(Op::Eq, var(mb), constant(kNone)), cmp(Op::Eq, var(mv), constant(kNone))})})));
    inv("1b.no-votes-between", "the acceptor voted in no ballot between the reported vote and the promise",
        oneB(forall(c, Bal, implies(conj({cmp(Op::Gt, var(c), var(mb)), cmp(Op::Lt, var(c), var(b))}),
                                    noVoteIn(var(a), var(c))))));
    Expr safeAt = forall(c, Bal, implies(cmp(Op::Lt, var(c), var(b)),
        atLeast(1, x, Acc, disj({voted(var(x), var(c), var(v)),
                                 conj({cmp(Op::Gt, read(m, "maxBal", var(x)), var(c)), noVoteIn(var(x), var(c))})}))));
    inv("2a.safe", "a 2a for (b, v) proposes a value safe at b",
        forall(b, Bal, forall(v, Val, implies(sent(m, "2a", {var(b), var(v)}), safeAt))));
    inv("2a.unique", "one 2a per ballot",
        forall(b, Bal, forall(v, Val, forall(w, Val, implies(conj({sent(m, "2a", {var(b), var(v)}), sent(m, "2a", {var(b), var(w)})}),
                                                              cmp(Op::Eq, var(v), var(w)))))));
    inv("2b.proposed", "a vote is for the value proposed in its ballot",
        forall(a, Acc, forall(b, Bal, forall(v, Val, implies(voted(var(a), var(b), var(v)), sent(m, "2a", {var(b), var(v)}))))));
    inv("2b.below-vbal", "a vote's ballot is at most the acceptor's maxVBal",
        forall(a, Acc, forall(b, Bal, forall(v, Val, implies(voted(var(a), var(b), var(v)), cmp(Op::Le, var(b), vbal))))));
  }

  m.choiceRules.push_back({"Phase2a.choice", "Phase2a.highest", "Phase2a.pick-highest",
                           "Phase2a takes the value of the lowest-ballot reported vote, not the highest",
                           "Phase2a ignores the reported votes and may propose any value"});
  m.finish();
  return m;
}

}  // namespace mw
