// The first mutations of Paxos, each one step of the protocol changed at a named site.
#include "mutations/catalog.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <stdexcept>

namespace mw {

static void collect(Expr& e, const std::string& site, std::vector<Expr*>& out) {
  if (e.site == site) out.push_back(&e);
  for (auto& k : e.kids) collect(k, site, out);
}

std::vector<Expr*> findSites(Model& m, const std::string& site) {
  std::vector<Expr*> out;
  for (auto& a : m.actions) {
    for (auto& g : a.guard) collect(g, site, out);
    for (auto& u : a.updates) {
      for (auto& x : u.args) collect(x, site, out);
      collect(u.value, site, out);
    }
  }
  return out;
}

Update* findUpdate(Model& m, const std::string& site) {
  for (auto& a : m.actions)
    for (auto& u : a.updates)
      if (u.site == site) return &u;
  return nullptr;
}

static std::vector<Expr*> sites(Model& m, const std::string& site) {
  auto found = findSites(m, site);
  if (found.empty()) throw std::logic_error("model " + m.name + " has no site " + site);
  return found;
}

void setComparison(Model& m, const std::string& site, Op op) {
  for (Expr* e : sites(m, site)) {
    if (e->kind != Kind::Cmp) throw std::logic_error(site + " is not a comparison");
    e->op = op;
  }
}

void dropConjunct(Model& m, const std::string& site) {
  for (Expr* e : sites(m, site)) {
    Expr t = constant(1);
    t.site = site;
    *e = t;
  }
  m.finish();  // quorum numbering may have changed
}

void dropUpdate(Model& m, const std::string& site) {
  for (auto& a : m.actions)
    for (size_t i = 0; i < a.updates.size(); ++i)
      if (a.updates[i].site == site) {
        a.updates.erase(a.updates.begin() + i);
        return;
      }
  throw std::logic_error("model " + m.name + " has no update " + site);
}

const std::vector<Mutation>& catalog() {
  static const std::vector<Mutation> all = {
      {"promise-geq", "Phase1b promises when b >= maxBal[a] (instead of b > maxBal[a])",
       [](Model& m) { setComparison(m, "Phase1b.promise", Op::Ge); }},
      {"promise-always", "Phase1b promises without comparing b with maxBal[a]",
       [](Model& m) { dropConjunct(m, "Phase1b.promise"); }},
      {"accept-gt", "Phase2b accepts only when b > maxBal[a] (instead of b >= maxBal[a])",
       [](Model& m) { setComparison(m, "Phase2b.accept", Op::Gt); }},
      {"accept-always", "Phase2b accepts without comparing b with maxBal[a]",
       [](Model& m) { dropConjunct(m, "Phase2b.accept"); }},
      {"any-value", "Phase2a ignores the votes reported in 1b messages and proposes any value",
       [](Model& m) { dropConjunct(m, "Phase2a.pick-highest"); }},
      {"lowest-vote", "Phase2a proposes the value of the lowest-ballot reported vote, not the highest",
       [](Model& m) { setComparison(m, "Phase2a.highest", Op::Le); }},
      {"two-proposals", "Phase2a may send a second 2a with another value in the same ballot",
       [](Model& m) { dropConjunct(m, "Phase2a.one-proposal"); }},
      {"no-vote-report", "Phase1b reports no vote (maxVBal = -1, maxVal = none) in its 1b message",
       [](Model& m) {
         Update* u = findUpdate(m, "Phase1b.send");
         if (!u) throw std::logic_error("model " + m.name + " has no update Phase1b.send");
         u->args[2] = constant(kNone);
         u->args[3] = constant(kNone);
       }},
      {"no-promise-on-accept", "Phase2b votes without raising maxBal[a] to the ballot it votes in",
       [](Model& m) { dropUpdate(m, "Phase2b.promise"); }},
      {"q1-minus-one", "phase-1 quorums have one acceptor fewer (q1 - 1)", [](Model& m) { m.q1Delta -= 1; }},
      {"q2-minus-one", "phase-2 quorums (the ones that choose a value) have one acceptor fewer (q2 - 1)",
       [](Model& m) { m.q2Delta -= 1; }},
  };
  return all;
}

const Mutation* findMutation(const std::string& name) {
  for (auto& mu : catalog())
    if (mu.name == name) return &mu;
  return nullptr;
}

namespace {
Model applyInOrder(Model m, const std::vector<std::string>& names) {
  for (auto& n : names) {
    const Mutation* mu = findMutation(n);
    if (!mu) throw std::invalid_argument(fmt::format("unknown mutation '{}': `madewrong list mutations` shows the catalog", n));
    if (std::find(m.mutations.begin(), m.mutations.end(), n) != m.mutations.end())
      throw std::invalid_argument(fmt::format("mutation '{}' is given twice", n));
    try {
      mu->apply(m);
    } catch (const std::logic_error& e) {
      throw std::invalid_argument(fmt::format("mutation '{}' cannot be combined with {}: the site it changes is gone ({})",
                                              n, fmt::join(m.mutations, ", "), e.what()));
    }
    m.mutations.push_back(n);
  }
  return m;
}
}  // namespace

Model mutate(Model m, const std::vector<std::string>& names) {
  // Two mutations conflict when one removes the site the other changes. Applied in one order
  // that only shows as a missing site, in the other order it passes unseen (the change lands on
  // a site that is then dropped), so every pair is tried both ways: the answer may not depend on
  // the order the user wrote them in.
  for (size_t i = 0; i < names.size(); ++i)
    for (size_t j = i + 1; j < names.size(); ++j) {
      if (names[i] == names[j]) continue;  // reported as given twice below
      for (auto& pair : {std::vector<std::string>{names[i], names[j]}, std::vector<std::string>{names[j], names[i]}}) {
        try {
          applyInOrder(m, pair);
        } catch (const std::invalid_argument& e) {
          if (!findMutation(pair[0]) || !findMutation(pair[1])) break;  // the unknown name is reported below
          throw std::invalid_argument(fmt::format("mutations '{}' and '{}' cannot be combined: one removes the site the "
                                                  "other changes",
                                                  names[i], names[j]));
        }
      }
    }
  return applyInOrder(std::move(m), names);
}

}  // namespace mw
