#include "model/instantiate.hpp"

#include <fmt/format.h>

namespace mw {

Expr substitute(const Expr& e, int slot, int v) {
  if (e.kind == Kind::Var && e.slot == slot) {
    Expr c = constant(v);
    c.site = e.site;
    return c;
  }
  Expr out = e;
  // A binder of the same slot inside shadows it: leave its body alone.
  bool binds = (e.kind == Kind::Exists || e.kind == Kind::Forall || e.kind == Kind::AtLeast) && e.slot == slot;
  if (!binds)
    for (auto& k : out.kids) k = substitute(k, slot, v);
  return out;
}

namespace {
// `x in S` becomes `x = e1 | x = e2 | ...` over S's elements in this instance (false if none).
void expandSubsets(const Model& m, const Instance& in, Expr& e) {
  for (auto& k : e.kids) expandSubsets(m, in, k);
  if (e.kind != Kind::InSubset) return;
  std::vector<Expr> any;
  for (int v : m.subsetOf(in, e.ref)) any.push_back(cmp(Op::Eq, e.kids[0], constant(v)));
  Expr out = any.empty() ? constant(0) : any.size() == 1 ? std::move(any[0]) : disj(std::move(any));
  out.site = e.site;
  e = std::move(out);
}

// Whether e's value may be none: a constant none, a parameter or a read of an optional sort, or
// an if with such a branch (anything else is taken as may).
bool mayBeNone(const Model& m, const Action& a, const Expr& e) {
  switch (e.kind) {
    case Kind::Const:
      return e.val == kNone;
    case Kind::Var:
      return e.slot >= static_cast<int>(a.params.size()) || a.params[e.slot].sort.withNone;
    case Kind::Read:
      return m.funcs[e.ref].result.withNone;
    case Kind::Ite:
      return mayBeNone(m, a, e.kids[1]) || mayBeNone(m, a, e.kids[2]);
    default:
      return true;
  }
}

// A step whose write would fall outside its sorts (none where a cell's index or a message's
// field has no none) does not happen: such a write is an implicit guard, `x != none`. A file's
// own guards usually say so already (Raft's AppendEntries sends its entry's term only when
// `has` holds); a mutant that drops such a guard gets this one in its place, so every engine
// reads that step alike (before, the interpreters wrote to a wrong cell or stopped with an
// internal error).
bool addSortGuards(Model& m) {
  bool added = false;
  for (auto& a : m.actions)
    for (size_t u = 0; u < a.updates.size(); ++u) {
      const Update& up = a.updates[u];
      const std::vector<Sort>& slots = up.kind == Update::Kind::Assign ? m.funcs[up.ref].args : m.rels[up.ref].sorts;
      for (size_t k = 0; k < up.args.size() && k < slots.size(); ++k)
        if (!slots[k].withNone && mayBeNone(m, a, up.args[k])) {
          Expr g = cmp(Op::Ne, up.args[k], constant(kNone));
          g.site = fmt::format("{}.in-sort{}", up.site.empty() ? a.name : up.site, k);
          a.guard.push_back(std::move(g));
          added = true;
        }
    }
  return added;
}
}  // namespace

Model instantiate(Model m, const Instance& in) {
  // A model that declares no subset has no subset test to expand.
  bool any = false, subsets = !m.subsets.empty();
  for (auto& a : m.actions)
    for (auto& u : a.updates) any = any || !u.over.empty();
  if (!any && !subsets) {
    if (addSortGuards(m)) m.finish();
    return m;
  }
  Model out = std::move(m);
  if (subsets) {
    for (auto& a : out.actions) {
      for (auto& g : a.guard) expandSubsets(out, in, g);
      for (auto& u : a.updates) {
        expandSubsets(out, in, u.value);
        for (auto& x : u.args) expandSubsets(out, in, x);
      }
    }
    for (auto* list : {&out.invariants, &out.inductive})
      for (auto& inv : *list) expandSubsets(out, in, inv.holds);
  }
  for (auto& a : out.actions) {
    std::vector<Update> plain;
    for (auto& u : a.updates) {
      if (u.over.empty()) {
        plain.push_back(u);
        continue;
      }
      std::vector<Sort> sorts;
      for (auto& o : u.over) sorts.push_back(o.sort);
      for (auto& t : tuples(in, sorts)) {
        Update copy = u;
        copy.over.clear();
        for (size_t i = 0; i < t.size(); ++i) {
          for (auto& arg : copy.args) arg = substitute(arg, u.over[i].slot, t[i]);
          copy.value = substitute(copy.value, u.over[i].slot, t[i]);
        }
        plain.push_back(std::move(copy));
      }
    }
    a.updates = std::move(plain);
  }
  addSortGuards(out);
  out.finish();
  return out;
}

}  // namespace mw
