// Recursive descent from tokens straight to the model language, checking names and sorts as it
// goes. Bound variables get slots by depth (a quantifier's variable takes the next free slot
// and frees it after its body), so a model reads the same whoever wrote it. A definition is
// parsed once where it is declared, to report its errors there, and again at every use with its
// parameters standing for the arguments (its own variables take slots above the caller's).
#include "language/parser.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "language/lexer.hpp"
#include "model/faults.hpp"

namespace mw {

namespace {
using lang::Tok;
using lang::Token;

constexpr int kMaxSlots = 16;         // the interpreters' environment
constexpr int kMaxExpansions = 20000;  // definitions used inside definitions grow fast

// What an expression denotes, for the sort checks.
struct Type {
  enum Kind { Bool, Value, Number, None } kind = Bool;
  Sort sort;
};

struct Binding {
  enum Kind { Var, Subst, QuorumVar } kind = Var;
  std::string name;
  Sort sort;
  int slot = 0;
  Expr subst;      // Subst: the argument a definition's parameter stands for
  Type substType;
  int system = 0;  // QuorumVar: the quorum system (1-based)
};

struct Define {
  std::vector<std::pair<std::string, Sort>> params;
  size_t body = 0;  // token index of the body
};

const char* roleWord(Role b) { return b == Role::Process ? "process" : b == Role::Ordered ? "ordered" : "symmetric"; }

class Parser {
 public:
  Parser(const std::string& text, std::string where) : where_(std::move(where)), toks_(lang::tokenize(text, where_)) {}

  Model run() {
    keyword("protocol", "expected `protocol NAME` first");
    m_.name = name("the protocol's name");
    for (;;) {
      const Token& t = peek();
      if (t.kind == Tok::End) break;
      if (isWord("sort")) sortDecl();
      else if (isWord("quorum")) quorumDecl();
      else if (isWord("subset")) subsetDecl();
      else if (isWord("state")) stateDecl();
      else if (isWord("message")) messageDecl();
      else if (isWord("lifelines")) lifelinesDecl();
      else if (isWord("define")) defineDecl();
      else if (isWord("action")) actionDecl();
      else if (isWord("invariant")) invariantDecl(false);
      else if (isWord("inductive")) invariantDecl(true);
      else if (isWord("mutation")) mutationDecl();
      else if (isWord("complete")) completeDecl();
      else if (isWord("expect")) expectDecl();
      else fail(t, fmt::format("unexpected '{}'", t.text), "expected sort, quorum, state, message, lifelines, define, action, invariant, inductive, mutation, complete or expect");
    }
    if (m_.actions.empty()) fail(peek(), "the protocol has no action", "expected at least one `action`");
    try {
      m_.finish();
    } catch (const std::logic_error& e) {
      // finish() names the action ("Phase2a: ..."); point at its declaration.
      std::string what = e.what();
      auto it = actionAt_.find(what.substr(0, what.find(':')));
      fail(it != actionAt_.end() ? it->second : toks_.front(), what, "expected a quorum chosen with `exists Q: system.` in a guard, outside quantifiers and negations");
    }
    return std::move(m_);
  }

 private:
  // ---- tokens
  const Token& peek(size_t k = 0) const { return toks_[std::min(pos_ + k, toks_.size() - 1)]; }
  const Token& next() {
    const Token& t = peek();
    if (pos_ < toks_.size() - 1) ++pos_;
    return t;
  }
  bool isWord(const char* w, size_t k = 0) const { return peek(k).kind == Tok::Name && peek(k).text == w; }
  bool isPunct(const char* p, size_t k = 0) const { return peek(k).kind == Tok::Punct && peek(k).text == p; }
  static std::string show(const Token& t) {
    std::string text = t.text.size() > 40 ? t.text.substr(0, 40) + "..." : t.text;
    return t.kind == Tok::End ? "the end of the file" : t.kind == Tok::String ? "\"" + text + "\"" : "'" + text + "'";
  }
  [[noreturn]] void fail(const Token& t, const std::string& what, const std::string& expected) const {
    throw ProtocolError(fmt::format("{}:{}:{}: {}; {}", where_, t.line, t.col, what, expected));
  }
  void keyword(const char* w, const std::string& expected) {
    if (!isWord(w)) fail(peek(), fmt::format("unexpected {}", show(peek())), expected);
    next();
  }
  void punct(const char* p, const std::string& expected) {
    if (!isPunct(p)) fail(peek(), fmt::format("unexpected {}", show(peek())), expected);
    next();
  }
  std::string name(const std::string& what) {
    if (peek().kind != Tok::Name) fail(peek(), fmt::format("unexpected {}", show(peek())), "expected " + what);
    return next().text;
  }
  std::string text(const std::string& what) {
    if (peek().kind != Tok::String) fail(peek(), fmt::format("unexpected {}", show(peek())), "expected " + what + " in double quotes");
    return next().text;
  }
  static bool reserved(const std::string& n) {
    static const std::set<std::string> words = {"protocol", "sort", "quorum", "state", "message", "define", "action",
                                                "invariant", "inductive", "when", "do", "send", "sent", "forall", "exists",
                                                "atleast", "in", "none", "choice", "within", "lowest", "any", "of",
                                                "mutation", "becomes", "drop", "minus", "and", "complete", "within",
                                                "actions", "parallel", "steps", "expect", "safe", "lesson", "subset", "uses",
                                                "if", "then", "else", "true", "false"};
    return words.count(n) > 0;
  }
  void fresh(const Token& at, const std::string& n) {
    if (reserved(n)) fail(at, fmt::format("'{}' is a keyword", n), "expected a name of your own");
    if (names_.count(n)) fail(at, fmt::format("'{}' is declared twice", n), "expected a new name");
    names_.insert(n);
  }

  // ---- declarations
  void sortDecl() {
    next();
    const Token& at = peek();
    std::string n = name("a sort name");
    fresh(at, n);
    punct(":", "expected ':' and a role: process, ordered, symmetric or enum(...)");
    const Token& roleAt = peek();
    std::string role = name("a role: process, ordered, symmetric or enum(...)");
    if (role != "process" && role != "ordered" && role != "symmetric" && role != "enum")
      fail(roleAt, fmt::format("unknown role '{}'", role), "expected process, ordered, symmetric or enum(...)");
    Role b = role == "process" ? Role::Process : role == "symmetric" ? Role::Symmetric : Role::Ordered;
    int ordered = 0;
    for (auto& [other, s] : sorts_) {
      if (s.role == b && b != Role::Ordered)
        fail(at, fmt::format("a second {} sort ('{}' is one)", roleWord(b), other),
             b == Role::Process ? "expected one process sort: quorums and the engines' process sets are of it"
                                : "expected one symmetric sort (the engines permute one)");
      ordered += s.role == Role::Ordered;
    }
    SortDecl d;
    d.name = n;
    d.sort = Sort{b, false, b == Role::Ordered ? ordered : 0};
    sorts_[n] = d.sort;
    if (role == "enum") {
      // enum(a, b, c): the elements by name, numbered from 0; the size is their count.
      punct("(", "expected '(' and the names of the sort's elements");
      do {
        const Token& cAt = peek();
        std::string c = name("an element's name");
        fresh(cAt, c);
        constants_[c] = {d.sort, static_cast<int>(d.constants.size())};
        d.constants.push_back(c);
      } while (isPunct(",") && (next(), true));
      punct(")", "expected ')' after the elements");
      if (d.constants.size() > 64) fail(roleAt, fmt::format("{} elements", d.constants.size()), "expected at most 64");
      d.size = SizeExpr{SizeExpr::Kind::Num, static_cast<int>(d.constants.size()), {}, {}};
    }
    // , size EXPR | , option LONG [SHORT]
    while (isPunct(",")) {
      next();
      const Token& clauseAt = peek();
      if (d.isEnum()) fail(clauseAt, fmt::format("{} is an enum: its size is the number of its elements", n), "expected no clause after enum(...)");
      if (isWord("size")) {
        next();
        if (b == Role::Process) fail(clauseAt, "the process sort's size is n", "expected no size here (--n sets it)");
        if (d.size) fail(clauseAt, "a second size", "expected one size");
        d.size = sizeSum();
      } else if (isWord("option")) {
        next();
        if (b == Role::Process) fail(clauseAt, "the process sort's option is --n", "expected no option here");
        optionNames(clauseAt, d.option, &d.shortOption);
      } else {
        fail(clauseAt, fmt::format("unexpected {}", show(clauseAt)), "expected `size` or `option`");
      }
    }
    if (b != Role::Process && !d.size) d.size = SizeExpr{SizeExpr::Kind::Num, 2, {}, {}};  // 2 unless stated
    m_.sorts.push_back(std::move(d));
  }
  // `option LONG [SHORT]`: a command-line option of its own (--LONG, -SHORT), not one of the
  // command's (those are refused when the protocol is loaded, where the options are known).
  void optionNames(const Token& at, std::string& longName, std::string* shortName) {
    if (!longName.empty()) fail(at, "a second option", "expected one option");
    const Token& nameAt = peek();
    longName = name("the option's long name (without dashes)");
    if (longName.size() < 2) fail(nameAt, fmt::format("'{}' is too short for a long option", longName), "expected a name of two characters or more");
    for (auto& d : m_.sorts)
      if (d.option == longName) fail(nameAt, fmt::format("option '{}' is declared twice", longName), "expected a new option name");
    for (auto& q : m_.systems)
      if (q.option == longName) fail(nameAt, fmt::format("option '{}' is declared twice", longName), "expected a new option name");
    if (shortName && peek().kind == Tok::Name && peek().line == nameAt.line) {
      const Token& shortAt = peek();
      std::string s = next().text;
      if (s.size() != 1 || !std::isalpha(static_cast<unsigned char>(s[0])))
        fail(shortAt, fmt::format("'{}' is not one letter", s), "expected a one-letter short option, or nothing");
      for (auto& d : m_.sorts)
        if (d.shortOption == s) fail(shortAt, fmt::format("short option '{}' is declared twice", s), "expected a new letter");
      *shortName = s;
    }
  }

  Sort sortRef() {
    const Token& at = peek();
    std::string n = name("a sort");
    auto it = sorts_.find(n);
    if (it == sorts_.end()) fail(at, fmt::format("unknown sort '{}'", n), "expected a sort declared with `sort`");
    Sort s = it->second;
    if (isPunct("?")) {
      next();
      s.withNone = true;
    }
    return s;
  }
  std::string sortText(Sort s) const { return m_.sortText(s); }
  // One sort, with or without none.
  static bool sameSort(Sort a, Sort b) { return a.role == b.role && a.index == b.index; }
  std::string typeText(const Type& t) const {
    return t.kind == Type::Bool ? "a condition" : t.kind == Type::Number ? "a number" : t.kind == Type::None ? "none" : "a " + sortText(t.sort);
  }

  void quorumDecl() {
    next();
    const Token& at = peek();
    std::string n = name("a quorum system's name");
    fresh(at, n);
    keyword("of", "expected `of` and the process sort its members come from");
    const Token& sortAt = peek();
    Sort s = sortRef();
    if (s.role != Role::Process || s.withNone) fail(sortAt, "quorum members must be processes", "expected the process sort");
    if (systems_.size() == 31) fail(at, "a 32nd quorum system", "expected at most 31");
    systems_.push_back(n);
    QuorumDecl q;
    q.name = n;
    // , size EXPR (of n and f) | , option LONG | , "how texts name its quorums"
    while (isPunct(",")) {
      next();
      const Token& clauseAt = peek();
      if (isWord("size")) {
        next();
        if (q.size) fail(clauseAt, "a second size", "expected one size");
        faultsAllowed_ = true;
        q.size = sizeSum();
        faultsAllowed_ = false;
      } else if (isWord("option")) {
        next();
        optionNames(clauseAt, q.option, nullptr);
      } else if (clauseAt.kind == Tok::String) {
        if (!q.text.empty()) fail(clauseAt, "a second text", "expected one text");
        q.text = next().text;
      } else {
        fail(clauseAt, fmt::format("unexpected {}", show(clauseAt)), "expected `size`, `option` or a text in quotes");
      }
    }
    m_.systems.push_back(std::move(q));
  }
  // subset NAME of SORT = {E, ...} [, option LONG] [, "text"]: elements of an ordered sort that
  // each instance chooses (Fast Paxos's fast rounds); elements are numbers, or an enum's names.
  void subsetDecl() {
    next();
    const Token& at = peek();
    SubsetDecl d;
    d.name = name("a subset's name");
    fresh(at, d.name);
    keyword("of", "expected `of` and the ordered sort its elements come from");
    const Token& sortAt = peek();
    d.sort = sortRef();
    if (d.sort.role != Role::Ordered || d.sort.withNone)
      fail(sortAt, fmt::format("a subset of {}, which is not an ordered sort", sortText(d.sort)),
           "expected an ordered sort without ?: the engines permute the elements of the others");
    punct("=", "expected '=' and its default elements in braces, `{0}`");
    punct("{", "expected '{' and the default elements");
    const SortDecl* decl = m_.sortDecl(d.sort);
    while (!isPunct("}")) {
      if (!d.defaults.empty()) punct(",", "expected ',' or '}'");
      const Token& eAt = peek();
      int v = 0;
      if (decl && decl->isEnum()) {
        auto c = constants_.find(peek().text);
        if (peek().kind != Tok::Name || c == constants_.end() || !sameSort(c->second.first, d.sort))
          fail(eAt, fmt::format("unexpected {}", show(eAt)), fmt::format("expected an element of {}", sortText(d.sort)));
        next();
        v = c->second.second;
      } else {
        if (peek().kind != Tok::Number) fail(eAt, fmt::format("unexpected {}", show(eAt)), fmt::format("expected a number: an element of {}", sortText(d.sort)));
        v = std::stoi(next().text.substr(0, 6));
        if (v > 63) fail(eAt, fmt::format("element {} of {}", v, d.name), "expected 0..63: a sort has at most 64 elements");
      }
      if (std::find(d.defaults.begin(), d.defaults.end(), v) != d.defaults.end()) fail(eAt, fmt::format("{} is listed twice", eAt.text), "expected each element once");
      d.defaults.push_back(v);
    }
    next();
    std::sort(d.defaults.begin(), d.defaults.end());
    while (isPunct(",")) {
      next();
      const Token& clauseAt = peek();
      if (isWord("option")) {
        next();
        optionNames(clauseAt, d.option, nullptr);
      } else if (clauseAt.kind == Tok::String) {
        if (!d.text.empty()) fail(clauseAt, "a second text", "expected one text");
        d.text = next().text;
      } else {
        fail(clauseAt, fmt::format("unexpected {}", show(clauseAt)), "expected `option` or a text in quotes");
      }
    }
    m_.subsets.push_back(std::move(d));
  }
  int subsetOf(const std::string& n) const {
    for (size_t i = 0; i < m_.subsets.size(); ++i)
      if (m_.subsets[i].name == n) return static_cast<int>(i);
    return -1;
  }

  int systemOf(const Token& at, const std::string& n) const {
    for (size_t i = 0; i < systems_.size(); ++i)
      if (systems_[i] == n) return static_cast<int>(i) + 1;
    fail(at, fmt::format("unknown quorum system '{}'", n), "expected a system declared with `quorum`");
  }

  void stateDecl() {
    next();
    const Token& at = peek();
    Func f;
    f.name = name("a state variable's name");
    fresh(at, f.name);
    punct("[", "expected '[' and the sorts that index it");
    do f.args.push_back(sortRef());
    while (isPunct(",") && (next(), true));
    punct("]", "expected ']'");
    punct(":", "expected ':' and the sort of its values");
    f.result = sortRef();
    punct("=", "expected '=' and its initial value");
    const Token& initAt = peek();
    if (isWord("none")) {
      next();
      if (!f.result.withNone) fail(initAt, fmt::format("'{}' starts at none but its sort {} has no none", f.name, sortText(f.result)), fmt::format("expected {}? as its sort, or a number", sortText(f.result)));
      f.init = kNone;
    } else if (auto c = constants_.find(peek().text); peek().kind == Tok::Name && c != constants_.end()) {
      next();
      if (!sameSort(c->second.first, f.result))
        fail(initAt, fmt::format("'{}' is a {}, and {} holds a {}", initAt.text, sortText(c->second.first), f.name, sortText(f.result)), fmt::format("expected a {}", sortText(f.result)));
      f.init = c->second.second;
    } else if (peek().kind == Tok::Number) {
      if (!m_.hasOrder(f.result)) fail(initAt, "a number as the initial value of a sort that is not ordered", "expected none, or an element's name");
      f.init = std::stoi(next().text.substr(0, 6));
    } else {
      fail(initAt, fmt::format("unexpected {}", show(initAt)), "expected none or a number");
    }
    // , persistent: kept across a restart (--faults restart); only a process's own state restarts.
    if (isPunct(",")) {
      next();
      const Token& clauseAt = peek();
      keyword("persistent", "expected `persistent` (the state survives a restart)");
      if (!belongsToProcess(f))
        fail(clauseAt, fmt::format("'{}' is not indexed first by the process sort, so no restart resets it", f.name),
             "expected `persistent` only on a process's own state");
      f.persistent = true;
    }
    m_.funcs.push_back(f);
  }

  void messageDecl() {
    next();
    const Token& at = peek();
    Relation r;
    r.name = name("a message type's name");
    fresh(at, r.name);
    punct("(", "expected '(' and the message's fields");
    do {
      const Token& fieldAt = peek();
      std::string f = name("a field name");
      for (auto& g : r.fields)
        if (g == f) fail(fieldAt, fmt::format("field '{}' twice", f), "expected each field once");
      punct(":", "expected ':' and the field's sort");
      r.fields.push_back(f);
      r.sorts.push_back(sortRef());
    } while (isPunct(",") && (next(), true));
    punct(")", "expected ')'");
    if (isWord("from")) r.route = route(r);
    m_.rels.push_back(r);
  }

  // lifelines SORT ["label"] | "NAME", ...: the diagrams' lifelines, a group per sort or one
  // lifeline of its own, left to right.
  void lifelinesDecl() {
    const Token& at = next();
    if (!m_.lifelines.empty()) fail(at, "a second `lifelines`", "expected one list of lifelines");
    do {
      const Token& sortAt = peek();
      if (sortAt.kind == Tok::String) {
        next();
        if (sortAt.text.empty()) fail(sortAt, "an empty lifeline name", "expected a name in quotes");
        for (auto& g : m_.lifelines)
          if (g.single && g.label == sortAt.text) fail(sortAt, fmt::format("lifeline \"{}\" is listed twice", sortAt.text), "expected each lifeline once");
        m_.lifelines.push_back({Sort{}, sortAt.text, true});
        continue;
      }
      Sort s = sortRef();
      if (s.withNone) fail(sortAt, fmt::format("{} has a none, which is no lifeline", sortText(s)), "expected the sort without '?'");
      for (auto& g : m_.lifelines)
        if (!g.single && g.sort == s) fail(sortAt, fmt::format("{} is listed twice", sortText(s)), "expected each sort once");
      LifelineGroup g{s, sortText(s)};
      if (peek().kind == Tok::String) g.label = next().text;
      m_.lifelines.push_back(g);
    } while (isPunct(",") && (next(), true));
  }
  int lifelineGroup(Sort s) const {
    s.withNone = false;
    for (size_t g = 0; g < m_.lifelines.size(); ++g)
      if (!m_.lifelines[g].single && m_.lifelines[g].sort == s) return static_cast<int>(g);
    return -1;
  }
  // "NAME": a single lifeline as an endpoint of a route.
  int singleLifeline(const Token& at) {
    for (size_t g = 0; g < m_.lifelines.size(); ++g)
      if (m_.lifelines[g].single && m_.lifelines[g].label == at.text) return static_cast<int>(g);
    fail(at, fmt::format("no lifeline \"{}\"", at.text), "expected a lifeline named in `lifelines` (declared above)");
  }
  // from FIELD to FIELD|SORT, after a message's fields: each field's sort must have lifelines.
  Route route(const Relation& r) {
    next();
    Route out;
    auto field = [&](const Token& at, const std::string& n) {
      for (size_t i = 0; i < r.fields.size(); ++i)
        if (r.fields[i] == n) {
          if (lifelineGroup(r.sorts[i]) < 0)
            fail(at, fmt::format("field '{}' is a {}, which has no lifelines", n, sortText(r.sorts[i])),
                 "expected a field whose sort is listed in `lifelines` (declared above)");
          return static_cast<int>(i);
        }
      return -1;
    };
    const Token& fromAt = peek();
    if (fromAt.kind == Tok::String) {
      next();
      out.fromGroup = singleLifeline(fromAt);
    } else {
      std::string from = name("the field that names the sender, or a lifeline in quotes");
      out.from = field(fromAt, from);
      if (out.from < 0) fail(fromAt, fmt::format("message {} has no field '{}'", r.name, from), fmt::format("expected the sender: one of {}", fieldList(r)));
    }
    keyword("to", "expected `to` and a field, or a sort for every lifeline of it");
    const Token& toAt = peek();
    if (toAt.kind == Tok::String) {
      next();
      out.toGroup = singleLifeline(toAt);
      return out;
    }
    std::string to = name("the field that names the receiver, a sort, or a lifeline in quotes");
    out.to = field(toAt, to);
    if (out.to < 0) {
      auto it = sorts_.find(to);
      if (it == sorts_.end())
        fail(toAt, fmt::format("message {} has no field '{}', and no sort is called so", r.name, to), fmt::format("expected one of {}, or a sort listed in `lifelines`", fieldList(r)));
      out.toGroup = lifelineGroup(it->second);
      if (out.toGroup < 0) fail(toAt, fmt::format("{} has no lifelines", to), "expected a sort listed in `lifelines` (declared above)");
    }
    return out;
  }

  std::vector<std::pair<std::string, Sort>> params() {
    std::vector<std::pair<std::string, Sort>> out;
    punct("(", "expected '(' and the parameters");
    if (isPunct(")")) {
      next();
      return out;
    }
    do {
      const Token& at = peek();
      std::string n = name("a parameter name");
      if (reserved(n)) fail(at, fmt::format("'{}' is a keyword", n), "expected a name of your own");
      for (auto& [other, s] : out)
        if (other == n) fail(at, fmt::format("parameter '{}' twice", n), "expected each parameter once");
      if (names_.count(n) && !defines_.count(n)) fail(at, fmt::format("parameter '{}' hides a declared name", n), "expected another name");
      punct(":", "expected ':' and the parameter's sort");
      out.push_back({n, sortRef()});
    } while (isPunct(",") && (next(), true));
    punct(")", "expected ')'");
    return out;
  }

  void defineDecl() {
    next();
    const Token& at = peek();
    std::string n = name("the definition's name");
    fresh(at, n);
    Define d;
    d.params = params();
    punct("=", "expected '=' and the definition's body");
    d.body = pos_;
    // Checked once here, with its parameters as variables, so its errors point into it.
    std::vector<Binding> saved = std::move(scope_);
    scope_.clear();
    int base = nextSlot_;
    for (auto& [pn, ps] : d.params) bindVar(at, pn, ps);
    Type t = expr().second;
    nextSlot_ = base;
    scope_ = std::move(saved);
    (void)t;
    defines_[n] = d;
  }

  void actionDecl() {
    next();
    const Token& at = peek();
    Action a;
    a.name = name("the action's name");
    fresh(at, a.name);
    actionAt_[a.name] = at;
    prefix_ = a.name + ".";
    scope_.clear();
    nextSlot_ = 0;
    for (auto& [pn, ps] : params()) {
      bindVar(at, pn, ps);
      a.params.push_back({pn, ps});
    }
    for (;;) {
      if (isWord("when")) {
        next();
        std::string label = siteLabel();
        auto [e, t] = expr();
        requireBool(t, at, "a guard");
        e.site = prefix_ + label;
        a.guard.push_back(std::move(e));
      } else if (isWord("do")) {
        next();
        std::string label = siteLabel();
        a.updates.push_back(update(prefix_ + label));
      } else if (isWord("choice")) {
        next();
        ChoiceRule c;
        c.name = prefix_ + "choice";
        c.order = prefix_ + usedLabel("the label of the comparison that orders the candidates");
        keyword("within", "expected `within` and the label of the whole rule");
        c.rule = prefix_ + usedLabel("the label of the whole rule");
        keyword("lowest", "expected `lowest` and the text of the mutant that takes the other end of the order");
        c.lowestText = text("the text of the reversed-order mutant");
        keyword("any", "expected `any` and the text of the mutant that drops the rule");
        c.anyText = text("the text of the dropped-rule mutant");
        m_.choiceRules.push_back(c);
      } else {
        break;
      }
    }
    if (a.guard.empty() && a.updates.empty()) fail(at, fmt::format("action '{}' has no `when` and no `do`", a.name), "expected its guard and updates");
    prefix_.clear();
    scope_.clear();
    m_.actions.push_back(std::move(a));
  }

  // `label:` where a site is named: unique in the protocol.
  std::string siteLabel() {
    const Token& at = peek();
    std::string label = name("a label (the name mutations use for this place)");
    punct(":", "expected ':' after the label");
    if (!sites_.insert(prefix_ + label).second) fail(at, fmt::format("label '{}' is used twice in this action", label), "expected a new label");
    return label;
  }
  std::string usedLabel(const std::string& what) {
    const Token& at = peek();
    std::string label = name(what);
    if (!sites_.count(prefix_ + label)) fail(at, fmt::format("no label '{}' in this action", label), "expected " + what);
    return label;
  }

  Update update(const std::string& site) {
    if (isWord("forall")) return quantifiedUpdate(site);
    const Token& at = peek();
    Update u;
    u.site = site;
    if (isWord("send")) {
      next();
      u.kind = Update::Kind::Send;
      auto [ref, fields] = message();
      u.ref = ref;
      u.args = std::move(fields);
      return u;
    }
    std::string f = name("a state variable to assign, or `send`");
    int ref = funcIndex(f);
    if (ref < 0) fail(at, fmt::format("unknown state '{}'", f), "expected a state variable declared with `state`, or `send`");
    u.kind = Update::Kind::Assign;
    u.ref = ref;
    u.args = indices(at, m_.funcs[ref]);
    punct(":=", "expected ':=' and the new value");
    const Token& valueAt = peek();
    auto [v, t] = expr();
    fits(valueAt, t, m_.funcs[ref].result, fmt::format("the value of {}", f));
    u.value = std::move(v);
    return u;
  }

  // forall x: S, y: T. UPDATE: the update once for every value of x and y (model/instantiate.hpp).
  Update quantifiedUpdate(const std::string& site) {
    next();
    size_t outer = scope_.size();
    std::vector<Over> over;
    do {
      const Token& at = peek();
      std::string v = name("a variable");
      if (reserved(v)) fail(at, fmt::format("'{}' is a keyword", v), "expected a variable name");
      punct(":", "expected ':' and its sort");
      Sort s = sortRef();
      bindVar(at, v, s);
      over.push_back({v, s, scope_.back().slot});
    } while (isPunct(",") && (next(), true));
    punct(".", "expected '.' and the update (`send ...` or `STATE[...] := ...`)");
    const Token& at = peek();
    if (isWord("forall")) fail(at, "a second forall", "expected one `forall` with every variable");
    Update u = update(site);
    // Every copy must write its own cell: each variable is one of the assigned cell's indices.
    if (u.kind == Update::Kind::Assign)
      for (auto& o : over) {
        bool indexes = false;
        for (auto& a : u.args) indexes = indexes || (a.kind == Kind::Var && a.slot == o.slot);
        if (!indexes)
          fail(at, fmt::format("'{}' is not an index of the assigned cell, so every copy would write the same one", o.name),
               fmt::format("expected {} among the indices of {}", o.name, m_.funcs[u.ref].name));
      }
    u.over = std::move(over);
    nextSlot_ -= static_cast<int>(scope_.size() - outer);
    scope_.resize(outer);
    return u;
  }

  void invariantDecl(bool inductive) {
    next();
    const Token& at = peek();
    Invariant inv;
    inv.name = name(inductive ? "the conjunct's name" : "the invariant's name");
    auto& list = inductive ? m_.inductive : m_.invariants;
    for (auto& other : list)
      if (other.name == inv.name) fail(at, fmt::format("'{}' is declared twice", inv.name), "expected a new name");
    inv.description = text("its one-line text");
    punct(":", "expected ':' and the formula");
    scope_.clear();
    nextSlot_ = 0;
    auto [e, t] = expr();
    requireBool(t, at, inductive ? "a conjunct of the inductive invariant" : "an invariant");
    inv.holds = std::move(e);
    list.push_back(std::move(inv));
  }

  // complete within FORMULA actions "text" | complete within FORMULA parallel steps "text"
  void completeDecl() {
    const Token& at = next();
    keyword("within", "expected `within` and a number of actions or parallel steps");
    Completeness c;
    c.bound = sizeSum();
    bool steps = isWord("parallel");
    if (steps) {
      next();
      keyword("steps", "expected `steps` after `parallel`");
    } else {
      keyword("actions", "expected `actions` or `parallel steps` after the formula");
    }
    c.text = text("how output names the bound, like \"2B(n+1)\"");
    auto& slot = steps ? m_.completeSteps : m_.completeActions;
    if (slot) fail(at, fmt::format("a second completeness threshold of {}", steps ? "parallel steps" : "actions"), "expected one of each");
    slot = std::move(c);
  }
  // expect safe when SIZE OP SIZE (& SIZE OP SIZE)* "text": the quorum sizes a sweep expects
  // safe; quorum systems stand for their sizes.
  void expectDecl() {
    const Token& at = next();
    keyword("safe", "expected `safe when` and a condition on quorum sizes");
    keyword("when", "expected `when` and a condition on quorum sizes");
    if (m_.expectSafe) fail(at, "a second `expect safe`", "expected one");
    SizeCondition c;
    systemsAllowed_ = true;
    do {
      SizeCondition::Compare k;
      k.left = sizeSum();
      const Token& opAt = peek();
      static const std::map<std::string, Op> ops = {{"<", Op::Lt}, {"<=", Op::Le}, {">", Op::Gt}, {">=", Op::Ge}, {"=", Op::Eq}, {"!=", Op::Ne}};
      auto it = opAt.kind == Tok::Punct ? ops.find(opAt.text) : ops.end();
      if (it == ops.end()) fail(opAt, fmt::format("unexpected {}", show(opAt)), "expected a comparison: < <= > >= = !=");
      next();
      k.op = it->second;
      k.right = sizeSum();
      c.all.push_back(std::move(k));
    } while (isPunct("&") && (next(), true));
    systemsAllowed_ = false;
    c.text = text("how output names the condition, like \"q1 + q2 > n\"");
    m_.expectSafe = std::move(c);
  }
  SizeExpr sizeSum() {
    SizeExpr e = sizeProduct();
    while (isPunct("+") || isPunct("-")) {
      SizeExpr op;
      op.kind = next().text == "+" ? SizeExpr::Kind::Add : SizeExpr::Kind::Sub;
      op.kids = {std::move(e), sizeProduct()};
      e = std::move(op);
    }
    return e;
  }
  SizeExpr sizeProduct() {
    SizeExpr e = sizeFactor();
    while (isPunct("*") || isPunct("/")) {
      SizeExpr op;
      op.kind = next().text == "*" ? SizeExpr::Kind::Mul : SizeExpr::Kind::Div;
      op.kids = {std::move(e), sizeFactor()};
      e = std::move(op);
    }
    return e;
  }
  SizeExpr sizeFactor() {
    const Token& at = peek();
    SizeExpr e;
    if (isPunct("(")) {
      next();
      e = sizeSum();
      punct(")", "expected ')'");
    } else if (at.kind == Tok::Number && at.text[0] != '-' && at.text.size() <= 4) {
      e.val = std::stoi(next().text);
    } else if (at.kind == Tok::Name && sorts_.count(at.text)) {
      e.kind = SizeExpr::Kind::Size;
      e.sort = sorts_.at(next().text);
    } else if (faultsAllowed_ && at.kind == Tok::Name && at.text == "f") {
      next();
      e.kind = SizeExpr::Kind::Faults;
    } else if (systemsAllowed_ && at.kind == Tok::Name &&
               std::find(systems_.begin(), systems_.end(), at.text) != systems_.end()) {
      e.kind = SizeExpr::Kind::System;
      e.val = systemOf(at, next().text) - 1;
    } else {
      fail(at, fmt::format("unexpected {}", show(at)),
           systemsAllowed_ ? "expected a number (0 to 9999), a sort (its size), a quorum system (its size) or '('"
           : faultsAllowed_ ? "expected a number (0 to 9999), a sort (its size), f (the faults tolerated) or '('"
                            : "expected a number (0 to 9999), a sort (its size) or '('");
    }
    return e;
  }

  // mutation NAME "text": change and change ...
  //   LABEL becomes OP | drop LABEL | LABEL.FIELD := none|NUMBER | SYSTEM minus NUMBER
  void mutationDecl() {
    next();
    const Token& at = peek();
    CatalogEntry c;
    c.name = name("the mutation's name (what --mutate takes)");
    for (auto& other : m_.catalog)
      if (other.name == c.name) fail(at, fmt::format("mutation '{}' is declared twice", c.name), "expected a new name");
    c.description = text("its one-line text");
    punct(":", "expected ':' and its changes");
    do c.changes.push_back(change());
    while (isWord("and") && (next(), true));
    if (isWord("lesson")) {
      next();
      c.lesson = text("the lesson: why the protocol needs what this mutation removes");
    }
    m_.catalog.push_back(std::move(c));
  }
  CatalogChange change() {
    CatalogChange ch;
    if (isWord("forget")) {  // forget STATE: a persistent state is lost on restart
      next();
      const Token& at = peek();
      std::string n = name("a persistent state");
      ch.kind = CatalogChange::Kind::Forget;
      ch.func = funcIndex(n);
      if (ch.func < 0) fail(at, fmt::format("unknown state '{}'", n), "expected a state declared with `state`");
      if (!m_.funcs[ch.func].persistent) fail(at, fmt::format("'{}' is not persistent", n), "expected a state declared `, persistent`");
      return ch;
    }
    if (isWord("drop")) {
      next();
      ch.kind = CatalogChange::Kind::Drop;
      const Token& at = peek();
      std::string site = name("the label of a guard conjunct or an update");
      ch.site = knownSite(at, site);
      return ch;
    }
    const Token& at = peek();
    std::string n = name("a label, `drop LABEL`, or a quorum system");
    if (isWord("minus")) {
      next();
      ch.kind = CatalogChange::Kind::ShrinkQuorum;
      ch.system = systemOf(at, n);
      const Token& byAt = peek();
      if (byAt.kind != Tok::Number || byAt.text.size() > 2 || byAt.text[0] == '-' || byAt.text == "0")
        fail(byAt, fmt::format("unexpected {}", show(byAt)), "expected how many members fewer (1 to 99)");
      ch.by = std::stoi(next().text);
      return ch;
    }
    if (isWord("uses")) {  // LABEL uses SYSTEM: an `atleast` or a quorum counts against another system
      next();
      ch.kind = CatalogChange::Kind::UseSystem;
      ch.site = knownSite(at, n);
      const Token& sysAt = peek();
      ch.system = systemOf(sysAt, name("a quorum system"));
      const Expr* e = labelledInGuard(ch.site);
      if (!e || (e->kind != Kind::AtLeast && e->kind != Kind::Quorum)) fail(at, fmt::format("'{}' is not the label of an `atleast` or `exists Q:` in a guard", n), "expected such a label before `uses`");
      return ch;
    }
    if (isWord("becomes") && peekIsPunctAfter("(")) {  // LABEL becomes (CONDITION): another condition there
      next();
      ch.kind = CatalogChange::Kind::Replace;
      ch.site = knownSite(at, n);
      ch.replacement = replacement(at, ch.site);
      return ch;
    }
    if (isWord("becomes")) {
      next();
      static const std::map<std::string, Op> ops = {{"<", Op::Lt}, {"<=", Op::Le}, {">", Op::Gt}, {">=", Op::Ge}, {"=", Op::Eq}, {"!=", Op::Ne}};
      if (peek().kind != Tok::Punct || !ops.count(peek().text)) fail(peek(), fmt::format("unexpected {}", show(peek())), "expected one of < <= > >= = !=");
      ch.kind = CatalogChange::Kind::Compare;
      ch.site = knownSite(at, n);
      ch.op = ops.at(next().text);
      return ch;
    }
    if (isPunct(":=")) {
      next();
      // LABEL.FIELD: the label of a send, or of a `sent` condition in a guard, and one field of
      // its message.
      size_t dot = n.rfind('.');
      int rel = -1;
      if (dot != std::string::npos) {
        for (auto& a : m_.actions)
          for (auto& u : a.updates)
            if (u.site == n.substr(0, dot) && u.kind == Update::Kind::Send) rel = u.ref;
        if (const Expr* e = labelledInGuard(n.substr(0, dot)); rel < 0 && e && e->kind == Kind::Sent) rel = e->ref;
      }
      if (rel < 0)
        fail(at, fmt::format("'{}' is not LABEL.FIELD of a send or a `sent`", n),
             "expected the label of a `do ...: send`, or of a `sent` in a guard, and a field of its message");
      const Relation& r = m_.rels[rel];
      ch.kind = CatalogChange::Kind::SetField;
      ch.site = n.substr(0, dot);
      ch.field = -1;
      for (size_t f = 0; f < r.fields.size(); ++f)
        if (r.fields[f] == n.substr(dot + 1)) ch.field = static_cast<int>(f);
      if (ch.field < 0) fail(at, fmt::format("message {} has no field '{}'", r.name, n.substr(dot + 1)), fmt::format("expected one of {}", fieldList(r)));
      const Token& valueAt = peek();
      auto [v, t] = atom();
      fits(valueAt, t, r.sorts[ch.field], fmt::format("field {} of {}", r.fields[ch.field], r.name));
      if (v.kind != Kind::Const) fail(valueAt, "a changed field takes a constant", "expected none or a number");
      ch.value = v.val;
      return ch;
    }
    fail(peek(), fmt::format("unexpected {}", show(peek())), "expected `becomes OP`, `:= VALUE`, `uses SYSTEM`, or `minus N` after the name");
  }
  bool peekIsPunctAfter(const char* p) const {
    return pos_ + 1 < toks_.size() && toks_[pos_ + 1].kind == Tok::Punct && toks_[pos_ + 1].text == p;
  }
  static int maxSlot(const Expr& e) {
    int m = (e.kind == Kind::Exists || e.kind == Kind::Forall || e.kind == Kind::AtLeast || e.kind == Kind::Var) ? e.slot : -1;
    for (auto& k : e.kids) m = std::max(m, maxSlot(k));
    return m;
  }
  // The condition of `LABEL becomes (CONDITION)`: it reads the parameters of the label's action
  // and the variables bound around the label (not a quorum's Q), and its own variables take
  // slots no binder of that action uses, so no value around the label is overwritten.
  Expr replacement(const Token& at, const std::string& site) {
    const Action* act = nullptr;
    const Update* inUpdate = nullptr;
    std::vector<const Expr*> path;  // from a guard conjunct (or an update's value) down to the labelled condition
    labelledInGuard(site, &act, &path);
    if (path.empty()) labelledInUpdate(site, &act, &inUpdate, &path);
    if (path.empty() || path.back()->kind == Kind::Ite || path.back()->kind == Kind::Read || path.back()->kind == Kind::Var ||
        path.back()->kind == Kind::Const)
      fail(at, fmt::format("'{}' is not the label of a condition in a guard or an update", site), "expected such a label before `becomes (...)`");
    scope_.clear();
    nextSlot_ = 0;
    for (auto& p : act->params) bindVar(at, p.name, p.sort);
    // An update's `forall` variables are in scope in its value.
    if (inUpdate)
      for (auto& o : inUpdate->over) {
        Binding b;
        b.kind = Binding::Var;
        b.name = o.name;
        b.sort = o.sort;
        b.slot = o.slot;
        scope_.push_back(b);
      }
    // The variables bound around the label are in scope too, in their own slots.
    for (size_t i = 0; i + 1 < path.size(); ++i) {
      const Expr* e = path[i];
      if (e->kind != Kind::Exists && e->kind != Kind::Forall && e->kind != Kind::AtLeast) continue;
      Binding b;
      b.kind = Binding::Var;
      b.name = e->name;
      b.sort = e->sort;
      b.slot = e->slot;
      scope_.push_back(b);
    }
    int top = static_cast<int>(act->params.size()) - 1;
    for (auto& g : act->guard) top = std::max(top, maxSlot(g));
    for (auto& u : act->updates) {
      top = std::max(top, maxSlot(u.value));
      for (auto& x : u.args) top = std::max(top, maxSlot(x));
      for (auto& o : u.over) top = std::max(top, o.slot);
    }
    nextSlot_ = top + 1;
    const Token& exprAt = peek();
    punct("(", "expected '(' and the condition that replaces the labelled one");
    auto [e, t] = expr();
    requireBool(t, exprAt, "what replaces a condition");
    punct(")", "expected ')' after the condition");
    scope_.clear();
    nextSlot_ = 0;
    return e;
  }
  static bool pathTo(const Expr& e, const std::string& site, std::vector<const Expr*>& path) {
    path.push_back(&e);
    if (e.site == site) return true;
    for (auto& k : e.kids)
      if (pathTo(k, site, path)) return true;
    path.pop_back();
    return false;
  }
  // The node labelled `site` in a guard (null if none), with its action and the path to it.
  const Expr* labelledInGuard(const std::string& site, const Action** act = nullptr, std::vector<const Expr*>* path = nullptr) const {
    std::vector<const Expr*> here;
    for (auto& a : m_.actions)
      for (auto& g : a.guard)
        if (pathTo(g, site, here)) {
          if (act) *act = &a;
          if (path) *path = here;
          return here.back();
        }
    return nullptr;
  }
  // The node labelled `site` in an update's value or arguments (null if none), with its action,
  // the update and the path to it.
  const Expr* labelledInUpdate(const std::string& site, const Action** act, const Update** update, std::vector<const Expr*>* path) const {
    std::vector<const Expr*> here;
    for (auto& a : m_.actions)
      for (auto& u : a.updates) {
        bool found = pathTo(u.value, site, here);
        for (size_t k = 0; !found && k < u.args.size(); ++k) found = pathTo(u.args[k], site, here);
        if (found) {
          *act = &a;
          *update = &u;
          *path = here;
          return here.back();
        }
      }
    return nullptr;
  }
  std::string knownSite(const Token& at, const std::string& site) {
    if (!sites_.count(site)) fail(at, fmt::format("no label '{}' in the protocol", site), "expected Action.label, as the actions declare them");
    return site;
  }

  // ---- names in scope
  int funcIndex(const std::string& n) const {
    for (size_t i = 0; i < m_.funcs.size(); ++i)
      if (m_.funcs[i].name == n) return static_cast<int>(i);
    return -1;
  }
  int relIndex(const std::string& n) const {
    for (size_t i = 0; i < m_.rels.size(); ++i)
      if (m_.rels[i].name == n) return static_cast<int>(i);
    return -1;
  }
  const Binding* lookup(const std::string& n) const {
    for (size_t i = scope_.size(); i-- > 0;)
      if (scope_[i].name == n) return &scope_[i];
    return nullptr;
  }
  void bindVar(const Token& at, const std::string& n, Sort s) {
    if (nextSlot_ >= kMaxSlots) fail(at, fmt::format("more than {} variables in scope at once", kMaxSlots), "expected fewer nested quantifiers");
    Binding b;
    b.kind = Binding::Var;
    b.name = n;
    b.sort = s;
    b.slot = nextSlot_++;
    scope_.push_back(b);
  }

  // ---- sort checks
  void requireBool(const Type& t, const Token& at, const std::string& what) const {
    if (t.kind != Type::Bool) fail(at, fmt::format("{} must be a condition, not {}", what, typeText(t)), "expected a comparison, `sent ...`, or a formula");
  }
  void requireValue(const Type& t, const Token& at) const {
    if (t.kind == Type::Bool) fail(at, "a condition where a value belongs", "expected a variable, a state, a number or none");
  }
  // An argument, field or assigned value of sort `s`.
  void fits(const Token& at, const Type& t, Sort s, const std::string& what) const {
    requireValue(t, at);
    if (t.kind == Type::Number && !m_.hasOrder(s))
      fail(at, fmt::format("a number for {}, which is a {}", what, sortText(s)), fmt::format("expected a {}", sortText(s)));
    if (t.kind == Type::None && !s.withNone)
      fail(at, fmt::format("none for {}, whose sort {} has no none", what, sortText(s)), fmt::format("expected {}? as its sort", sortText(s)));
    if (t.kind == Type::Value && !sameSort(t.sort, s))
      fail(at, fmt::format("a {} for {}, which is a {}", sortText(t.sort), what, sortText(s)), fmt::format("expected a {}", sortText(s)));
  }

  // ---- expressions, loosest first: quantifiers and =>, |, &, ~, comparisons and `in`, atoms.
  std::pair<Expr, Type> expr() {
    if (isWord("forall") || isWord("exists") || isWord("atleast")) return quantifier();
    const Token& at = peek();
    auto left = disjunction();
    if (!isPunct("=>")) return left;
    next();
    requireBool(left.second, at, "the premise of =>");
    const Token& rightAt = peek();
    auto right = expr();
    requireBool(right.second, rightAt, "the conclusion of =>");
    return {implies(std::move(left.first), std::move(right.first)), {}};
  }
  std::pair<Expr, Type> chain(const char* op, std::pair<Expr, Type> (Parser::*part)(), Kind kind) {
    const Token& at = peek();
    auto first = (this->*part)();
    if (!isPunct(op)) return first;
    requireBool(first.second, at, fmt::format("each side of {}", op));
    std::vector<Expr> kids{std::move(first.first)};
    while (isPunct(op)) {
      next();
      const Token& partAt = peek();
      // A quantifier extends as far right as it can: `a & forall x: s. b & c`.
      auto p = isWord("forall") || isWord("exists") || isWord("atleast") ? quantifier() : (this->*part)();
      requireBool(p.second, partAt, fmt::format("each side of {}", op));
      kids.push_back(std::move(p.first));
    }
    Expr e = kind == Kind::And ? conj(std::move(kids)) : disj(std::move(kids));
    return {std::move(e), {}};
  }
  std::pair<Expr, Type> disjunction() { return chain("|", &Parser::conjunction, Kind::Or); }
  std::pair<Expr, Type> conjunction() { return chain("&", &Parser::negation, Kind::And); }
  std::pair<Expr, Type> negation() {
    if (!isPunct("~")) return comparison();
    next();
    const Token& at = peek();
    auto inner = isWord("forall") || isWord("exists") || isWord("atleast") ? quantifier() : negation();
    requireBool(inner.second, at, "what ~ negates");
    return {neg(std::move(inner.first)), {}};
  }
  std::pair<Expr, Type> comparison() {
    const Token& at = peek();
    auto left = atom();
    if (isWord("in")) {
      next();
      const Token& qAt = peek();
      std::string q = name("a quorum variable or a subset");
      const Binding* b = lookup(q);
      if (int k = subsetOf(q); k >= 0 && !b) {
        fits(at, left.second, m_.subsets[k].sort, fmt::format("an element of subset {}", q));
        return {inSubset(k, std::move(left.first)), {}};
      }
      if (!b || b->kind != Binding::QuorumVar) fail(qAt, fmt::format("'{}' is not a quorum variable or a subset", q), "expected the Q of an enclosing `exists Q: system.`, or a subset's name");
      for (size_t i = scope_.size(); i-- > 0;)
        if (scope_[i].kind == Binding::QuorumVar) {
          if (scope_[i].name != q) fail(qAt, fmt::format("'{}' is not the innermost quorum", q), fmt::format("expected {}", scope_[i].name));
          break;
        }
      fits(at, left.second, Sort{Role::Process, false}, "a quorum member");
      return {inQuorum(std::move(left.first)), {}};
    }
    static const std::map<std::string, Op> ops = {{"<", Op::Lt}, {"<=", Op::Le}, {">", Op::Gt}, {">=", Op::Ge}, {"=", Op::Eq}, {"!=", Op::Ne}};
    if (peek().kind != Tok::Punct || !ops.count(peek().text)) return left;
    Op op = ops.at(next().text);
    const Token& rightAt = peek();
    auto right = atom();
    requireValue(left.second, at);
    requireValue(right.second, rightAt);
    const Type& l = left.second;
    const Type& r = right.second;
    auto ordered = [&](const Type& t) { return t.kind != Type::Value || m_.hasOrder(t.sort); };
    if (op != Op::Eq && op != Op::Ne && (!ordered(l) || !ordered(r)))
      fail(at, fmt::format("{} compares {} with {}, and only ordered sorts have an order", opText(op), typeText(l), typeText(r)), "expected = or != here");
    if (l.kind == Type::Value && r.kind == Type::Value && !sameSort(l.sort, r.sort))
      fail(at, fmt::format("compares {} with {}", typeText(l), typeText(r)), "expected two values of one sort");
    for (auto [x, y] : {std::pair{&l, &r}, std::pair{&r, &l}}) {
      if (x->kind == Type::Number && y->kind == Type::Value && !m_.hasOrder(y->sort))
        fail(at, fmt::format("compares a number with {}", typeText(*y)), "expected numbers only with ordered sorts");
      if (x->kind == Type::None && y->kind == Type::Value && !y->sort.withNone)
        fail(at, fmt::format("compares none with {}, which is never none", typeText(*y)), fmt::format("expected a sort with none ({}?)", sortText(y->sort)));
    }
    return {cmp(op, std::move(left.first), std::move(right.first)), {}};
  }

  std::pair<Expr, Type> quantifier() {
    const Token& kw = next();
    if (kw.text == "atleast") {
      const Token& sysAt = peek();
      int system = systemOf(sysAt, name("a quorum system: `atleast SYSTEM x: sort.` counts its size"));
      const Token& at = peek();
      std::string v = name("the counted variable");
      if (reserved(v)) fail(at, fmt::format("'{}' is a keyword", v), "expected a variable name");
      punct(":", "expected ':' and its sort");
      const Token& sortAt = peek();
      Sort s = sortRef();
      if (s.role != Role::Process || s.withNone) fail(sortAt, "atleast counts processes", "expected the process sort");
      punct(".", "expected '.' and the body");
      bindVar(at, v, s);
      int slot = scope_.back().slot;
      const Token& bodyAt = peek();
      auto body = expr();
      requireBool(body.second, bodyAt, "the body of atleast");
      scope_.pop_back();
      --nextSlot_;
      Expr e = atLeast(system, slot, s, std::move(body.first));
      e.name = v;
      return {std::move(e), {}};
    }
    bool isExists = kw.text == "exists";
    // Bindings first, then the body, then the quantifiers built inside out.
    std::vector<Binding> bound;
    do {
      const Token& at = peek();
      std::string v = name("a variable");
      if (reserved(v)) fail(at, fmt::format("'{}' is a keyword", v), "expected a variable name");
      punct(":", "expected ':' and its sort");
      const Token& sortAt = peek();
      std::string sortName = peek().kind == Tok::Name ? peek().text : "";
      bool quorumVar = false;
      for (auto& s : systems_) quorumVar = quorumVar || s == sortName;
      if (quorumVar) {
        next();
        if (!isExists) fail(sortAt, "a quorum can only be chosen by exists", "expected `exists Q: system.`");
        if (!bound.empty() || isPunct(",")) fail(sortAt, "a quorum binding shares its exists", "expected `exists Q: system.` on its own");
        Binding b;
        b.kind = Binding::QuorumVar;
        b.name = v;
        b.system = systemOf(sortAt, sortName);
        scope_.push_back(b);
        bound.push_back(b);
      } else {
        bindVar(at, v, sortRef());
        bound.push_back(scope_.back());
      }
    } while (isPunct(",") && (next(), true));
    punct(".", "expected '.' and the body");
    const Token& bodyAt = peek();
    auto body = expr();
    requireBool(body.second, bodyAt, fmt::format("the body of {}", kw.text));
    Expr e = std::move(body.first);
    for (size_t i = bound.size(); i-- > 0;) {
      scope_.pop_back();
      if (bound[i].kind == Binding::QuorumVar) {
        e = quorum(bound[i].system, std::move(e));
      } else {
        --nextSlot_;
        e = isExists ? exists(bound[i].slot, bound[i].sort, std::move(e)) : forall(bound[i].slot, bound[i].sort, std::move(e));
        e.name = bound[i].name;
      }
    }
    return {std::move(e), {}};
  }

  // f[i, j]: the indices of a state read or assigned.
  std::vector<Expr> indices(const Token& at, const Func& f) {
    punct("[", fmt::format("expected '[' and the {} index of {}", f.args.size() == 1 ? "one" : std::to_string(f.args.size()), f.name));
    std::vector<Expr> out;
    do {
      const Token& argAt = peek();
      auto [e, t] = expr();
      if (out.size() < f.args.size()) fits(argAt, t, f.args[out.size()], fmt::format("index {} of {}", out.size() + 1, f.name));
      out.push_back(std::move(e));
    } while (isPunct(",") && (next(), true));
    if (out.size() != f.args.size())
      fail(at, fmt::format("{} has {} indices, not {}", f.name, f.args.size(), out.size()), "expected one per sort it is declared over");
    punct("]", "expected ']'");
    return out;
  }

  // MSG(field: e, ...) or MSG(e, ...): all fields, named in the declared order or by position.
  std::pair<int, std::vector<Expr>> message() {
    const Token& at = peek();
    std::string n = name("a message type");
    int ref = relIndex(n);
    if (ref < 0) fail(at, fmt::format("unknown message type '{}'", n), "expected a type declared with `message`");
    const Relation& r = m_.rels[ref];
    punct("(", fmt::format("expected '(' and the fields of {}", n));
    std::vector<Expr> out;
    bool named = peek().kind == Tok::Name && isPunct(":", 1);
    do {
      const Token& fieldAt = peek();
      if (out.size() >= r.fields.size()) fail(fieldAt, fmt::format("{} has {} fields", n, r.fields.size()), "expected ')'");
      if (named) {
        std::string f = name(fmt::format("field {}", r.fields[out.size()]));
        if (f != r.fields[out.size()])
          fail(fieldAt, fmt::format("field '{}' where {} has {}", f, n, r.fields[out.size()]), fmt::format("expected the fields in order: {}", fieldList(r)));
        punct(":", "expected ':' and the field's value");
      }
      const Token& valueAt = peek();
      auto [e, t] = expr();
      fits(valueAt, t, r.sorts[out.size()], fmt::format("field {} of {}", r.fields[out.size()], n));
      out.push_back(std::move(e));
    } while (isPunct(",") && (next(), true));
    if (out.size() != r.fields.size())
      fail(peek(), fmt::format("{} has {} fields, not {}", n, r.fields.size(), out.size()), fmt::format("expected {}", fieldList(r)));
    punct(")", "expected ')'");
    return {ref, std::move(out)};
  }
  static std::string fieldList(const Relation& r) {
    std::string s;
    for (auto& f : r.fields) s += (s.empty() ? "" : ", ") + f;
    return s;
  }

  std::pair<Expr, Type> atom() {
    const Token& at = peek();
    if (at.kind == Tok::Number) {
      next();
      if (at.text.size() > 6) fail(at, fmt::format("number {} is too large", at.text), "expected a ballot number");
      int v = std::stoi(at.text);
      Type t;
      t.kind = Type::Number;
      return {constant(v), t};
    }
    if (isPunct("(")) {
      next();
      // (label: e) names a place inside a guard or update.
      if (peek().kind == Tok::Name && isPunct(":", 1) && !lookup(peek().text)) {
        const Token& labelAt = peek();
        if (prefix_.empty()) fail(labelAt, "a label outside an action", "expected labels only in `when` and `do`");
        std::string label = siteLabel();
        auto inner = expr();
        punct(")", "expected ')'");
        inner.first.site = prefix_ + label;
        (void)labelAt;
        return inner;
      }
      auto inner = expr();
      punct(")", "expected ')'");
      return inner;
    }
    if (at.kind != Tok::Name) fail(at, fmt::format("unexpected {}", show(at)), "expected a variable, a state, a number, none, sent, or '('");
    if (isWord("none")) {
      next();
      Type t;
      t.kind = Type::None;
      return {constant(kNone), t};
    }
    if (isWord("if")) return conditional();
    if (isWord("true") || isWord("false")) return {constant(next().text == "true" ? 1 : 0), {}};
    if (isWord("sent")) {
      next();
      auto [ref, fields] = message();
      Expr e;
      e.kind = Kind::Sent;
      e.ref = ref;
      e.kids = std::move(fields);
      return {std::move(e), {}};
    }
    if (reserved(at.text)) fail(at, fmt::format("unexpected '{}'", at.text), "expected a value or a condition first");
    std::string n = next().text;
    if (const Binding* b = lookup(n)) {
      if (b->kind == Binding::QuorumVar) fail(at, fmt::format("quorum '{}' used as a value", n), fmt::format("expected `x in {}`", n));
      if (b->kind == Binding::Subst) return {b->subst, b->substType};
      Type t;
      t.kind = Type::Value;
      t.sort = b->sort;
      return {var(b->slot), t};
    }
    if (int f = funcIndex(n); f >= 0) {
      Expr e;
      e.kind = Kind::Read;
      e.ref = f;
      e.kids = indices(at, m_.funcs[f]);
      Type t;
      t.kind = Type::Value;
      t.sort = m_.funcs[f].result;
      return {std::move(e), t};
    }
    if (auto d = defines_.find(n); d != defines_.end()) return call(at, n, d->second);
    if (auto c = constants_.find(n); c != constants_.end()) {
      Expr e = constant(c->second.second);
      e.sort = c->second.first;  // printed by name
      Type t;
      t.kind = Type::Value;
      t.sort = c->second.first;
      return {std::move(e), t};
    }
    if (relIndex(n) >= 0) fail(at, fmt::format("message type '{}' used as a value", n), fmt::format("expected `sent {}(...)`", n));
    fail(at, fmt::format("unknown name '{}'", n), "expected a variable bound by a parameter, forall, exists or atleast; a state; a definition; or an element of an enum sort");
  }

  // `if C then A else B`: A where C holds, else B; a value (of the branches' sort), not a condition.
  std::pair<Expr, Type> conditional() {
    next();
    const Token& condAt = peek();
    auto cond = expr();
    requireBool(cond.second, condAt, "the condition of `if`");
    keyword("then", "expected `then` and the value where the condition holds");
    const Token& thenAt = peek();
    auto a = expr();
    requireValue(a.second, thenAt);
    keyword("else", "expected `else` and the value where it does not (`if C then A else B`)");
    const Token& elseAt = peek();
    auto b = expr();
    requireValue(b.second, elseAt);
    Type t = a.second;
    const Type& o = b.second;
    if (t.kind == Type::Value && o.kind == Type::Value) {
      if (!sameSort(t.sort, o.sort))
        fail(elseAt, fmt::format("`if` gives {} in one branch and {} in the other", typeText(t), typeText(o)), "expected two values of one sort");
      t.sort.withNone = t.sort.withNone || o.sort.withNone;
    } else if (o.kind == Type::Value) {
      Type v = o;
      if (t.kind == Type::None) v.sort.withNone = true;
      if (t.kind == Type::Number && !m_.hasOrder(v.sort))
        fail(thenAt, fmt::format("`if` gives a number in one branch and {} in the other", typeText(v)), "expected numbers only with ordered sorts");
      t = v;
    } else if (t.kind == Type::Value) {
      if (o.kind == Type::None) t.sort.withNone = true;
      if (o.kind == Type::Number && !m_.hasOrder(t.sort))
        fail(elseAt, fmt::format("`if` gives {} in one branch and a number in the other", typeText(t)), "expected numbers only with ordered sorts");
    } else if (t.kind != o.kind) {
      t.kind = Type::None;  // a number or none: checked where it is used, as none
    }
    return {ite(std::move(cond.first), std::move(a.first), std::move(b.first)), t};
  }

  // A definition's body again, with its parameters standing for the arguments.
  std::pair<Expr, Type> call(const Token& at, const std::string& n, const Define& d) {
    if (++expansions_ > kMaxExpansions) fail(at, fmt::format("definitions expand more than {} times", kMaxExpansions), "expected fewer nested uses");
    punct("(", fmt::format("expected '(' and the {} arguments of {}", d.params.size(), n));
    std::vector<Binding> args;
    if (!isPunct(")"))
      do {
        const Token& argAt = peek();
        auto [e, t] = expr();
        if (args.size() < d.params.size()) fits(argAt, t, d.params[args.size()].second, fmt::format("parameter {} of {}", d.params[args.size()].first, n));
        Binding b;
        b.kind = Binding::Subst;
        b.name = args.size() < d.params.size() ? d.params[args.size()].first : "";
        b.subst = std::move(e);
        b.substType = t;
        args.push_back(std::move(b));
      } while (isPunct(",") && (next(), true));
    if (args.size() != d.params.size()) fail(at, fmt::format("{} takes {} arguments, not {}", n, d.params.size(), args.size()), "expected one per parameter");
    punct(")", "expected ')'");
    size_t resume = pos_;
    std::vector<Binding> saved = std::move(scope_);
    scope_ = std::move(args);
    std::string savedPrefix = std::move(prefix_);
    prefix_.clear();  // labels belong to actions, not to definitions
    pos_ = d.body;
    auto out = expr();
    pos_ = resume;
    prefix_ = std::move(savedPrefix);
    scope_ = std::move(saved);
    return out;
  }

  std::string where_;
  std::vector<Token> toks_;
  size_t pos_ = 0;
  Model m_;
  std::map<std::string, Sort> sorts_;
  std::map<std::string, std::pair<Sort, int>> constants_;  // enum elements: their sort and number
  bool faultsAllowed_ = false;   // in a quorum system's size, `f` is the faults tolerated
  bool systemsAllowed_ = false;  // in `expect safe`, a quorum system stands for its size
  std::vector<std::string> systems_;
  std::map<std::string, Define> defines_;
  std::map<std::string, Token> actionAt_;
  std::set<std::string> names_, sites_;
  std::vector<Binding> scope_;
  int nextSlot_ = 0;
  int expansions_ = 0;
  std::string prefix_;  // "Action." inside an action: labels become sites
};
}  // namespace

Model parseProtocol(const std::string& text, const std::string& where) { return Parser(text, where).run(); }

}  // namespace mw
