#include "mutations/operators.hpp"

#include "mutations/catalog.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <functional>
#include <map>
#include <set>
#include <stdexcept>

namespace mw {

const std::vector<std::string>& operatorNames() {
  static const std::vector<std::string> names = {"comparison", "weaken", "update", "variable", "quorum", "choice", "forget"};
  return names;
}

std::string catalogAlias(const Model& m, const std::string& name) {
  const CatalogEntry* entry = nullptr;
  for (auto& c : m.catalog)
    if (c.name == name) entry = &c;
  if (!entry || entry->changes.size() != 1) return "";
  const CatalogChange& ch = entry->changes[0];
  switch (ch.kind) {
    case CatalogChange::Kind::Compare:
      // The choice operator's "lowest" mutant is its order comparison turned around.
      for (auto& rule : m.choiceRules)
        if (rule.order == ch.site) {
          Model copy = m;  // findSites hands out writable nodes; this only reads the operator
          std::vector<Expr*> at = findSites(copy, ch.site);
          Op was = at.size() == 1 ? at[0]->op : ch.op;
          Op turned = was == Op::Ge ? Op::Le : was == Op::Le ? Op::Ge : was == Op::Gt ? Op::Lt : was == Op::Lt ? Op::Gt : was;
          if (turned == ch.op && turned != was) return rule.name + ":lowest";
        }
      return ch.site + ":" + opText(ch.op);
    case CatalogChange::Kind::Drop:
      for (auto& rule : m.choiceRules)
        if (rule.rule == ch.site) return rule.name + ":any";
      return ch.site + ":drop";
    case CatalogChange::Kind::ShrinkQuorum:
      if (ch.by != 1 || ch.system < 1 || ch.system > static_cast<int>(m.systems.size())) return "";
      return fmt::format("quorum.{}:-1", m.systems[ch.system - 1].key());
    case CatalogChange::Kind::SetField: return "";
    case CatalogChange::Kind::Forget: return m.funcs.at(ch.func).name + ":forget";
    case CatalogChange::Kind::UseSystem:
    case CatalogChange::Kind::Replace: return "";
  }
  return "";
}

namespace {
// The name a protocol file gave the variable bound at `slot` in this action, if every binder of
// that slot in it uses one name (slots are reused by sibling scopes); else "".
void binderNames(const Expr& e, int slot, std::set<std::string>& names) {
  if ((e.kind == Kind::Exists || e.kind == Kind::Forall || e.kind == Kind::AtLeast) && e.slot == slot)
    names.insert(e.name);
  for (auto& k : e.kids) binderNames(k, slot, names);
}
std::string boundName(const Action& act, int slot) {
  std::set<std::string> names;
  for (auto& g : act.guard) binderNames(g, slot, names);
  for (auto& u : act.updates) {
    for (auto& a : u.args) binderNames(a, slot, names);
    binderNames(u.value, slot, names);
    for (auto& o : u.over)
      if (o.slot == slot) names.insert(o.name);
  }
  return names.size() == 1 ? *names.begin() : "";
}
// The variables an update is done for every value of, by name.
Scope overScope(const Update& u) {
  Scope s;
  for (auto& o : u.over) s[o.slot] = o.name;
  return s;
}
std::string binder(const Expr& e) { return e.name.empty() ? fmt::format("x{}", e.slot) : e.name; }

// Whether every binder of `slot` in this action ranges over an ordered sort.
void binderSorts(const Expr& e, int slot, std::vector<Sort>& sorts) {
  if ((e.kind == Kind::Exists || e.kind == Kind::Forall || e.kind == Kind::AtLeast) && e.slot == slot) sorts.push_back(e.sort);
  for (auto& k : e.kids) binderSorts(k, slot, sorts);
}
// An operand of a comparison that is of an ordered sort (or a number, which only ordered sorts
// are compared with); a comparison of any other sort has only = and !=.
bool orderedOperand(const Model& m, const Action& act, const Expr& e) {
  switch (e.kind) {
    case Kind::Const: return e.val != kNone && !(e.sort.role == Role::Ordered && !m.hasOrder(e.sort));  // an enum's element: no order
    case Kind::Read: return m.hasOrder(m.funcs[e.ref].result);
    case Kind::Var: {
      if (e.slot < static_cast<int>(act.params.size())) return m.hasOrder(act.params[e.slot].sort);
      std::vector<Sort> sorts;
      for (auto& g : act.guard) binderSorts(g, e.slot, sorts);
      for (auto& u : act.updates) {
        for (auto& a : u.args) binderSorts(a, e.slot, sorts);
        binderSorts(u.value, e.slot, sorts);
        for (auto& o : u.over)
          if (o.slot == e.slot) sorts.push_back(o.sort);
      }
      return !sorts.empty() && std::all_of(sorts.begin(), sorts.end(), [&](const Sort& s) { return m.hasOrder(s); });
    }
    default: return false;
  }
}
std::string systemName(const Model& m, int which) {
  return which >= 1 && which <= static_cast<int>(m.systems.size()) ? m.systems[which - 1].name : fmt::format("q{}", which);
}
}  // namespace

std::string showExpr(const Model& m, const Action* act, const Expr& e, const Scope& scope) {
  auto kids = [&](const char* sep) {
    std::string s;
    for (size_t i = 0; i < e.kids.size(); ++i) s += (i ? sep : "") + showExpr(m, act, e.kids[i], scope);
    return s;
  };
  auto body = [&]() {  // a quantifier's body, with its binder in scope
    Scope inner = scope;
    inner[e.slot] = binder(e);
    return showExpr(m, act, e.kids[0], inner);
  };
  switch (e.kind) {
    case Kind::Const:
      if (e.val != kNone && e.sort.role == Role::Ordered && !m.hasOrder(e.sort)) return showValue(m, e.sort, e.val);  // an enum's element
      return e.val == kNone ? "none" : std::to_string(e.val);
    case Kind::Var: {
      if (act && e.slot < static_cast<int>(act->params.size())) return act->params[e.slot].name;
      if (auto it = scope.find(e.slot); it != scope.end()) return it->second;
      std::string name = act ? boundName(*act, e.slot) : "";
      return name.empty() ? fmt::format("x{}", e.slot) : name;
    }
    case Kind::Read: return fmt::format("{}[{}]", m.funcs[e.ref].name, kids(", "));
    case Kind::Sent: return fmt::format("sent {}({})", m.rels[e.ref].name, kids(", "));
    case Kind::Cmp: return fmt::format("{} {} {}", showExpr(m, act, e.kids[0], scope), opText(e.op), showExpr(m, act, e.kids[1], scope));
    case Kind::And: return "(" + kids(" and ") + ")";
    case Kind::Or: return "(" + kids(" or ") + ")";
    case Kind::Not: return "not " + showExpr(m, act, e.kids[0], scope);
    case Kind::Implies: return "(" + kids(" => ") + ")";
    case Kind::Ite:
      return fmt::format("(if {} then {} else {})", showExpr(m, act, e.kids[0], scope), showExpr(m, act, e.kids[1], scope),
                         showExpr(m, act, e.kids[2], scope));
    case Kind::Exists: return fmt::format("exists {}: {}", binder(e), body());
    case Kind::Forall: return fmt::format("forall {}: {}", binder(e), body());
    case Kind::Quorum: return fmt::format("some {} quorum Q: {}", systemName(m, e.ref), showExpr(m, act, e.kids[0], scope));
    case Kind::InQuorum: return showExpr(m, act, e.kids[0], scope) + " in Q";
    case Kind::InSubset: return showExpr(m, act, e.kids[0], scope) + " in " + m.subsets.at(e.ref).name;
    case Kind::AtLeast: return fmt::format("atleast {} {}: {}", systemName(m, e.ref), binder(e), body());
  }
  return "?";
}

namespace {
// Where an expression node sits in a model: an action, a guard conjunct or an update, and the
// path of child indices from there. Paths are stable for a given model.
struct Where {
  int action = 0;
  int guard = -1;       // guard conjunct index, or -1 for an update
  int update = -1;      // update index
  int arg = -1;         // update: argument index, or -1 for the assigned value
  std::vector<int> path;
};

Expr* resolve(Model& m, const Where& w) {
  Action& a = m.actions[w.action];
  Expr* e = w.guard >= 0 ? &a.guard[w.guard]
                         : (w.arg >= 0 ? &a.updates[w.update].args[w.arg] : &a.updates[w.update].value);
  for (int k : w.path) e = &e->kids[k];
  return e;
}

// Visits every node with its location, its readable site name and its parent. A node the file
// labels is named by its label; any other by the nearest labelled ancestor's label and its own
// text in the file's names, `Phase2a.pick-highest{x in Q}` (a long one by its first word and
// binder, `{forall x2}`), with `#2`, `#3` for a text that repeats under one label. So a name
// does not change when unrelated parts of the file do.
using Visit = std::function<void(const Where&, const Expr&, const std::string& site, const Expr* parent, const Scope& scope)>;

struct Walker {
  const Model& m;
  const Action* act;
  const Visit& f;
  std::map<std::string, int> seen;  // site names given so far, for #k
  Scope scope;                      // the binders around the node visited
  Scope base;                       // the binders around the root (an update's `forall`)

  std::string text(const Expr& e) const {
    std::string t = showExpr(m, act, e, scope);
    if (t.size() <= 40) return t;
    switch (e.kind) {
      case Kind::Exists: return "exists " + binder(e);
      case Kind::Forall: return "forall " + binder(e);
      case Kind::AtLeast: return "atleast " + binder(e);
      case Kind::Quorum: return "some quorum";
      case Kind::And: return "and";
      case Kind::Or: return "or";
      case Kind::Implies: return "implies";
      case Kind::Not: return "not";
      default: return t.substr(0, 40);
    }
  }
  void walk(const Expr& e, Where& w, const std::string& named, const Expr* parent) {
    std::string site = e.site;
    if (site.empty()) {
      site = named + "{" + text(e) + "}";
      int k = ++seen[site];
      if (k > 1) site += fmt::format("#{}", k);
    }
    f(w, e, site, parent, scope);
    descend(e, w, e.site.empty() ? named : e.site);
  }
  void descend(const Expr& e, Where& w, const std::string& named) {
    Scope outer = scope;
    if (e.kind == Kind::Exists || e.kind == Kind::Forall || e.kind == Kind::AtLeast) scope[e.slot] = binder(e);
    for (size_t i = 0; i < e.kids.size(); ++i) {
      w.path.push_back(static_cast<int>(i));
      walk(e.kids[i], w, named, &e);
      w.path.pop_back();
    }
    scope = std::move(outer);
  }
  // A root: a guard conjunct or an update's argument, already named.
  void root(const Expr& e, Where& w, const std::string& name) {
    scope = base;
    f(w, e, name, nullptr, scope);
    descend(e, w, e.site.empty() ? name : e.site);
  }
};

void walkModel(const Model& m, const Visit& f, bool updates) {
  for (size_t a = 0; a < m.actions.size(); ++a) {
    const Action& act = m.actions[a];
    Walker walker{m, &act, f, {}, {}, {}};
    for (size_t g = 0; g < act.guard.size(); ++g) {
      Where w{static_cast<int>(a), static_cast<int>(g), -1, -1, {}};
      const Expr& e = act.guard[g];
      walker.root(e, w, e.site.empty() ? fmt::format("{}.guard{}", act.name, g) : e.site);
    }
    if (!updates) continue;
    for (size_t u = 0; u < act.updates.size(); ++u) {
      const Update& up = act.updates[u];
      walker.base = overScope(up);
      for (size_t k = 0; k < up.args.size(); ++k) {
        Where w{static_cast<int>(a), -1, static_cast<int>(u), static_cast<int>(k), {}};
        std::string field = up.kind == Update::Kind::Send ? m.rels[up.ref].fields[k] : fmt::format("arg{}", k);
        walker.root(up.args[k], w, up.args[k].site.empty() ? up.site + "." + field : up.args[k].site);
      }
      if (up.kind == Update::Kind::Assign) {
        Where w{static_cast<int>(a), -1, static_cast<int>(u), -1, {}};
        walker.root(up.value, w, up.value.site.empty() ? up.site + ".value" : up.value.site);
      }
    }
  }
}

bool small(const std::string& s) { return s.size() <= 48; }
}  // namespace

std::vector<Mutant> generateMutants(const Model& m, const std::vector<std::string>& operators) {
  for (auto& o : operators)
    if (std::find(operatorNames().begin(), operatorNames().end(), o) == operatorNames().end())
      throw std::invalid_argument(fmt::format("unknown operator '{}': choose from {}", o, fmt::join(operatorNames(), ", ")));
  auto wanted = [&](const char* op) {
    return operators.empty() || std::find(operators.begin(), operators.end(), op) != operators.end();
  };
  std::vector<Mutant> out;
  auto make = [&](const char* op, std::string id, std::string site, std::string desc, Model mm) {
    mm.finish();
    mm.mutations = m.mutations;  // a base the mutants are made on (`mutants --mutate`) stays named
    mm.mutations.push_back(id);
    out.push_back({std::move(id), op, std::move(site), std::move(desc), std::move(mm)});
  };

  if (wanted("comparison"))
    walkModel(m, [&](const Where& w, const Expr& e, const std::string& site, const Expr*, const Scope& scope) {
      if (e.kind != Kind::Cmp) return;
      const Action* act = &m.actions[w.action];
      bool ordered = orderedOperand(m, *act, e.kids[0]) || orderedOperand(m, *act, e.kids[1]);
      for (Op op : {Op::Lt, Op::Le, Op::Gt, Op::Ge, Op::Eq, Op::Ne}) {
        if (op == e.op) continue;
        if (!ordered && op != Op::Eq && op != Op::Ne) continue;  // no order to compare by
        Model mm = m;
        Expr* x = resolve(mm, w);
        x->op = op;
        make("comparison", fmt::format("{}:{}", site, opText(op)), site,
             fmt::format("{}: `{}` becomes `{}`", act->name, showExpr(m, act, e, scope), showExpr(m, act, *x, scope)), std::move(mm));
      }
    }, true);

  if (wanted("weaken"))
    walkModel(m, [&](const Where& w, const Expr& e, const std::string& site, const Expr* parent, const Scope& scope) {
      bool conjunct = (w.path.empty() && w.guard >= 0) || (parent && parent->kind == Kind::And);
      if (!conjunct || (e.kind == Kind::Const && e.val == 1)) return;
      const Action* act = &m.actions[w.action];
      Model mm = m;
      Expr* x = resolve(mm, w);
      std::string text = showExpr(m, act, e, scope);
      *x = constant(1);
      x->site = site;
      make("weaken", site + ":drop", site,
           fmt::format("{} without the guard conjunct {}", act->name, small(text) ? "`" + text + "`" : site), std::move(mm));
    }, false);

  if (wanted("update"))
    for (size_t a = 0; a < m.actions.size(); ++a)
      for (size_t u = 0; u < m.actions[a].updates.size(); ++u) {
        const Update& up = m.actions[a].updates[u];
        if (up.kind != Update::Kind::Assign) continue;
        Model mm = m;
        mm.actions[a].updates.erase(mm.actions[a].updates.begin() + u);
        std::string cell = fmt::format("{}[", m.funcs[up.ref].name);
        for (size_t k = 0; k < up.args.size(); ++k) cell += (k ? ", " : "") + showExpr(m, &m.actions[a], up.args[k], overScope(up));
        make("update", up.site + ":drop", up.site,
             fmt::format("{} no longer sets {}] := {}", m.actions[a].name, cell, showExpr(m, &m.actions[a], up.value, overScope(up))),
             std::move(mm));
      }

  if (wanted("variable")) {
    auto replace = [&](const Where& w, const Expr& e, const std::string& site, const Expr*, const Scope&) {
      if (e.kind != Kind::Read) return;
      const Func& f = m.funcs[e.ref];
      for (size_t g = 0; g < m.funcs.size(); ++g) {
        if (static_cast<int>(g) == e.ref || !(m.funcs[g].result == f.result) || m.funcs[g].args != f.args) continue;
        Model mm = m;
        resolve(mm, w)->ref = static_cast<int>(g);
        const Action* act = &m.actions[w.action];
        make("variable", fmt::format("{}:{}->{}", site, f.name, m.funcs[g].name), site,
             fmt::format("{} reads {} where it read {} ({})", act->name, m.funcs[g].name, f.name, site), std::move(mm));
      }
    };
    // Reads in guards and in message fields, not in assigned values.
    walkModel(m, [&](const Where& w, const Expr& e, const std::string& site, const Expr* parent, const Scope& scope) {
      if (w.guard >= 0 || (w.arg >= 0 && m.actions[w.action].updates[w.update].kind == Update::Kind::Send))
        replace(w, e, site, parent, scope);
    }, true);
  }

  if (wanted("quorum")) {
    // One mutant per quorum system: its quorums one member smaller.
    std::string member = "member";
    for (auto& d : m.sorts)
      if (d.sort.role == Role::Process) member = d.name;
    for (size_t k = 0; k < m.systems.size(); ++k) {
      const QuorumDecl& q = m.systems[k];
      Model mm = m;
      mm.quorumDelta.resize(std::max(mm.quorumDelta.size(), k + 1), 0);
      mm.quorumDelta[k] -= 1;
      std::string key = q.key();
      std::string what = q.text.empty() ? q.name + " quorums" : q.text;
      make("quorum", fmt::format("quorum.{}:-1", key), "quorum." + key,
           fmt::format("{} have one {} fewer ({} - 1)", what, member, key), std::move(mm));
    }
  }

  if (wanted("forget"))
    // One mutant per persistent state: a restart (--faults restart) now resets it.
    for (size_t f = 0; f < m.funcs.size(); ++f) {
      if (!m.funcs[f].persistent) continue;
      Model mm = m;
      mm.funcs[f].persistent = false;
      const std::string& name = m.funcs[f].name;
      make("forget", name + ":forget", name, fmt::format("{} is not kept on disk: a restart resets it to {}", name,
                                                         showValue(m, m.funcs[f].result, m.funcs[f].init)),
           std::move(mm));
    }

  if (wanted("choice"))
    for (auto& rule : m.choiceRules) {
      std::vector<Expr*> order;
      Model low = m;
      walkModel(low, [&](const Where& w, const Expr& e, const std::string&, const Expr*, const Scope&) {
        if (e.site == rule.order) order.push_back(resolve(low, w));
      }, false);
      if (order.size() == 1 && order[0]->kind == Kind::Cmp) {
        order[0]->op = order[0]->op == Op::Ge ? Op::Le : order[0]->op == Op::Le ? Op::Ge
                     : order[0]->op == Op::Gt ? Op::Lt : Op::Gt;
        make("choice", rule.name + ":lowest", rule.rule, rule.lowestText,
             std::move(low));
      }
      Model any = m;
      bool found = false;
      walkModel(any, [&](const Where& w, const Expr& e, const std::string&, const Expr*, const Scope&) {
        if (e.site == rule.rule && !found) {
          Expr* x = resolve(any, w);
          *x = constant(1);
          x->site = rule.rule;
          found = true;
        }
      }, false);
      if (found)
        make("choice", rule.name + ":any", rule.rule, rule.anyText,
             std::move(any));
    }
  return out;
}

}  // namespace mw
