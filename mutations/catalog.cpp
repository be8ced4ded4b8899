// Rewrites of a model at labelled sites, and the named mutations a protocol file declares.
#include "mutations/catalog.hpp"
#include "mutations/operators.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <optional>
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

const std::vector<CatalogEntry>& catalog(const Model& m) { return m.catalog; }

const CatalogEntry* findMutation(const Model& m, const std::string& name) {
  for (auto& c : m.catalog)
    if (c.name == name) return &c;
  return nullptr;
}

void applyEntry(Model& m, const CatalogEntry& entry) {
  for (auto& ch : entry.changes) switch (ch.kind) {
      case CatalogChange::Kind::Compare: setComparison(m, ch.site, ch.op); break;
      case CatalogChange::Kind::Drop:
        // The label of an update removes it; the label of a condition makes it true.
        if (findUpdate(m, ch.site)) dropUpdate(m, ch.site);
        else dropConjunct(m, ch.site);
        break;
      case CatalogChange::Kind::SetField: {
        if (Update* u = findUpdate(m, ch.site)) {
          if (ch.field >= static_cast<int>(u->args.size())) throw std::logic_error("model " + m.name + " has no send " + ch.site);
          u->args[ch.field] = constant(ch.value);
          break;
        }
        for (Expr* e : sites(m, ch.site)) {  // a `sent` in a guard now reads that field as the constant
          if (e->kind != Kind::Sent || ch.field >= static_cast<int>(e->kids.size())) throw std::logic_error(ch.site + " is not a sent condition");
          e->kids[ch.field] = constant(ch.value);
        }
        break;
      }
      case CatalogChange::Kind::ShrinkQuorum:
        if (static_cast<int>(m.quorumDelta.size()) < ch.system) m.quorumDelta.resize(ch.system, 0);
        m.quorumDelta[ch.system - 1] -= ch.by;
        break;
      case CatalogChange::Kind::Forget: m.funcs.at(ch.func).persistent = false; break;
      case CatalogChange::Kind::Replace:
        for (Expr* e : sites(m, ch.site)) {
          Expr r = ch.replacement;
          r.site = ch.site;
          *e = std::move(r);
        }
        m.finish();  // quorum numbering may have changed
        break;
      case CatalogChange::Kind::UseSystem:
        for (Expr* e : sites(m, ch.site)) {
          if (e->kind != Kind::AtLeast && e->kind != Kind::Quorum) throw std::logic_error(ch.site + " counts no quorum");
          e->ref = ch.system;
        }
        break;
    }
}

namespace {
// A generated mutant's id (what `mutants` prints) made on m, or null.
std::optional<Model> generated(const Model& m, const std::string& id) {
  for (auto& mu : generateMutants(m))
    if (mu.id == id) return std::move(mu.model);
  return std::nullopt;
}

// A catalog name, or the id of a mutant the generic operators make on the protocol.
bool known(const Model& m, const std::string& name) { return findMutation(m, name) || generated(m, name); }

std::invalid_argument unknown(const std::string& n) {
  return std::invalid_argument(fmt::format(
      "unknown mutation '{}': `madewrong list mutations` shows the catalog, `madewrong mutants` the ids of every mutant", n));
}

Model applyInOrder(Model m, const std::vector<std::string>& names) {
  const Model original = m;
  for (auto& n : names) {
    const CatalogEntry* entry = findMutation(m, n);
    if (std::find(m.mutations.begin(), m.mutations.end(), n) != m.mutations.end())
      throw std::invalid_argument(fmt::format("mutation '{}' is given twice", n));
    std::vector<std::string> before = m.mutations;
    if (const CatalogEntry* mu = entry) {
      try {
        applyEntry(m, *mu);
      } catch (const std::logic_error& e) {
        throw std::invalid_argument(fmt::format("mutation '{}' cannot be combined with {}: the site it changes is gone ({})",
                                                n, fmt::join(m.mutations, ", "), e.what()));
      }
    } else {
      // Ids name sites by label, so the same id is made on a model another mutation changed
      // elsewhere; gone only when that mutation removed its site.
      std::optional<Model> mm = generated(m, n);
      if (!mm && !generated(original, n)) throw unknown(n);
      if (!mm)
        throw std::invalid_argument(fmt::format("mutation '{}' cannot be combined with {}: the site it changes is gone", n,
                                                fmt::join(m.mutations, ", ")));
      m = std::move(*mm);
    }
    m.mutations = before;
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
          if (!known(m, pair[0]) || !known(m, pair[1])) break;  // the unknown name is reported below
          throw std::invalid_argument(fmt::format("mutations '{}' and '{}' cannot be combined: one removes the site the "
                                                  "other changes",
                                                  names[i], names[j]));
        }
      }
    }
  return applyInOrder(std::move(m), names);
}

}  // namespace mw
