// Builders, validation and cell layout for the protocol description language.
#include "model/model.hpp"

#include <fmt/format.h>

#include <cctype>

#include <stdexcept>

namespace mw {

std::string sortName(Sort s) {
  std::string b = s.role == Role::Process ? "Process" : s.role == Role::Symmetric ? "Symmetric"
                  : s.index == 0 ? "Ordered" : fmt::format("Ordered{}", s.index + 1);
  return s.withNone ? b + "?" : b;
}

const SortDecl* Model::sortDecl(Sort s) const {
  for (auto& d : sorts)
    if (d.sort.role == s.role && d.sort.index == s.index) return &d;
  return nullptr;
}

std::string Model::sortText(Sort s) const {
  const SortDecl* d = sortDecl(s);
  if (!d) return sortName(s);
  return s.withNone ? d->name + "?" : d->name;
}

const char* opText(Op op) {
  switch (op) {
    case Op::Lt: return "<";
    case Op::Le: return "<=";
    case Op::Gt: return ">";
    case Op::Ge: return ">=";
    case Op::Eq: return "=";
    case Op::Ne: return "!=";
  }
  return "?";
}

bool applyOp(Op op, int l, int r) {
  switch (op) {
    case Op::Lt: return l < r;
    case Op::Le: return l <= r;
    case Op::Gt: return l > r;
    case Op::Ge: return l >= r;
    case Op::Eq: return l == r;
    case Op::Ne: return l != r;
  }
  return false;
}

static Expr node(Kind k, std::vector<Expr> kids = {}) {
  Expr e;
  e.kind = k;
  e.kids = std::move(kids);
  return e;
}

Expr constant(int v) {
  Expr e = node(Kind::Const);
  e.val = v;
  return e;
}
Expr ite(Expr cond, Expr then, Expr otherwise) {
  Expr e = node(Kind::Ite);
  e.kids = {std::move(cond), std::move(then), std::move(otherwise)};
  return e;
}
Expr var(int slot) {
  Expr e = node(Kind::Var);
  e.slot = slot;
  return e;
}
Expr cmp(Op op, Expr l, Expr r) {
  Expr e = node(Kind::Cmp, {std::move(l), std::move(r)});
  e.op = op;
  return e;
}
Expr conj(std::vector<Expr> kids) { return node(Kind::And, std::move(kids)); }
Expr disj(std::vector<Expr> kids) { return node(Kind::Or, std::move(kids)); }
Expr neg(Expr e) { return node(Kind::Not, {std::move(e)}); }
Expr implies(Expr p, Expr c) { return node(Kind::Implies, {std::move(p), std::move(c)}); }
static Expr binder(Kind k, int slot, Sort s, Expr body) {
  Expr e = node(k, {std::move(body)});
  e.slot = slot;
  e.sort = s;
  return e;
}
Expr exists(int slot, Sort s, Expr body) { return binder(Kind::Exists, slot, s, std::move(body)); }
Expr forall(int slot, Sort s, Expr body) { return binder(Kind::Forall, slot, s, std::move(body)); }
Expr atLeast(int which, int slot, Sort s, Expr body) {
  Expr e = binder(Kind::AtLeast, slot, s, std::move(body));
  e.ref = which;
  return e;
}
Expr quorum(int which, Expr body) {
  Expr e = node(Kind::Quorum, {std::move(body)});
  e.ref = which;
  return e;
}
Expr inQuorum(Expr acceptor) { return node(Kind::InQuorum, {std::move(acceptor)}); }
Expr inSubset(int which, Expr element) {
  Expr e = node(Kind::InSubset, {std::move(element)});
  e.ref = which;
  return e;
}
Expr named(std::string site, Expr e) {
  e.site = std::move(site);
  return e;
}

long SizeExpr::eval(const Instance& in, int faults) const {
  switch (kind) {
    case Kind::Num: return val;
    case Kind::Size: return in.size(sort);
    case Kind::Faults: return faults;
    case Kind::System: return val >= 0 && val < static_cast<int>(in.quorums.size()) ? in.quorums[val] : 0;
    case Kind::Add: return kids[0].eval(in, faults) + kids[1].eval(in, faults);
    case Kind::Sub: return kids[0].eval(in, faults) - kids[1].eval(in, faults);
    case Kind::Mul: return kids[0].eval(in, faults) * kids[1].eval(in, faults);
    case Kind::Div: {
      long d = kids[1].eval(in, faults);
      return d == 0 ? 0 : kids[0].eval(in, faults) / d;
    }
  }
  return 0;
}

bool SizeCondition::holds(const Instance& in) const {
  for (auto& c : all)
    if (!applyOp(c.op, static_cast<int>(c.left.eval(in)), static_cast<int>(c.right.eval(in)))) return false;
  return true;
}

int Model::func(const std::string& n) const {
  for (size_t i = 0; i < funcs.size(); ++i)
    if (funcs[i].name == n) return static_cast<int>(i);
  throw std::logic_error("unknown function " + n);
}
int Model::rel(const std::string& n) const {
  for (size_t i = 0; i < rels.size(); ++i)
    if (rels[i].name == n) return static_cast<int>(i);
  throw std::logic_error("unknown message type " + n);
}
const Invariant* Model::invariant(const std::string& n) const {
  for (auto& inv : invariants)
    if (inv.name == n) return &inv;
  return nullptr;
}

// Quorum choices are encoded as free per-step variables, which is sound only where the quorum
// is asserted positively and once: not under negation, an implication's premise, or a
// quantifier (where one Q would be shared by every instance of the body).
static void number(Expr& e, int& next, int enclosing, bool positive, const std::string& where) {
  if (e.kind == Kind::Quorum) {
    if (!positive) throw std::logic_error(where + ": a quorum may only appear positively, outside quantifiers");
    e.qid = next++;
    number(e.kids[0], next, e.qid, true, where);
    return;
  }
  if (e.kind == Kind::InQuorum) {
    if (enclosing < 0) throw std::logic_error(where + ": InQuorum outside a quorum");
    e.qid = enclosing;
  }
  bool keep = positive && (e.kind == Kind::And || e.kind == Kind::Or);
  for (size_t i = 0; i < e.kids.size(); ++i) {
    bool pos = keep || (e.kind == Kind::Implies && i == 1 && positive);
    number(e.kids[i], next, enclosing, pos, where);
  }
}

void Model::finish() {
  quorumCount = 0;
  for (auto& a : actions)
    for (auto& g : a.guard) number(g, quorumCount, -1, true, a.name);
  for (auto* list : {&invariants, &inductive})
    for (auto& inv : *list) {
      int none = 0;
      number(inv.holds, none, -1, false, inv.name);
    }
}

static std::vector<std::pair<int, int>> strides(const Instance& in, const std::vector<Sort>& sorts, int& cells) {
  std::vector<std::pair<int, int>> out(sorts.size());
  int c = 1;
  for (size_t i = sorts.size(); i-- > 0;) {
    out[i] = {in.lo(sorts[i]), c};
    c *= in.count(sorts[i]);
  }
  cells = c;
  return out;
}

Layout::Layout(const Model& m, const Instance& in) : model(&m), inst(in) {
  for (auto& f : m.funcs) {
    int c = 0;
    funcBase.push_back(funcCells);
    funcStride.push_back(strides(in, f.args, c));
    funcCells += c;
  }
  for (auto& r : m.rels) {
    int c = 0;
    relBase.push_back(relCells);
    relStride.push_back(strides(in, r.sorts, c));
    relCells += c;
  }
}

static int flat(const Instance& in, const std::vector<Sort>& sorts, const std::vector<int>& vals) {
  int idx = 0;
  for (size_t i = 0; i < sorts.size(); ++i) idx = idx * in.count(sorts[i]) + (vals[i] - in.lo(sorts[i]));
  return idx;
}
static std::vector<int> unflat(const Instance& in, const std::vector<Sort>& sorts, int idx) {
  std::vector<int> vals(sorts.size());
  for (size_t i = sorts.size(); i-- > 0;) {
    vals[i] = idx % in.count(sorts[i]) + in.lo(sorts[i]);
    idx /= in.count(sorts[i]);
  }
  return vals;
}

int Layout::funcIndex(int f, const std::vector<int>& args) const {
  return funcBase[f] + flat(inst, model->funcs[f].args, args);
}
int Layout::relIndex(int r, const std::vector<int>& fields) const {
  return relBase[r] + flat(inst, model->rels[r].sorts, fields);
}
int Layout::funcOf(int cell) const {
  int f = 0;
  while (f + 1 < static_cast<int>(funcBase.size()) && funcBase[f + 1] <= cell) ++f;
  return f;
}
int Layout::relOf(int cell) const {
  int r = 0;
  while (r + 1 < static_cast<int>(relBase.size()) && relBase[r + 1] <= cell) ++r;
  return r;
}
std::vector<int> Layout::funcArgs(int f, int cell) const {
  return unflat(inst, model->funcs[f].args, cell - funcBase[f]);
}
std::vector<int> Layout::relFields(int r, int cell) const {
  return unflat(inst, model->rels[r].sorts, cell - relBase[r]);
}

std::vector<std::vector<int>> tuples(const Instance& in, const std::vector<Sort>& sorts) {
  std::vector<std::vector<int>> out;
  int total = 1;
  for (auto s : sorts) total *= in.count(s);
  out.reserve(total);
  for (int i = 0; i < total; ++i) out.push_back(unflat(in, sorts, i));
  return out;
}

std::vector<Ground> groundActions(const Model& m, const Instance& in) {
  std::vector<Ground> out;
  for (size_t a = 0; a < m.actions.size(); ++a) {
    std::vector<Sort> sorts;
    for (auto& p : m.actions[a].params) sorts.push_back(p.sort);
    for (auto& t : tuples(in, sorts)) out.push_back({static_cast<int>(a), t});
  }
  return out;
}

static void quorumIdsOf(const Expr& e, std::vector<int>& out) {
  if (e.kind == Kind::Quorum) out.push_back(e.qid);
  for (auto& k : e.kids) quorumIdsOf(k, out);
}

std::vector<int> quorumIds(const Action& a) {
  std::vector<int> out;
  for (auto& g : a.guard) quorumIdsOf(g, out);
  return out;
}

namespace {
bool mentions(const Expr& e, Kind kind, int ref) {
  if (e.kind == kind && e.ref == ref) return true;
  for (auto& k : e.kids)
    if (mentions(k, kind, ref)) return true;
  return false;
}
}  // namespace

bool touches(const Action& a, const Expr& e) {
  for (auto& u : a.updates)
    if (mentions(e, u.kind == Update::Kind::Send ? Kind::Sent : Kind::Read, u.ref)) return true;
  return false;
}

std::string showGround(const Model& m, const Ground& g) {
  auto& act = m.actions[g.action];
  std::string s = act.name + "(";
  for (size_t i = 0; i < g.params.size(); ++i)
    s += fmt::format("{}{}={}", i ? ", " : "", act.params[i].name, showValue(m, act.params[i].sort, g.params[i]));
  return s + ")";
}

char processLetter(const Model& m) { return valueLetter(m, Role::Process); }

char valueLetter(const Model& m, Role role) {
  // The first letter of each sort's name, lower case; a1/v1 when a name gives none, or both give the same.
  auto first = [&](Role r, char fallback) {
    for (auto& d : m.sorts)
      if (d.sort.role == r && !d.name.empty() && std::isalpha(static_cast<unsigned char>(d.name[0])))
        return static_cast<char>(std::tolower(static_cast<unsigned char>(d.name[0])));
    return fallback;
  };
  char p = first(Role::Process, 'a'), v = first(Role::Symmetric, 'v');
  if (p == v) p = 'a', v = 'v';
  return role == Role::Process ? p : v;
}

std::string showValue(const Model& m, Sort s, int v) {
  if (v == kNone) return m.hasOrder(s) ? "-1" : "none";
  if (s.role == Role::Ordered) {
    const SortDecl* d = m.sortDecl(s);
    if (d && d->isEnum() && v >= 0 && v < static_cast<int>(d->constants.size())) return d->constants[v];
    return fmt::format("{}", v);
  }
  return fmt::format("{}{}", valueLetter(m, s.role), v + 1);
}

std::string showProcesses(const Model& m, const std::vector<int>& as) {
  std::string s = "{";
  for (size_t i = 0; i < as.size(); ++i) s += (i ? "," : "") + showValue(m, Sort{Role::Process, false, 0}, as[i]);
  return s + "}";
}

}  // namespace mw
