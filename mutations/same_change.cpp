#include "mutations/same_change.hpp"

#include <fmt/format.h>

#include <functional>
#include <optional>
#include <set>

#include "mutations/operators.hpp"

namespace mw {

namespace {
struct Change {
  enum class Kind { Compare, Read, Frozen } kind = Kind::Compare;
  std::string left, right;  // Compare: the shapes of its two sides
  Op from = Op::Eq, to = Op::Eq;
  int func = 0, into = 0;  // Read: f -> g; Frozen: f
};

// What a term is, for matching comparisons: a read of which state function, a variable, or which constant.
std::string shape(const Expr& e) {
  switch (e.kind) {
    case Kind::Read: return fmt::format("read {}", e.ref);
    case Kind::Var: return "var";
    case Kind::Const: return fmt::format("const {}", e.val);
    default: return "?";
  }
}
Op negated(Op o) {
  switch (o) {
    case Op::Lt: return Op::Ge;
    case Op::Ge: return Op::Lt;
    case Op::Le: return Op::Gt;
    case Op::Gt: return Op::Le;
    case Op::Eq: return Op::Ne;
    case Op::Ne: return Op::Eq;
  }
  return o;
}
Op swapped(Op o) {  // the same comparison with its sides exchanged
  switch (o) {
    case Op::Lt: return Op::Gt;
    case Op::Gt: return Op::Lt;
    case Op::Le: return Op::Ge;
    case Op::Ge: return Op::Le;
    default: return o;
  }
}

// The nodes that differ between two expressions of the same structure.
void differences(const Expr& a, const Expr& b, std::vector<Change>& out) {
  if (a.kind != b.kind || a.kids.size() != b.kids.size()) return;
  if (a.kind == Kind::Cmp && a.op != b.op)
    out.push_back({Change::Kind::Compare, shape(a.kids[0]), shape(a.kids[1]), a.op, b.op, 0, 0});
  if (a.kind == Kind::Read && a.ref != b.ref) out.push_back({Change::Kind::Read, "", "", Op::Eq, Op::Eq, a.ref, b.ref});
  for (size_t k = 0; k < a.kids.size(); ++k) differences(a.kids[k], b.kids[k], out);
}

bool assigns(const Model& m, int func) {
  for (auto& a : m.actions)
    for (auto& u : a.updates)
      if (u.kind == Update::Kind::Assign && u.ref == func) return true;
  return false;
}

std::vector<Change> changesOf(const Model& p, const Model& q) {
  std::vector<Change> out;
  if (p.actions.size() != q.actions.size()) return out;
  for (size_t i = 0; i < p.actions.size(); ++i) {
    const Action &a = p.actions[i], &b = q.actions[i];
    if (a.guard.size() == b.guard.size())
      for (size_t k = 0; k < a.guard.size(); ++k) differences(a.guard[k], b.guard[k], out);
    if (a.updates.size() == b.updates.size()) {
      for (size_t k = 0; k < a.updates.size(); ++k) {
        for (size_t j = 0; j < a.updates[k].args.size() && j < b.updates[k].args.size(); ++j)
          differences(a.updates[k].args[j], b.updates[k].args[j], out);
        differences(a.updates[k].value, b.updates[k].value, out);
      }
    } else {
      for (auto& u : a.updates)
        if (u.kind == Update::Kind::Assign && assigns(p, u.ref) && !assigns(q, u.ref))
          out.push_back({Change::Kind::Frozen, "", "", Op::Eq, Op::Eq, u.ref, 0});
    }
  }
  return out;
}

// Makes the change wherever it applies in e; says whether it did.
bool apply(const Model& m, const Change& c, Expr& e) {
  bool changed = false;
  for (auto& k : e.kids) changed |= apply(m, c, k);
  switch (c.kind) {
    case Change::Kind::Compare: {
      if (e.kind != Kind::Cmp) break;
      auto mapped = [&](Op p) -> std::optional<Op> {
        if (p == c.from) return c.to;
        if (p == negated(c.from)) return negated(c.to);
        return std::nullopt;
      };
      std::string l = shape(e.kids[0]), r = shape(e.kids[1]);
      std::optional<Op> to;
      if (l == c.left && r == c.right) to = mapped(e.op);
      else if (l == c.right && r == c.left) {
        if (auto o = mapped(swapped(e.op))) to = swapped(*o);
      }
      if (to && *to != e.op) e.op = *to, changed = true;
      break;
    }
    case Change::Kind::Read:
      if (e.kind == Kind::Read && e.ref == c.func) e.ref = c.into, changed = true;
      break;
    case Change::Kind::Frozen:
      if (e.kind == Kind::Read && e.ref == c.func) {
        Expr init = constant(m.funcs[c.func].init);
        init.sort = m.funcs[c.func].result;
        e = init;
        changed = true;
      }
      break;
  }
  // A comparison of two constants (`none = none` once a frozen read is its initial value) is
  // true or false.
  if (changed && e.kind == Kind::Cmp && e.kids[0].kind == Kind::Const && e.kids[1].kind == Kind::Const) e = constant(applyOp(e.op, e.kids[0].val, e.kids[1].val) ? 1 : 0);
  return changed;
}
}  // namespace

std::vector<Invariant> sameChangeOnInvariant(const Model& protocol, const Model& mutant) {
  std::vector<Invariant> out;
  std::vector<Change> changes = changesOf(protocol, mutant);
  if (changes.empty()) return out;
  std::set<std::string> seen;
  for (auto& inv : protocol.inductive) {
    Invariant c = inv;
    bool changed = false;
    for (auto& ch : changes) changed |= apply(protocol, ch, c.holds);
    if (!changed) continue;
    std::string text = showExpr(protocol, nullptr, c.holds);
    if (!seen.insert(text).second) continue;
    c.name = inv.name + "~";
    c.description = "as the mutant changes it: " + text;
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace mw
