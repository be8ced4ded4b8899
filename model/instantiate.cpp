#include "model/instantiate.hpp"

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

Model instantiate(Model m, const Instance& in) {
  bool any = false;
  for (auto& a : m.actions)
    for (auto& u : a.updates) any = any || !u.over.empty();
  if (!any) return m;
  Model out = std::move(m);
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
  out.finish();
  return out;
}

}  // namespace mw
