#include "firstorder/every_size.hpp"

#include <fmt/format.h>
#include <z3++.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <stdexcept>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace mw {

namespace {
constexpr double kQuerySeconds = 20;

std::invalid_argument unsupported(const std::string& what) {
  return std::invalid_argument("--every-size: " + what + " is not in the first-order encoding yet");
}

// One sort of the file in the encoding.
struct SortInfo {
  std::string name;
  Sort sort;
  z3::sort s;
  std::optional<z3::expr> none, zero;
  std::optional<z3::func_decl> le;  // ordered sorts: the order, none first
  std::vector<z3::expr> consts;     // enum sorts: their elements, all of them
};

struct Env {
  std::vector<std::optional<z3::expr>> slot = std::vector<std::optional<z3::expr>>(64);
  std::vector<Sort> sortOf = std::vector<Sort>(64);
  std::map<int, std::pair<int, z3::expr>> quorum;  // qid -> (system, the quorum)
};

struct Encoder {
  const Model& m;
  z3::context& c;
  std::vector<SortInfo> sorts;
  std::vector<z3::sort> qsorts;
  std::vector<z3::func_decl> member;
  std::vector<z3::func_decl> funcs[2], rels[2];  // before and after a step
  std::vector<z3::func_decl> subsets;            // `x in fast`: any subset, the same before and after
  int fresh = 0;

  Encoder(const Model& model, z3::context& ctx) : m(model), c(ctx) {
    for (auto& d : m.sorts) {
      SortInfo si{d.name, d.sort, c.uninterpreted_sort(d.name.c_str()), {}, {}, {}, {}};
      si.sort.withNone = false;
      si.none = c.constant(("none_" + d.name).c_str(), si.s);
      if (d.isEnum()) {
        for (auto& k : d.constants) si.consts.push_back(c.constant((d.name + "_" + k).c_str(), si.s));
      } else if (d.sort.role == Role::Ordered) {
        si.le = c.function(("le_" + d.name).c_str(), si.s, si.s, c.bool_sort());
        si.zero = c.constant(("first_" + d.name).c_str(), si.s);
      }
      sorts.push_back(std::move(si));
    }
    for (size_t k = 0; k < m.systems.size(); ++k) {
      qsorts.push_back(c.uninterpreted_sort(("quorum_" + m.systems[k].name).c_str()));
      member.push_back(c.function(("member_" + m.systems[k].name).c_str(), info(processSort()).s, qsorts.back(), c.bool_sort()));
    }
    for (auto& d : m.subsets) subsets.push_back(c.function(("in_" + d.name).c_str(), info(d.sort).s, c.bool_sort()));
    for (int st = 0; st < 2; ++st) {
      const char* prime = st ? "'" : "";
      for (auto& f : m.funcs) {
        z3::sort_vector dom(c);
        for (auto& a : f.args) dom.push_back(info(a).s);
        funcs[st].push_back(c.function((f.name + prime).c_str(), dom, info(f.result).s));
      }
      for (auto& r : m.rels) {
        z3::sort_vector dom(c);
        for (auto& a : r.sorts) dom.push_back(info(a).s);
        rels[st].push_back(c.function(("sent_" + r.name + prime).c_str(), dom, c.bool_sort()));
      }
    }
  }

  Sort processSort() const {
    for (auto& d : m.sorts)
      if (d.sort.role == Role::Process) return d.sort;
    throw unsupported("a protocol without a process sort");
  }
  const SortInfo& info(Sort s) const {
    for (auto& si : sorts)
      if (si.sort.role == s.role && (s.role != Role::Ordered || si.sort.index == s.index)) return si;
    throw std::logic_error("a sort the file does not declare");
  }

  // x is an element of s (not none, when s has no none).
  z3::expr inSort(const z3::expr& x, Sort s) const {
    const SortInfo& si = info(s);
    if (!si.consts.empty()) {
      z3::expr_vector any(c);
      for (auto& k : si.consts) any.push_back(x == k);
      return z3::mk_or(any);
    }
    return s.withNone ? c.bool_val(true) : x != *si.none;
  }

  z3::expr constant(const Expr& e, std::optional<Sort> s) const {
    if (!s) throw unsupported("a constant whose sort the encoding cannot tell");
    const SortInfo& si = info(*s);
    if (e.val == kNone) return *si.none;
    if (!si.consts.empty()) {
      if (e.val < 0 || e.val >= static_cast<int>(si.consts.size())) throw std::logic_error("an enum constant out of range");
      return si.consts[e.val];
    }
    if (si.zero && e.val == 0) return *si.zero;
    throw unsupported(fmt::format("the constant {} of sort {} (only none and 0 are)", e.val, si.name));
  }

  // The sort of an expression that names an element, if it can be told from the expression alone.
  std::optional<Sort> sortOf(const Expr& e, const Env& env) const {
    switch (e.kind) {
      case Kind::Var: return env.sortOf[e.slot];
      case Kind::Read: return m.funcs[e.ref].result;
      case Kind::Ite: {
        auto s = sortOf(e.kids[1], env);
        return s ? s : sortOf(e.kids[2], env);
      }
      case Kind::Const:
        if (e.val != kNone && e.sort.role == Role::Ordered && !m.hasOrder(e.sort)) return e.sort;  // an enum's element
        return std::nullopt;
      default: return std::nullopt;
    }
  }

  z3::expr term(const Expr& e, Env& env, int st, std::optional<Sort> want) {
    switch (e.kind) {
      case Kind::Const: return constant(e, want ? want : sortOf(e, env));
      case Kind::Var:
        if (!env.slot[e.slot]) throw std::logic_error("an unbound variable");
        return *env.slot[e.slot];
      case Kind::Read: {
        z3::expr_vector args(c);
        for (size_t k = 0; k < e.kids.size(); ++k) args.push_back(term(e.kids[k], env, st, m.funcs[e.ref].args[k]));
        return funcs[st][e.ref](args);
      }
      case Kind::Ite: {
        std::optional<Sort> s = want ? want : sortOf(e, env);
        return z3::ite(formula(e.kids[0], env, st), term(e.kids[1], env, st, s), term(e.kids[2], env, st, s));
      }
      default: throw unsupported("a condition where an element was expected");
    }
  }

  z3::expr bound(Sort s, const std::string& name) { return c.constant(fmt::format("{}!{}", name, fresh++).c_str(), info(s).s); }

  // The body of binder e with its variable bound to x (the slot's old binding restored after).
  z3::expr under(const Expr& e, const z3::expr& x, Env& env, int st) {
    auto saved = env.slot[e.slot];
    Sort savedSort = env.sortOf[e.slot];
    env.slot[e.slot] = x;
    env.sortOf[e.slot] = e.sort;
    z3::expr body = formula(e.kids[0], env, st);
    env.slot[e.slot] = saved;
    env.sortOf[e.slot] = savedSort;
    return body;
  }

  z3::expr formula(const Expr& e, Env& env, int st) {
    switch (e.kind) {
      case Kind::Const: return c.bool_val(e.val != 0);
      case Kind::Sent: {
        z3::expr_vector args(c);
        for (size_t k = 0; k < e.kids.size(); ++k) args.push_back(term(e.kids[k], env, st, m.rels[e.ref].sorts[k]));
        return rels[st][e.ref](args);
      }
      case Kind::Cmp: {
        std::optional<Sort> s = sortOf(e.kids[0], env);
        if (!s) s = sortOf(e.kids[1], env);
        z3::expr l = term(e.kids[0], env, st, s), r = term(e.kids[1], env, st, s);
        if (e.op == Op::Eq) return l == r;
        if (e.op == Op::Ne) return l != r;
        if (!s || !info(*s).le) throw unsupported("an order comparison of a sort that has no order");
        const z3::func_decl& le = *info(*s).le;
        switch (e.op) {
          case Op::Le: return le(l, r);
          case Op::Lt: return le(l, r) && l != r;
          case Op::Ge: return le(r, l);
          case Op::Gt: return le(r, l) && l != r;
          default: break;
        }
        throw std::logic_error("an unknown comparison");
      }
      case Kind::And: {
        z3::expr_vector v(c);
        for (auto& k : e.kids) v.push_back(formula(k, env, st));
        return z3::mk_and(v);
      }
      case Kind::Or: {
        z3::expr_vector v(c);
        for (auto& k : e.kids) v.push_back(formula(k, env, st));
        return z3::mk_or(v);
      }
      case Kind::Not: return !formula(e.kids[0], env, st);
      case Kind::Implies: return z3::implies(formula(e.kids[0], env, st), formula(e.kids[1], env, st));
      case Kind::Exists:
      case Kind::Forall: {
        z3::expr x = bound(e.sort, e.name.empty() ? "x" : e.name);
        z3::expr body = under(e, x, env, st);
        z3::expr_vector xs(c);
        xs.push_back(x);
        return e.kind == Kind::Exists ? z3::exists(xs, inSort(x, e.sort) && body) : z3::forall(xs, z3::implies(inSort(x, e.sort), body));
      }
      case Kind::Quorum: {
        int k = e.ref - 1;
        z3::expr q = c.constant(fmt::format("Q!{}", fresh++).c_str(), qsorts.at(k));
        // Every Quorum node has its own qid (Model::finish), so scopes never shadow one another.
        env.quorum.insert_or_assign(e.qid, std::pair<int, z3::expr>(k, q));
        z3::expr body = formula(e.kids[0], env, st);
        env.quorum.erase(e.qid);
        z3::expr_vector qs(c);
        qs.push_back(q);
        return z3::exists(qs, body);
      }
      case Kind::InQuorum: {
        auto it = env.quorum.find(e.qid);
        if (it == env.quorum.end()) throw std::logic_error("`in Q` outside its quorum");
        return member[it->second.first](term(e.kids[0], env, st, processSort()), it->second.second);
      }
      case Kind::AtLeast: {
        // Some quorum of the system has every member satisfy the body.
        int k = e.ref - 1;
        z3::expr q = c.constant(fmt::format("Q!{}", fresh++).c_str(), qsorts.at(k));
        z3::expr x = bound(e.sort, e.name.empty() ? "x" : e.name);
        z3::expr body = under(e, x, env, st);
        z3::expr_vector xs(c), qs(c);
        xs.push_back(x);
        qs.push_back(q);
        return z3::exists(qs, z3::forall(xs, z3::implies(inSort(x, e.sort) && member[k](x, q), body)));
      }
      case Kind::InSubset: {
        // The subset is any set of the sort's elements: a proof holds for every choice of it.
        const SubsetDecl& d = m.subsets.at(e.ref);
        return subsets.at(e.ref)(term(e.kids[0], env, st, d.sort));
      }
      default: throw unsupported("an element where a condition was expected");
    }
  }

  // Every cell of every state function holds its initial value; no message is sent.
  z3::expr init() {
    z3::expr_vector all(c);
    for (size_t f = 0; f < m.funcs.size(); ++f) {
      z3::expr_vector xs(c);
      for (auto& a : m.funcs[f].args) xs.push_back(bound(a, "i"));
      Expr k;
      k.val = m.funcs[f].init;
      z3::expr cell = funcs[0][f](xs) == constant(k, m.funcs[f].result);
      all.push_back(xs.empty() ? cell : z3::forall(xs, cell));
    }
    for (size_t r = 0; r < m.rels.size(); ++r) {
      z3::expr_vector xs(c);
      for (auto& a : m.rels[r].sorts) xs.push_back(bound(a, "i"));
      all.push_back(xs.empty() ? !rels[0][r](xs) : z3::forall(xs, !rels[0][r](xs)));
    }
    return z3::mk_and(all);
  }

  // Action a's parameters as constants, one per parameter, named `Action.param` (the same
  // constants every time: step(), brokenAfter() and a counterexample's reading share them).
  Env params(const Action& a) {
    Env env;
    for (size_t p = 0; p < a.params.size(); ++p) {
      env.slot[p] = c.constant(fmt::format("{}.{}", a.name, a.params[p].name).c_str(), info(a.params[p].sort).s);
      env.sortOf[p] = a.params[p].sort;
    }
    return env;
  }

  // "fields is a message send u makes" (over its `forall` variables, if any), reading the state
  // before the step.
  z3::expr sends(const Update& u, const Env& env, const z3::expr_vector& fields) {
    Env inner = env;
    z3::expr_vector overVars(c), same(c);
    for (auto& o : u.over) {
      z3::expr v = bound(o.sort, o.name);
      inner.slot[o.slot] = v;
      inner.sortOf[o.slot] = o.sort;
      overVars.push_back(v);
      same.push_back(inSort(v, o.sort));
    }
    for (size_t k = 0; k < u.args.size(); ++k)
      same.push_back(fields[static_cast<unsigned>(k)] == term(u.args[k], inner, 0, m.rels[u.ref].sorts[k]));
    return overVars.empty() ? z3::mk_and(same) : z3::exists(overVars, z3::mk_and(same));
  }

  // Action a, its parameters bound to fresh constants: the guard on the state before, and every
  // function and relation after as the updates make it from the state before (all others unchanged).
  z3::expr step(const Action& a) {
    Env env = params(a);
    z3::expr_vector all(c);
    for (size_t p = 0; p < a.params.size(); ++p) all.push_back(inSort(*env.slot[p], a.params[p].sort));
    for (auto& g : a.guard) all.push_back(formula(g, env, 0));
    for (size_t f = 0; f < m.funcs.size(); ++f) {
      z3::expr_vector xs(c);
      for (auto& s : m.funcs[f].args) xs.push_back(bound(s, "j"));
      z3::expr value = funcs[0][f](xs);
      for (auto& u : a.updates) {
        if (u.kind != Update::Kind::Assign || u.ref != static_cast<int>(f)) continue;
        // `forall s: S. f[..., s, ...] := v(s)`: each over-variable must be an argument, read
        // back from the cell; otherwise one cell.
        Env inner = env;
        z3::expr_vector same(c);
        for (size_t k = 0; k < u.args.size(); ++k) {
          const Expr& arg = u.args[k];
          bool over = false;
          for (auto& o : u.over)
            if (arg.kind == Kind::Var && arg.slot == o.slot) {
              inner.slot[o.slot] = xs[static_cast<unsigned>(k)];
              inner.sortOf[o.slot] = o.sort;
              same.push_back(inSort(xs[static_cast<unsigned>(k)], o.sort));
              over = true;
            }
          if (!over) same.push_back(xs[static_cast<unsigned>(k)] == term(arg, env, 0, m.funcs[f].args[k]));
        }
        for (auto& o : u.over)
          if (!inner.slot[o.slot]) throw unsupported("a `forall` update whose variable is not an argument of the cell it sets");
        value = z3::ite(z3::mk_and(same), term(u.value, inner, 0, m.funcs[f].result), value);
      }
      z3::expr eq = funcs[1][f](xs) == value;
      all.push_back(xs.empty() ? eq : z3::forall(xs, eq));
    }
    for (size_t r = 0; r < m.rels.size(); ++r) {
      z3::expr_vector xs(c);
      for (auto& s : m.rels[r].sorts) xs.push_back(bound(s, "j"));
      z3::expr_vector sent(c);
      sent.push_back(rels[0][r](xs));
      for (auto& u : a.updates)
        if (u.kind == Update::Kind::Send && u.ref == static_cast<int>(r)) sent.push_back(sends(u, env, xs));
      z3::expr eq = rels[1][r](xs) == z3::mk_or(sent);
      all.push_back(xs.empty() ? eq : z3::forall(xs, eq));
    }
    return z3::mk_and(all);
  }

  // The negation of conjunct C after action a, split by cases: C's leading `forall`s become
  // constants; when what remains is `sent R(...) & ... => ...`, one case has that message sent
  // before the step and one case per message of R the action sends (the only ways it can be
  // sent after it). Each case must be unsatisfiable; together they are the whole negation.
  // C is one of Inv's conjuncts, so C before the step at those constants holds; each case says so,
  // a ground instance that spares Z3 finding it (outside EPR it may not: on Raft, a conjunct whose
  // quorum witness carries over a step that only raises a term).
  std::vector<std::pair<std::string, z3::expr>> brokenAfter(const Expr& conjunct, const Action& a) {
    Env env;
    z3::expr_vector given(c);
    const Expr* e = &conjunct;
    while (e->kind == Kind::Forall) {
      z3::expr k = c.constant(fmt::format("{}!{}", e->name.empty() ? "k" : e->name, fresh++).c_str(), info(e->sort).s);
      env.slot[e->slot] = k;
      env.sortOf[e->slot] = e->sort;
      given.push_back(inSort(k, e->sort));
      e = &e->kids[0];
    }
    if (e != &conjunct) given.push_back(formula(*e, env, 0));
    if (e->kind != Kind::Implies) return {{"", z3::mk_and(given) && !formula(*e, env, 1)}};
    given.push_back(formula(e->kids[0], env, 1));
    given.push_back(!formula(e->kids[1], env, 1));
    const Expr* sent = e->kids[0].kind == Kind::Sent ? &e->kids[0] : nullptr;
    if (!sent && e->kids[0].kind == Kind::And)
      for (auto& k : e->kids[0].kids)
        if (!sent && k.kind == Kind::Sent) sent = &k;
    if (!sent) return {{"", z3::mk_and(given)}};
    const Relation& rel = m.rels[sent->ref];
    z3::expr_vector fields(c);
    for (size_t k = 0; k < sent->kids.size(); ++k) fields.push_back(term(sent->kids[k], env, 1, rel.sorts[k]));
    std::vector<std::pair<std::string, z3::expr>> cases;
    cases.push_back({"sent " + rel.name + " before", z3::mk_and(given) && rels[0][sent->ref](fields)});
    Env act = params(a);
    for (auto& u : a.updates)
      if (u.kind == Update::Kind::Send && u.ref == sent->ref)
        cases.push_back({"the " + rel.name + " " + a.name + " sends", z3::mk_and(given) && sends(u, act, fields)});
    return cases;
  }

  z3::expr closed(const Expr& e, int st) {
    Env env;
    return formula(e, env, st);
  }
};

// An action's guard as cases: disjunctions pushed out through conjunctions and existentials
// (`exists Q. A & (B | C)` is `(exists Q. A & B) | (exists Q. A & C)`), one copy of the action per
// disjunct. A step query is then asked once per case: each is smaller, and together they are the
// whole query. At most kMaxCases; past it the guard stays whole.
constexpr size_t kMaxCases = 8;
std::vector<Expr> disjuncts(const Expr& e) {
  switch (e.kind) {
    case Kind::Or: {
      std::vector<Expr> out;
      for (auto& k : e.kids)
        for (auto& d : disjuncts(k)) out.push_back(std::move(d));
      return out.size() <= kMaxCases ? out : std::vector<Expr>{e};
    }
    case Kind::And: {
      std::vector<Expr> out{e};
      out[0].kids.clear();
      for (auto& k : e.kids) {
        std::vector<Expr> next;
        for (auto& d : disjuncts(k))
          for (auto& sofar : out) {
            Expr grown = sofar;
            grown.kids.push_back(d);
            next.push_back(std::move(grown));
          }
        if (next.size() > kMaxCases) return {e};
        out = std::move(next);
      }
      return out;
    }
    case Kind::Exists:
    case Kind::Quorum: {
      std::vector<Expr> out;
      for (auto& d : disjuncts(e.kids[0])) {
        Expr wrapped = e;
        wrapped.kids[0] = std::move(d);
        out.push_back(std::move(wrapped));
      }
      return out;
    }
    default: return {e};
  }
}
std::vector<Action> guardCases(const Action& a) {
  Expr all;  // the guard as one conjunction
  all.kind = Kind::And;
  all.kids = a.guard;
  std::vector<Action> out;
  for (auto& c : disjuncts(all)) {
    Action one = a;
    one.guard = std::move(c.kids);
    out.push_back(std::move(one));
  }
  return out;
}

// The elements a model gives an uninterpreted sort (the C++ API of this Z3 has no wrapper).
z3::expr_vector universe(const z3::model& mod, const z3::sort& s) {
  Z3_ast_vector v = Z3_model_get_sort_universe(s.ctx(), mod, s);
  s.ctx().check_error();
  return z3::expr_vector(s.ctx(), v);
}

// The sizes behind a quorum system's `atleast` (its default size, less a mutation's change).
long systemSize(const Model& m, int k, int n) {
  Instance in;
  in.n = n;
  int f = (n - 1) / 2;
  return m.systems[k].defaultSize(in, f) + (k < static_cast<int>(m.quorumDelta.size()) ? m.quorumDelta[k] : 0);
}

// A sum of quorum systems' sizes (with multiplicities) against a multiple of the process count:
// `q1 + 2 * q2f > 2 * acceptor`. Returns the systems (repeated by multiplicity) and the multiple.
bool linear(const SizeExpr& e, int sign, std::vector<int>& systems, long& processes, long& constant) {
  switch (e.kind) {
    case SizeExpr::Kind::Num: constant += sign * e.val; return true;
    case SizeExpr::Kind::System:
      if (sign < 0) return false;
      systems.push_back(e.val);
      return true;
    case SizeExpr::Kind::Size:
      if (e.sort.role != Role::Process) return false;
      processes += sign;
      return true;
    case SizeExpr::Kind::Add: return linear(e.kids[0], sign, systems, processes, constant) && linear(e.kids[1], sign, systems, processes, constant);
    case SizeExpr::Kind::Sub: return linear(e.kids[0], sign, systems, processes, constant) && linear(e.kids[1], -sign, systems, processes, constant);
    case SizeExpr::Kind::Mul: {
      const SizeExpr *num = nullptr, *other = nullptr;
      if (e.kids[0].kind == SizeExpr::Kind::Num) num = &e.kids[0], other = &e.kids[1];
      else if (e.kids[1].kind == SizeExpr::Kind::Num) num = &e.kids[1], other = &e.kids[0];
      if (!num) return false;
      for (int i = 0; i < num->val; ++i)
        if (!linear(*other, sign, systems, processes, constant)) return false;
      return true;
    }
    default: return false;
  }
}
// One comparison of `expect safe when` read as an intersection axiom.
struct Intersection {
  std::vector<int> systems;  // one entry per quorum the axiom names (a system may repeat)
  bool granted = false;      // its size condition holds, so the axiom is used
  int failsAt = 0;           // not granted: the n at which the condition fails
  std::string assumption;    // what the proof assumes (or does not), in words
};

// Each comparison of the file's `expect safe when` that is a sum of k quorum sizes > (k - 1) n
// gives "any k such quorums share a process". It is granted if the sizes meet at every n from 1
// to 64 (the file's size expressions, with any quorum mutation applied), or, with `at`, at that
// one instance's n and sizes. Throws for a comparison of another shape.
std::vector<Intersection> intersections(const Model& m, const Instance* at) {
  std::vector<Intersection> out;
  if (!m.expectSafe) return out;
  for (auto& cmp : m.expectSafe->all) {
    Intersection x;
    long processes = 0, constant = 0;
    bool ok = (cmp.op == Op::Gt || cmp.op == Op::Ge) && linear(cmp.left, 1, x.systems, processes, constant) &&
              linear(cmp.right, -1, x.systems, processes, constant);
    long k = static_cast<long>(x.systems.size());
    // left - right = sizes - (k - 1) n (+ constant): > 0 is the k-wise intersection (with >=, the
    // check below still asks for >).
    ok = ok && k >= 2 && processes == -(k - 1) && constant == 0;
    if (!ok) throw unsupported("an `expect safe when` comparison that is not a sum of k quorum sizes > (k - 1) n");
    std::string names;
    for (int s : x.systems) names += (names.empty() ? "" : ", ") + m.systems[s].name;
    if (at) {
      long sum = 0;
      for (int s : x.systems) sum += m.quorumSize(*at, s + 1);
      std::string sizes = fmt::format("n={}", at->n);
      for (size_t s = 0; s < m.systems.size(); ++s) sizes += fmt::format(" {}={}", m.systems[s].key(), m.quorumSize(*at, static_cast<int>(s) + 1));
      x.granted = sum > (k - 1) * at->n;
      x.failsAt = x.granted ? 0 : at->n;
      x.assumption = x.granted ? fmt::format("any {} quorums ({}) have a process in common, from {} at {} (for every n whose quorums meet so)",
                                             k, names, m.expectSafe->text, sizes)
                               : fmt::format("no intersection of {} quorums: {} fails at {}", names, m.expectSafe->text, sizes);
    } else {
      for (int n = 1; n <= 64 && !x.failsAt; ++n) {
        long sum = 0;
        for (int s : x.systems) sum += systemSize(m, s, n);
        if (!(sum > (k - 1) * n)) x.failsAt = n;
      }
      x.granted = !x.failsAt;
      x.assumption = x.granted ? fmt::format("any {} quorums ({}) have a process in common, from {}", k, names, m.expectSafe->text)
                               : fmt::format("no intersection of {} quorums: with these sizes {} fails at n = {}", names,
                                             m.expectSafe->text, x.failsAt);
    }
    out.push_back(std::move(x));
  }
  return out;
}
}  // namespace

namespace {
// One query's world: a fresh Z3 context (Z3's search depends on what a context has seen before,
// so each query starts from the same place), the encoding, the axioms and the invariant.
struct Session {
  z3::context c;
  Encoder enc;
  z3::expr_vector axioms{c}, invAll{c};
  std::vector<z3::expr> inv;
  std::vector<std::string> assumptions;  // the axioms in words
  int noIntersectionAt = 0;              // the least n where a size condition fails (0: none does)

  // Any quorums of these systems (one per entry) have a process in common.
  // (Z3's search depends on the names: Paxos's proof took 1.3 s with these and 13 s with others.)
  void intersect(const std::vector<int>& systems, const std::string& tag = "") {
    z3::expr_vector qs(c);
    for (size_t i = 0; i < systems.size(); ++i) qs.push_back(c.constant(fmt::format("q{}{}", tag, i).c_str(), enc.qsorts[systems[i]]));
    z3::expr a = c.constant(("common" + tag).c_str(), enc.info(enc.processSort()).s);
    z3::expr_vector in(c);
    for (size_t i = 0; i < systems.size(); ++i) in.push_back(enc.member[systems[i]](a, qs[static_cast<unsigned>(i)]));
    in.push_back(enc.inSort(a, enc.processSort()));
    axioms.push_back(z3::forall(qs, z3::exists(a, z3::mk_and(in))));
  }

  // at: decide each intersection axiom by the quorum sizes of this one instance, not at every n.
  explicit Session(const Model& m, const Instance* at = nullptr) : enc(m, c) {
    // Orders: none first, `0` (first) the least element, a total order.
    for (auto& si : enc.sorts) {
      if (!si.consts.empty()) {
        z3::expr_vector distinct(c);
        for (auto& k : si.consts) distinct.push_back(k);
        distinct.push_back(*si.none);
        axioms.push_back(z3::distinct(distinct));
        z3::expr x = c.constant(("e_" + si.name).c_str(), si.s);
        z3::expr_vector any(c);
        for (auto& k : si.consts) any.push_back(x == k);
        any.push_back(x == *si.none);
        axioms.push_back(z3::forall(x, z3::mk_or(any)));
        continue;
      }
      if (!si.le) continue;
      z3::expr x = c.constant(("x_" + si.name).c_str(), si.s), y = c.constant(("y_" + si.name).c_str(), si.s),
               z = c.constant(("z_" + si.name).c_str(), si.s);
      const z3::func_decl& le = *si.le;
      axioms.push_back(z3::forall(x, le(x, x)));
      axioms.push_back(z3::forall(x, y, z3::implies(le(x, y) && le(y, x), x == y)));
      axioms.push_back(z3::forall(x, y, z, z3::implies(le(x, y) && le(y, z), le(x, z))));
      axioms.push_back(z3::forall(x, y, le(x, y) || le(y, x)));
      axioms.push_back(z3::forall(x, le(*si.none, x)));
      axioms.push_back(*si.zero != *si.none);
      axioms.push_back(z3::forall(x, z3::implies(x != *si.none, le(*si.zero, x))));
    }
    // Every state function's cells hold elements of its result sort (before a step; after one the
    // updates keep them there).
    for (size_t f = 0; f < m.funcs.size(); ++f) {
      z3::expr_vector xs(c);
      for (auto& a : m.funcs[f].args) xs.push_back(enc.bound(a, "r"));
      z3::expr in = enc.inSort(enc.funcs[0][f](xs), m.funcs[f].result);
      if (xs.empty()) {
        axioms.push_back(in);
        continue;
      }
      z3::expr_vector guards(c);
      for (unsigned k = 0; k < xs.size(); ++k) guards.push_back(enc.inSort(xs[k], m.funcs[f].args[k]));
      axioms.push_back(z3::forall(xs, z3::implies(z3::mk_and(guards), in)));
      // A cell that does not exist (an argument none where its sort has no none, as Raft's
      // logTerm[s, li] for an empty log) reads none, as on the bounded engines and the interpreter.
      const SortInfo& res = enc.info(m.funcs[f].result);
      if (!res.none) continue;
      for (unsigned k = 0; k < xs.size(); ++k) {
        Sort a = m.funcs[f].args[k];
        // Only ordered arguments (an index, a term), the ones the files read at none: over
        // process arguments too, the Paxos proofs went from proved to unknown in their time limit.
        if (a.withNone || a.role != Role::Ordered || !enc.info(a).none) continue;
        z3::expr_vector others(c), args(c);
        for (unsigned j = 0; j < xs.size(); ++j) {
          if (j != k) others.push_back(xs[j]);
          args.push_back(j == k ? *enc.info(a).none : xs[j]);
        }
        z3::expr reads = enc.funcs[0][f](args) == *res.none;
        axioms.push_back(others.empty() ? reads : z3::forall(others, reads));
      }
    }
    assumptions.push_back("every sort has any number of elements; ordered sorts are total orders (none below all)");
    // Intersection axioms from `expect safe when` (see intersections()).
    for (auto& x : intersections(m, at)) {
      assumptions.push_back(x.assumption);
      if (!x.granted) {
        noIntersectionAt = noIntersectionAt ? std::min(noIntersectionAt, x.failsAt) : x.failsAt;
        continue;
      }
      intersect(x.systems);
      // Any k quorums sharing a process means any of them with one repeated do too: so with a
      // repeated system (q1, q2f, q2f) the axiom without the repeat (q1, q2f) follows. It is
      // stated too, so Z3 need not find that instance itself.
      std::vector<int> distinct = x.systems;
      std::sort(distinct.begin(), distinct.end());
      distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
      if (distinct.size() >= 2 && distinct.size() < x.systems.size()) intersect(distinct, "d");
    }

    for (auto& i : m.inductive) inv.push_back(enc.closed(i.holds, 0));
    for (auto& e : inv) invAll.push_back(e);
  }
};
// The quantifier alternation graph (sorts; an edge s -> t when a function maps s to t, or when an
// element of t is chosen for each element of s: an `exists` under a `forall`). Without a cycle
// the queries stay in EPR, where Z3's search is a decision procedure.
struct Alternation {
  const Model& m;
  std::map<std::string, std::set<std::string>> edges;
  std::map<std::string, std::string> why;  // "s -> t": what made the edge

  std::string sortName(Sort s) const {
    for (auto& d : m.sorts)
      if (d.sort.role == s.role && (s.role != Role::Ordered || d.sort.index == s.index)) return d.name;
    return "?";
  }
  void edge(const std::string& from, const std::string& to, const std::string& because) {
    if (edges[from].insert(to).second) why[from + " -> " + to] = because;
  }
  // pol: true where the formula is asserted as written; `forall`s there are universal.
  void walk(const Expr& e, bool pol, std::vector<std::string>& universal, const std::string& where) {
    auto choose = [&](const std::string& sort) {
      for (auto& u : universal) edge(u, sort, where);
    };
    switch (e.kind) {
      case Kind::Not: walk(e.kids[0], !pol, universal, where); return;
      case Kind::Implies:
        walk(e.kids[0], !pol, universal, where);
        walk(e.kids[1], pol, universal, where);
        return;
      case Kind::Forall:
      case Kind::Exists: {
        bool isUniversal = (e.kind == Kind::Forall) == pol;
        std::string sort = sortName(e.sort);
        if (!isUniversal) choose(sort);
        if (isUniversal) universal.push_back(sort);
        walk(e.kids[0], pol, universal, where);
        if (isUniversal) universal.pop_back();
        return;
      }
      case Kind::Quorum:
      case Kind::AtLeast: {
        std::string q = "quorum " + m.systems.at(e.ref - 1).name;
        if (pol) choose(q);
        else universal.push_back(q);
        if (e.kind == Kind::AtLeast && pol) universal.push_back(sortName(e.sort));
        if (e.kind == Kind::AtLeast && !pol) choose(sortName(e.sort));
        walk(e.kids[0], pol, universal, where);
        if (e.kind == Kind::AtLeast && pol) universal.pop_back();
        if (!pol) universal.pop_back();
        return;
      }
      default:
        for (auto& k : e.kids) walk(k, pol, universal, where);
    }
  }
  // A cycle, as "a -> b -> a" with what made each edge, or "".
  std::string cycle() const {
    std::map<std::string, int> state;  // 1: on the path, 2: done
    std::vector<std::string> path;
    std::string found;
    std::function<bool(const std::string&)> dfs = [&](const std::string& v) {
      state[v] = 1;
      path.push_back(v);
      if (auto it = edges.find(v); it != edges.end())
        for (auto& w : it->second) {
          if (state[w] == 1) {
            auto from = std::find(path.begin(), path.end(), w);
            std::string text;
            for (auto p = from; p != path.end(); ++p) {
              std::string next = p + 1 == path.end() ? w : *(p + 1);
              text += fmt::format("{}{} -> {} ({})", text.empty() ? "" : ", ", *p, next, why.at(*p + " -> " + next));
            }
            found = text;
            return true;
          }
          if (state[w] == 0 && dfs(w)) return true;
        }
      path.pop_back();
      state[v] = 2;
      return false;
    };
    for (auto& [v, out] : edges)
      if (state[v] == 0 && dfs(v)) break;
    return found;
  }
};

std::string fragmentOf(const Model& m) {
  Alternation g{m, {}, {}};
  for (auto& f : m.funcs)
    for (auto& a : f.args) g.edge(g.sortName(a), g.sortName(f.result), "state " + f.name);
  // The intersection axioms: for any quorums, some process in all of them.
  for (auto& d : m.sorts)
    if (d.sort.role == Role::Process && m.expectSafe)
      for (size_t k = 0; k < m.systems.size(); ++k) g.edge("quorum " + m.systems[k].name, d.name, "quorums intersect");
  std::vector<std::string> universal;
  for (auto& i : m.inductive) g.walk(i.holds, true, universal, "inductive " + i.name);
  for (auto& a : m.actions)
    for (auto& c : a.guard) g.walk(c, true, universal, "guard of " + a.name);
  std::string cycle = g.cycle();
  return cycle.empty() ? "every query is in EPR (the quantifier alternation graph has no cycle): a decision procedure"
                       : "the queries leave EPR, so Z3 may answer unknown: the quantifier alternation graph has a cycle, " + cycle;
}
// Runs one query at a time, each in its own Session: its budget, Ctrl-C, and a progress line.
struct Runner {
  std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
  double timeoutSeconds, querySeconds;
  const std::atomic<bool>* stop;
  const std::function<void(const std::string&)>& progress;
  int queries = 0;

  double seconds() const { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(); }
  bool stopped() const { return stop && stop->load(); }
  bool outOfTime() const { return timeoutSeconds > 0 && seconds() >= timeoutSeconds; }

  // sat (a counterexample), unsat (proved) or unknown.
  z3::check_result operator()(Session& S, const z3::expr& body, z3::model* out, const std::string& what) {
    z3::context& c = S.c;
    ++queries;
    double began = seconds();
    if (stopped()) return z3::unknown;
    z3::solver s(c);
    z3::params p(c);
    // A query gets what is left of the whole budget, and never more than querySeconds: an
    // unknown answer is a result too (the bounded engines take over), a query that never
    // returns is not.
    double left = timeoutSeconds > 0 ? std::max(1.0, timeoutSeconds - seconds()) : querySeconds;
    p.set("timeout", static_cast<unsigned>(std::min(left, querySeconds) * 1000));
    p.set("ctrl_c", false);  // the program's own handler sets the stop flag; Z3 must not take the signal
    s.set(p);
    s.add(S.axioms);
    s.add(body);
    // Ctrl-C (the stop flag) interrupts Z3 within a twentieth of a second, not at the budget's
    // end. Z3 forgets an interrupt that comes before its search starts, so keep interrupting.
    // The watcher is woken as soon as the answer comes, so a query costs no polling interval.
    std::mutex mu;
    std::condition_variable cv;
    bool answered = false;
    std::thread watcher;
    if (stop)
      watcher = std::thread([&] {
        std::unique_lock<std::mutex> lock(mu);
        while (!answered) {
          if (stop->load()) c.interrupt();
          cv.wait_for(lock, std::chrono::milliseconds(50));
        }
      });
    z3::check_result r = s.check();
    {
      std::lock_guard<std::mutex> lock(mu);
      answered = true;
    }
    cv.notify_all();
    if (watcher.joinable()) watcher.join();
    if (r == z3::sat && out) *out = s.get_model();
    if (progress)
      progress(fmt::format("every size: {}: {} ({:.2f} s)", what, r == z3::unsat ? "proved" : r == z3::sat ? "fails" : "unknown",
                           seconds() - began));
    return r;
  }
};

// A step query that did not come out unsat: its session (whose context holds the model) and,
// when asked for, the model.
struct StepFailure {
  std::unique_ptr<Session> session;
  std::optional<z3::model> model;
  std::string what;
};

// Inv /\ a => c', with Inv the conjuncts of m.inductive: one query per way c's message can come to
// be sent (Encoder::brokenAfter), each in a fresh Session. `what(which)` names a query for
// progress and reasons. Returns unsat when every case is proved, else the first other answer
// (its session and model in `failed`, when given). c is one of Inv's conjuncts (every caller's):
// so when a writes nothing c reads, c' is c and no query is asked: Z3 need not rediscover the frame, and
// outside EPR it may not (on Raft, Timeout and a conjunct about acknowledgements: unknown after
// 20 s).
z3::check_result keeps(const Model& m, const Instance* at, Runner& query, const Expr& c, const Action& a,
                       const std::function<std::string(const std::string&)>& what, StepFailure* failed) {
  if (!touches(a, c)) {
    if (query.progress) query.progress(fmt::format("every size: {}: proved (the action writes nothing it reads)", what("")));
    return z3::unsat;
  }
  size_t cases = 0;
  for (size_t i = 0; i == 0 || i < cases; ++i) {
    auto S = std::make_unique<Session>(m, at);
    auto split = S->enc.brokenAfter(c, a);
    cases = split.size();
    z3::model mod(S->c);
    std::string name = what(split[i].first);
    z3::check_result r = query(*S, z3::mk_and(S->invAll) && S->enc.step(a) && split[i].second, failed ? &mod : nullptr, name);
    if (r == z3::unsat) continue;
    if (failed) {
      failed->model.emplace(mod);
      failed->session = std::move(S);
      failed->what = name;
    }
    return r;
  }
  return z3::unsat;
}
}  // namespace

EverySizeResult proveEverySize(const Model& m, const std::string& property, double timeoutSeconds, const Instance* at,
                               const std::atomic<bool>* stop, const std::function<void(const std::string&)>& progress, double querySeconds) {
  EverySizeResult res;
  const Invariant* prop = m.invariant(property);
  if (!prop) throw std::invalid_argument("unknown invariant " + property);
  if (m.inductive.empty()) throw std::invalid_argument("--every-size: the protocol file states no inductive invariant");
  if (m.restarts) throw unsupported("--faults restart");

  auto open = [&] {
    auto session = std::make_unique<Session>(m, at);
    if (res.assumptions.empty())
      res.assumptions = session->assumptions, res.noIntersectionAt = session->noIntersectionAt;
    return session;
  };
  open();  // the assumptions, and any construct the encoding refuses, before the first query
  res.fragment = fragmentOf(m);

  Runner query{std::chrono::steady_clock::now(), timeoutSeconds, querySeconds > 0 ? querySeconds : kQuerySeconds, stop, progress};
  auto seconds = [&] { return query.seconds(); };
  std::map<std::string, std::string> name;  // Z3's element -> its name in the structure shown
  auto describe = [&](Session& S, const z3::model& mod, bool withPost) {
    z3::context& c = S.c;
    Encoder& enc = S.enc;
    std::vector<std::string> lines;
    // The elements of each sort, named by sort and number (ordered sorts in their order).
    for (auto& si : enc.sorts) {
      if (!si.consts.empty()) {
        for (size_t k = 0; k < si.consts.size(); ++k)
          name[mod.eval(si.consts[k], true).to_string()] = m.sorts[&si - &enc.sorts[0]].constants[k];
        name[mod.eval(*si.none, true).to_string()] = "none";
        continue;
      }
      z3::expr_vector all = universe(mod, si.s);
      std::vector<z3::expr> elems;
      for (unsigned i = 0; i < all.size(); ++i)
        if (mod.eval(all[i] == *si.none, true).is_false()) elems.push_back(all[i]);
      if (si.le)
        std::sort(elems.begin(), elems.end(), [&](const z3::expr& a, const z3::expr& b) {
          return mod.eval((*si.le)(a, b), true).is_true() && !mod.eval(a == b, true).is_true();
        });
      name[mod.eval(*si.none, true).to_string()] = "none";
      std::string list;
      for (size_t i = 0; i < elems.size(); ++i) {
        std::string nm = si.le ? std::to_string(i) : fmt::format("{}{}", si.name.substr(0, 1), i + 1);
        name[elems[i].to_string()] = nm;
        list += (list.empty() ? "" : " ") + nm;
      }
      res.sizes.push_back({si.name, static_cast<int>(elems.size())});
      lines.push_back(fmt::format("{}: {} element{}{}", si.name, elems.size(), elems.size() == 1 ? "" : "s",
                                  list.empty() ? "" : " (" + list + ")"));
    }
    auto shown = [&](const z3::expr& e) {
      std::string k = mod.eval(e, true).to_string();
      auto it = name.find(k);
      return it == name.end() ? k : it->second;
    };
    // Every cell of every function, every message sent: over the elements named above.
    std::function<void(const std::vector<Sort>&, size_t, z3::expr_vector&, const std::function<void(z3::expr_vector&)>&)> each =
        [&](const std::vector<Sort>& dom, size_t k, z3::expr_vector& args, const std::function<void(z3::expr_vector&)>& f) {
          if (k == dom.size()) return f(args);
          const SortInfo& si = enc.info(dom[k]);
          z3::expr_vector all(c);
          if (!si.consts.empty()) {
            for (auto& x : si.consts) all.push_back(x);
          } else {
            all = universe(mod, si.s);
          }
          for (unsigned i = 0; i < all.size(); ++i) {
            bool isNone = mod.eval(all[i] == *si.none, true).is_true();
            if (isNone && !dom[k].withNone) continue;
            z3::expr_vector next(c);
            for (unsigned j = 0; j < args.size(); ++j) next.push_back(args[j]);
            next.push_back(all[i]);
            each(dom, k + 1, next, f);
          }
        };
    for (int st = 0; st < (withPost ? 2 : 1); ++st) {
      if (withPost) lines.push_back(st == 0 ? "before:" : "after:");
      for (size_t f = 0; f < m.funcs.size(); ++f) {
        std::string row = "  " + m.funcs[f].name + ":";
        z3::expr_vector none(c);
        each(m.funcs[f].args, 0, none, [&](z3::expr_vector& args) {
          std::string cell;
          for (unsigned j = 0; j < args.size(); ++j) cell += (j ? "," : "") + shown(args[j]);
          row += fmt::format(" {}{}{}", cell, cell.empty() ? "" : "=", shown(enc.funcs[st][f](args)));
        });
        lines.push_back(row);
      }
      std::string msgs = "  messages:";
      for (size_t r = 0; r < m.rels.size(); ++r) {
        z3::expr_vector none(c);
        each(m.rels[r].sorts, 0, none, [&](z3::expr_vector& args) {
          if (!mod.eval(enc.rels[st][r](args), true).is_true()) return;
          std::string fields;
          for (unsigned j = 0; j < args.size(); ++j) fields += (j ? "," : "") + shown(args[j]);
          msgs += fmt::format(" {}({})", m.rels[r].name, fields);
        });
      }
      lines.push_back(msgs);
    }
    return lines;
  };

  auto finish = [&](EverySizeResult::Outcome o) {
    res.outcome = o;
    res.queries = query.queries;
    res.seconds = seconds();
    return res;
  };
  auto unknown = [&](const std::string& what) {
    res.reason = fmt::format("Z3 answered unknown ({}) on {}", stop && stop->load() ? "interrupted" : "a time limit or an incomplete fragment", what);
    if (!res.unknownSteps.empty())
      res.reason += fmt::format(", and before that on {} other quer{}", res.unknownSteps.size(), res.unknownSteps.size() == 1 ? "y" : "ies");
    return finish(EverySizeResult::Outcome::Unknown);
  };
  // An unknown answer does not end the proof: the other queries go on, so that the answer names
  // every step Z3 could not decide (or finds a real counterexample to induction after all).
  // Only an interrupt or the end of the budget ends it there.
  auto undecided = [&](const std::string& what) {
    if (query.stopped() || query.outOfTime()) return true;
    res.unknownSteps.push_back(what);
    return false;
  };

  // Init => each conjunct.
  for (size_t k = 0; k < m.inductive.size(); ++k) {
    auto S = open();
    z3::model mod(S->c);
    z3::check_result r = query(*S, S->enc.init() && !S->inv[k], &mod, "Init => " + m.inductive[k].name);
    if (r == z3::unknown && undecided("Init => " + m.inductive[k].name)) return unknown("Init => " + m.inductive[k].name);
    if (r == z3::unknown) continue;
    if (r == z3::sat) {
      res.failedStep = "init";
      res.conjunct = m.inductive[k].name;
      res.structure = describe(*S, mod, false);
      return finish(EverySizeResult::Outcome::NotInductive);
    }
  }
  // Inv /\ Action => each conjunct after it, split by the guard's cases and by how its message
  // came to be sent.
  for (auto& whole : m.actions) {
    std::vector<Action> byGuard = guardCases(whole);
    for (size_t k = 0; k < m.inductive.size(); ++k)
      for (size_t g = 0; g < byGuard.size(); ++g) {
        const Action& a = byGuard[g];
        auto what = [&](const std::string& which) {
          return fmt::format("Inv /\\ {}{} => {}'{}", a.name, byGuard.size() > 1 ? fmt::format(" (guard case {} of {})", g + 1, byGuard.size()) : "",
                             m.inductive[k].name, which.empty() ? "" : " (" + which + ")");
        };
        StepFailure failed;
        z3::check_result r = keeps(m, at, query, m.inductive[k].holds, a, what, &failed);
        if (r == z3::unsat) continue;
        if (r == z3::unknown && undecided(failed.what)) return unknown(failed.what);
        if (r == z3::unknown) continue;
        res.failedStep = "step";
        res.conjunct = m.inductive[k].name;
        res.structure = describe(*failed.session, *failed.model, true);
        // The action's parameters, by the names the structure uses.
        std::string ps;
        Env params = failed.session->enc.params(a);
        for (size_t p = 0; p < a.params.size(); ++p) {
          std::string v = failed.model->eval(*params.slot[p], true).to_string();
          ps += fmt::format("{}{}={}", ps.empty() ? "" : ", ", a.params[p].name, name.count(v) ? name[v] : v);
        }
        res.action = fmt::format("{}({})", a.name, ps);
        return finish(EverySizeResult::Outcome::NotInductive);
      }
  }
  // Inv => the property.
  {
    auto S = open();
    z3::model mod(S->c);
    z3::check_result r = query(*S, z3::mk_and(S->invAll) && !S->enc.closed(prop->holds, 0), &mod, "Inv => " + property);
    if (r == z3::unknown && undecided("Inv => " + property)) return unknown("Inv => " + property);
    if (r == z3::sat) {
      res.failedStep = "implies";
      res.structure = describe(*S, mod, false);
      return finish(EverySizeResult::Outcome::NotInductive);
    }
  }
  if (!res.unknownSteps.empty()) {
    res.reason = fmt::format("Z3 answered unknown (a time limit or an incomplete fragment) on {} of {} queries, first on {}",
                             res.unknownSteps.size(), query.queries, res.unknownSteps.front());
    return finish(EverySizeResult::Outcome::Unknown);
  }
  return finish(EverySizeResult::Outcome::Proved);
}

const char* outcomeWord(EverySizeResult::Outcome o) {
  return o == EverySizeResult::Outcome::Proved ? "proved" : o == EverySizeResult::Outcome::NotInductive ? "not proved" : "unknown";
}

std::string notProvedText(const EverySizeResult& e) {
  if (e.outcome == EverySizeResult::Outcome::Unknown) return e.reason;
  if (e.failedStep == "step") return fmt::format("{} is not preserved by {}", e.conjunct, e.action);
  if (e.failedStep == "init") return "Init breaks " + e.conjunct;
  return "the invariant does not imply the property";
}

std::vector<bool> grantedAxioms(const Model& m, const Instance* at) {
  std::vector<bool> out;
  for (auto& x : intersections(m, at)) out.push_back(x.granted);
  return out;
}

std::vector<Invariant> templateConjuncts(const Model& m) {
  std::vector<Invariant> out;
  // No message of type R is ever sent.
  for (size_t r = 0; r < m.rels.size(); ++r) {
    Expr body;
    body.kind = Kind::Sent;
    body.ref = static_cast<int>(r);
    for (size_t k = 0; k < m.rels[r].sorts.size(); ++k) body.kids.push_back(var(static_cast<int>(k)));
    Expr e = neg(std::move(body));
    for (size_t k = m.rels[r].sorts.size(); k-- > 0;) {
      e = forall(static_cast<int>(k), m.rels[r].sorts[k], std::move(e));
      e.name = m.rels[r].fields.size() > k ? m.rels[r].fields[k] : fmt::format("x{}", k);
    }
    out.push_back({"never-sent." + m.rels[r].name, "no " + m.rels[r].name + " is ever sent", std::move(e)});
  }
  // Every cell of state function f keeps its initial value.
  for (size_t f = 0; f < m.funcs.size(); ++f) {
    Expr read;
    read.kind = Kind::Read;
    read.ref = static_cast<int>(f);
    for (size_t k = 0; k < m.funcs[f].args.size(); ++k) read.kids.push_back(var(static_cast<int>(k)));
    Expr init = constant(m.funcs[f].init);
    init.sort = m.funcs[f].result;
    Expr e = cmp(Op::Eq, std::move(read), std::move(init));
    for (size_t k = m.funcs[f].args.size(); k-- > 0;) {
      e = forall(static_cast<int>(k), m.funcs[f].args[k], std::move(e));
      e.name = fmt::format("x{}", k + 1);
    }
    out.push_back({"initial." + m.funcs[f].name, m.funcs[f].name + " keeps its initial value", std::move(e)});
  }
  return out;
}

HoudiniResult houdiniEverySize(const Model& m, const std::string& property, const std::vector<Invariant>& pool, double timeoutSeconds,
                               double querySeconds, const Instance* at, const std::atomic<bool>* stop,
                               const std::function<void(const std::string&)>& progress) {
  HoudiniResult res;
  res.candidates = static_cast<int>(pool.size());
  const Invariant* prop = m.invariant(property);
  if (!prop) throw std::invalid_argument("unknown invariant " + property);
  if (m.restarts) throw unsupported("--faults restart");
  Runner query{std::chrono::steady_clock::now(), timeoutSeconds, querySeconds, stop, progress};
  std::vector<bool> alive(pool.size(), true);
  // The protocol with the candidates still alive as its invariant (a Session reads m.inductive).
  auto withAlive = [&] {
    Model copy = m;
    copy.inductive.clear();
    for (size_t k = 0; k < pool.size(); ++k)
      if (alive[k]) copy.inductive.push_back(pool[k]);
    return copy;
  };
  auto finish = [&](HoudiniResult::Outcome o, std::string reason = "") {
    res.outcome = o;
    res.reason = std::move(reason);
    res.queries = query.queries;
    res.seconds = query.seconds();
    res.kept.clear();
    for (size_t k = 0; k < pool.size(); ++k)
      if (alive[k]) res.kept.push_back(pool[k].name);
    return res;
  };
  auto outOfBudget = [&] {
    return finish(HoudiniResult::Outcome::Unknown, query.stopped() ? "interrupted" : fmt::format("the search's budget of {:.0f} s ran out", timeoutSeconds));
  };
  {
    Model all = withAlive();
    res.assumptions = Session(all, at).assumptions;  // and any construct the encoding refuses, before the first query
  }
  // Candidates Init does not establish go first (an unknown answer drops one too: dropping only
  // ever weakens what is left, so it never makes a wrong proof).
  for (size_t k = 0; k < pool.size(); ++k) {
    Model one = m;
    one.inductive = {pool[k]};
    Session S(one, at);
    if (query(S, S.enc.init() && !S.inv[0], nullptr, "Init => " + pool[k].name) != z3::unsat) alive[k] = false;
    if (query.stopped() || query.outOfTime()) return outOfBudget();
  }
  // Then rounds: each candidate not kept by some action, given all candidates alive, is dropped,
  // until a whole round keeps every one.
  Model now = withAlive();
  for (bool dropped = true; dropped;) {
    dropped = false;
    ++res.rounds;
    for (size_t k = 0; k < pool.size(); ++k) {
      if (!alive[k]) continue;
      bool kept = true;
      for (size_t a = 0; a < now.actions.size() && kept; ++a) {
        auto what = [&](const std::string&) { return fmt::format("Houdini round {}: {} => {}'", res.rounds, now.actions[a].name, pool[k].name); };
        kept = keeps(now, at, query, pool[k].holds, now.actions[a], what, nullptr) == z3::unsat;  // pool[k] is alive: in now's Inv
        if (query.stopped() || query.outOfTime()) return outOfBudget();
      }
      if (!kept) alive[k] = false, dropped = true, now = withAlive();
    }
  }
  if (now.inductive.empty()) return finish(HoudiniResult::Outcome::NotProved, "no candidate is inductive");
  Session S(now, at);
  z3::check_result r = query(S, z3::mk_and(S.invAll) && !S.enc.closed(prop->holds, 0), nullptr, "Houdini: what is left => " + property);
  if (r == z3::unknown) return query.stopped() ? outOfBudget() : finish(HoudiniResult::Outcome::Unknown, "Z3 answered unknown on what is left => " + property);
  if (r == z3::sat) return finish(HoudiniResult::Outcome::NotProved, fmt::format("the {} inductive candidates left do not imply {}", now.inductive.size(), property));
  return finish(HoudiniResult::Outcome::Proved);
}

}  // namespace mw
