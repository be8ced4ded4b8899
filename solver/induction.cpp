#include "solver/induction.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>

#include "encoder/encode.hpp"
#include "model/footprint.hpp"
#include "solver/explicit.hpp"

namespace mw {


namespace {

// A counterexample to induction found by one worker, already replayed on the interpreter.
struct Cti {
  Ground action;
  State before, after;
  std::vector<int> quorum;
  std::string conjunct;
};

// The ground actions asked in the step query. Where the model and Inv are symmetric in
// processes (values), a CTI of one ground action renames into a CTI of any other that a
// permutation maps it to, so one per orbit is enough: the ones whose process (value)
// parameters, read left to right, name each new process by the next unused number (0, then 0
// or 1, ...). Two parameters of one sort may name two processes: Accept(f, l) needs f=0, l=1.
std::vector<size_t> representatives(const Model& m, const Instance& in, const Expr& property) {
  Expr all = conj({});
  for (auto& c : m.inductive) all.kids.push_back(c.holds);
  all.kids.push_back(property);
  Symmetry sym = symmetryOf(m, all);
  bool accSym = sym.processes && !in.anyListed();
  std::vector<size_t> out;
  auto grounds = groundActions(m, in);
  for (size_t k = 0; k < grounds.size(); ++k) {
    const Ground& g = grounds[k];
    bool first = true;
    int nextProcess = 0, nextValue = 0;  // the next unused number of each symmetric sort
    for (size_t p = 0; p < g.params.size() && first; ++p) {
      Role role = m.actions[g.action].params[p].sort.role;
      int* next = role == Role::Process && accSym ? &nextProcess : role == Role::Symmetric && sym.values ? &nextValue : nullptr;
      if (!next || g.params[p] == kNone) continue;  // not a symmetric sort, or none
      if (g.params[p] > *next) first = false;
      else if (g.params[p] == *next) ++*next;
    }
    if (first) out.push_back(k);
  }
  return out;
}

// Inv's ground instances, and for each state cell and message cell the instances that read it:
// after an action only those that read a cell it writes can change, and only they are built
// again (building every instance after every action took most of the time on Raft's 40
// conjuncts).
struct Instances {
  std::vector<Encoder::Leaf> leaves;
  std::vector<std::vector<int>> readersF, readersR;
  bool complete = true;  // false: given up at a stop or the time limit
  Instances(const Model& m, const Instance& in, const std::function<bool()>& giveUp) {
    Layout layout(m, in);
    readersF.resize(layout.funcCells);
    readersR.resize(layout.relCells);
    CellReader reader(m, in);
    std::vector<int> fc, rc;
    for (auto& c : m.inductive)
      for (auto& leaf : Encoder::leaves(c.holds, in)) {
        if (leaves.size() % 1024 == 0 && giveUp()) {
          complete = false;
          return;
        }
        int id = static_cast<int>(leaves.size());
        leaves.push_back(leaf);
        reader.read(*leaf.e, leaf.vars, leaf.bound, fc, rc);
        for (int x : fc) readersF[x].push_back(id);
        for (int x : rc) readersR[x].push_back(id);
      }
  }
};

// Above this many instances to build for an action, the step query first asks whether Inv
// enables the action at all (see proveByInduction).
constexpr size_t kEnabledFirst = 1000;

z3::solver inductionSolver(z3::context& ctx, double secondsLeft) {
  // Z3's default (incremental SMT) solver, not QF_FD: on these queries, where Inv is asserted
  // once and each action is asked under push/pop, it was 3-5x faster (n=9, B=10).
  z3::solver s = makeSolver(ctx, nullptr);
  if (secondsLeft > 0) {
    z3::params p(ctx);
    p.set("timeout", static_cast<unsigned>(std::max(1.0, secondsLeft * 1000)));
    s.set(p);
  }
  return s;
}

// One Z3 context (one per thread) with a state of fresh variables for "before", their ranges
// asserted, and Ctrl-C wired to it.
struct Session {
  Z3Context context;
  z3::context& ctx = context();
  Encoder enc;
  std::optional<StopWatcher> watch;
  z3::solver solver;
  SymState s;
  Session(const Model& m, const Instance& in, const std::atomic<bool>* stop, double secondsLeft)
      : enc(m, in, ctx), solver(inductionSolver(ctx, secondsLeft)) {
    if (stop) watch.emplace(stop, ctx);
    std::vector<z3::expr> ranges;
    s = enc.freshState("pre", ranges);
    for (auto& r : ranges) solver.add(r);
  }
};

}  // namespace

InductionResult proveByInduction(const Model& m, const Instance& in, const Expr& property, double timeoutSeconds,
                                 const std::atomic<bool>* stop, int threads, const std::vector<int>* onlyActions) {
  auto start = std::chrono::steady_clock::now();
  auto elapsed = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(); };
  auto left = [&] { return timeoutSeconds > 0 ? std::max(0.001, timeoutSeconds - elapsed()) : 0.0; };
  InductionResult res;
  auto done = [&](Verdict v) {
    res.verdict = v;
    res.seconds = elapsed();
    return res;
  };
  if (m.inductive.empty()) {
    res.reason = "the model carries no inductive invariant";
    return done(Verdict::Unknown);
  }
  Interp interp(m, in);

  // Init => Inv, on the concrete initial state.
  State init = interp.init();
  for (auto& c : m.inductive)
    if (!interp.holds(init, c.holds)) {
      res.failedStep = "init";
      res.conjunct = c.name;
      res.before = init;
      return done(Verdict::Violated);
    }

  // Inv /\ Next => Inv', one action at a time. Each worker has its own Z3 context and one
  // solver that keeps Inv (and what it has learnt about it) across its queries; workers take
  // the next action from a shared counter. Inv is split into ground instances; after an
  // action, only the instances that read a cell it writes can change (the others are the same
  // Z3 term before and after), so each query asks whether one of those breaks. The CTI shown
  // is the one of the first action in ground order that has one, whatever the thread timing.
  std::vector<size_t> todo = representatives(m, in, property);
  if (onlyActions) {
    auto grounds = groundActions(m, in);
    std::erase_if(todo, [&](size_t k) {
      return std::find(onlyActions->begin(), onlyActions->end(), grounds[k].action) == onlyActions->end();
    });
  }
  // The time limit and a stop, looked at between ground actions (Z3 watches them inside a query).
  auto pastLimit = [&] { return timeoutSeconds > 0 && elapsed() > timeoutSeconds; };
  auto outOfTime = [&] { return pastLimit() || (stop && stop->load()); };
  const Instances inv(m, in, outOfTime);
  if (!inv.complete) {
    res.reason = stop && stop->load() ? "interrupted" : "time limit";
    return done(Verdict::Unknown);
  }
  // What each action to ask writes, worked out once (one Layout, not one per action and worker).
  std::vector<Footprint> writes;
  {
    auto all = groundActions(m, in);
    std::vector<Ground> asked;
    for (size_t k : todo) asked.push_back(all[k]);
    writes = footprints(m, in, asked);
  }
  if (threads <= 0) threads = static_cast<int>(std::clamp(std::thread::hardware_concurrency(), 1u, 4u));
  threads = std::min<int>(threads, static_cast<int>(todo.size()));
  std::atomic<size_t> next{0};
  std::atomic<size_t> firstCti{todo.size()};  // position in todo of the first CTI so far
  std::mutex lock;
  std::optional<Cti> cti;
  std::string unknown;
  std::exception_ptr error;
  // Ctrl-C or the memory limit: the worker gives up and says why (no new Z3 work starts).
  auto stopped = [&] {
    if (!stop || !stop->load()) return false;
    std::lock_guard<std::mutex> g(lock);
    if (unknown.empty()) unknown = "interrupted";
    return true;
  };
  auto worker = [&] {
    try {
      if (stopped()) return;  // a stop (or the memory limit) before this worker began
      Session session(m, in, stop, left());
      z3::context& ctx = session.ctx;
      Encoder& enc = session.enc;
      z3::solver& solver = session.solver;
      const SymState& s = session.s;
      std::vector<Sym> pre;
      for (auto& leaf : inv.leaves) pre.push_back(enc.instance(s, leaf));
      for (auto& i : pre) solver.add(enc.boolOf(i));
      std::vector<size_t> mark(pre.size(), 0);  // mark[i] == at + 1: instance i is built again for this action
      for (size_t at; (at = next++) < firstCti.load();) {
        if (stopped()) return;
        if (pastLimit()) {
          std::lock_guard<std::mutex> g(lock);
          if (unknown.empty()) unknown = "time limit";
          return;
        }
        size_t k = todo[at];
        SymStep st;
        GroundEffect eff = enc.effect(s, static_cast<int>(k), st, 0);
        if (eff.guard.known() && !eff.guard.c) continue;
        // The instances the action may change: those that read a cell it writes.
        const Footprint& fp = writes[at];
        std::vector<int> dirty;
        auto collect = [&](const std::vector<int>& readers) {
          for (int i : readers)
            if (mark[i] != at + 1) mark[i] = at + 1, dirty.push_back(i);
        };
        forEachBit(fp.writeF, [&](int cell) { collect(inv.readersF[cell]); });
        forEachBit(fp.writeR, [&](int cell) { collect(inv.readersR[cell]); });
        // An action that Inv never enables breaks nothing. Where building those instances costs
        // more than a query, ask that first: on Raft most ground Accepts read an append that Inv
        // says was never sent (one whose prevIdx is not the index before, say). Raft at T=3 L=2
        // went from 386 s (unloaded) to 79 s (under load); Paxos, whose actions Inv mostly
        // enables, would lose by it.
        if (!eff.guard.known() && dirty.size() > kEnabledFirst) {
          solver.push();
          solver.add(enc.boolOf(eff.guard));
          z3::check_result enabled = solver.check();
          solver.pop();
          if (stopped()) return;
          if (enabled == z3::unsat) continue;
        }
        z3::expr_vector broken(ctx);
        for (int i : dirty) {
          Sym post = enc.instance(eff.next, inv.leaves[i]);
          if (!sameSym(pre[i], post)) broken.push_back(!enc.boolOf(post));
        }
        if (broken.empty()) continue;  // the action writes nothing Inv reads
        solver.push();
        solver.add(enc.boolOf(eff.guard));
        solver.add(z3::mk_or(broken));
        z3::check_result r = solver.check();
        // A stop (Ctrl-C, the memory limit) can interrupt Z3 while it takes in an assertion, and
        // a later check may then answer for less than was asserted: after a stop no answer counts.
        if (stopped()) return;
        if (r == z3::unknown) {
          std::lock_guard<std::mutex> g(lock);
          if (unknown.empty()) unknown = unknownReason(solver, stop);
          return;
        }
        if (r == z3::unsat) {
          solver.pop();
          continue;
        }
        z3::model model = solver.get_model();
        Cti found;
        const Ground& g = enc.grounds()[k];
        found.action = g;
        found.before = enc.stateOf(model, s);
        found.after = enc.stateOf(model, eff.next);
        // Replay the CTI on the interpreter: Inv before, the action enabled, and its successor.
        for (auto& c : m.inductive)
          if (!interp.holds(found.before, c.holds))
            throw std::logic_error("induction: the CTI's pre-state breaks " + c.name + " on the interpreter");
        std::vector<uint32_t> q;
        if (!interp.enabled(found.before, g, q))
          throw std::logic_error("induction: the CTI's action is not enabled on the interpreter");
        for (auto mask : q)
          if (mask != kFree)
            for (int a = 0; a < in.n; ++a)
              if ((mask >> a) & 1u) found.quorum.push_back(a);
        if (interp.apply(found.before, g) != found.after)
          throw std::logic_error("induction: the CTI's successor differs on the interpreter");
        for (auto& c : m.inductive)
          if (!interp.holds(found.after, c.holds)) {
            found.conjunct = c.name;
            break;
          }
        if (found.conjunct.empty()) throw std::logic_error("induction: the CTI's post-state keeps every conjunct");
        std::lock_guard<std::mutex> g2(lock);
        if (at < firstCti.load()) {
          firstCti = at;
          cti = std::move(found);
        }
        return;
      }
    } catch (const z3::exception& e) {
      std::lock_guard<std::mutex> g(lock);
      if (unknown.empty()) unknown = stop && stop->load() ? "interrupted" : limitReason(e);
    } catch (...) {
      std::lock_guard<std::mutex> g(lock);
      if (!error) error = std::current_exception();
    }
  };
  {
    std::vector<std::thread> pool;
    for (int t = 1; t < threads; ++t) pool.emplace_back(worker);
    worker();
    for (auto& t : pool) t.join();
  }
  if (error) std::rethrow_exception(error);
  if (cti) {
    res.action = std::move(cti->action);
    res.quorum = std::move(cti->quorum);
    res.conjunct = std::move(cti->conjunct);
    res.failedStep = "step";
    res.before = std::move(cti->before);
    res.after = std::move(cti->after);
    return done(Verdict::Violated);
  }
  if (!unknown.empty()) {
    res.reason = unknown;
    return done(Verdict::Unknown);
  }

  // Inv => Property (the other model's proof has it, with onlyActions).
  if (!onlyActions) {
    Session session(m, in, stop, left());
    Encoder& enc = session.enc;
    z3::solver& solver = session.solver;
    const SymState& s = session.s;
    for (auto& c : m.inductive) solver.add(enc.boolOf(enc.holds(s, c.holds)));
    solver.add(!enc.boolOf(enc.holds(s, property)));
    z3::check_result r = solver.check();
    if (r == z3::unknown || (stop && stop->load())) {  // after a stop no answer counts (see above)
      res.reason = stop && stop->load() ? "interrupted" : unknownReason(solver, stop);
      return done(Verdict::Unknown);
    }
    if (r == z3::sat) {
      res.failedStep = "implies";
      res.before = enc.stateOf(solver.get_model(), s);
      return done(Verdict::Violated);
    }
  }
  return done(Verdict::Holds);
}

}  // namespace mw
