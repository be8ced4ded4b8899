#include "solver/bmc.hpp"
#include "solver/memory.hpp"

#include <fmt/format.h>

#include <chrono>
#include <thread>

namespace mw {

StopWatcher::StopWatcher(const std::atomic<bool>* stop, z3::context& ctx) {
  if (!stop) return;
  thread_ = std::thread([this, stop, &ctx] {
    // Z3 forgets an interrupt that arrives between two checks (each check starts afresh), so
    // keep interrupting until the run is over.
    do {
      if (stop->load()) ctx.interrupt();
    } while (!done_.sleep(20));
  });
}

StopWatcher::~StopWatcher() {
  done_.wake();
  if (thread_.joinable()) thread_.join();
}

std::string unknownReason(const z3::solver& solver, const std::atomic<bool>* stop) {
  if (stop && stop->load()) return "interrupted";
  std::string why = solver.reason_unknown();
  return why == "timeout" || why == "canceled" ? "time limit" : why;
}

std::string limitReason(const z3::exception& e) {
  return isZ3OutOfMemory(e) ? "memory limit" : e.msg();
}

const char* verdictName(Verdict v) {
  switch (v) {
    case Verdict::Holds: return "holds";
    case Verdict::Violated: return "violated";
    case Verdict::Unknown: return "unknown";
  }
  return "?";
}

Bmc::Bmc(const Model& m, const Instance& in, const Expr& invariant, z3::context& ctx)
    : enc_(m, in, ctx), invariant_(invariant), ctx_(ctx) {}

BmcResult Bmc::checkUntil(const BmcOptions& opts) {
  using clock = std::chrono::steady_clock;
  auto start = clock::now();
  auto elapsed = [&] { return std::chrono::duration<double>(clock::now() - start).count(); };
  BmcResult res;
  z3::solver solver = makeSolver(ctx_, opts.logic.c_str());
  StopWatcher watcher(opts.stop, ctx_);
  states_ = {enc_.init()};
  steps_.clear();

  // The test reads this call's locals: it is cleared on every way out.
  enc_.setGiveUp([&] { return (opts.timeoutSeconds > 0 && elapsed() > opts.timeoutSeconds) || (opts.stop && opts.stop->load()); });
  struct Clear {
    Encoder& enc;
    ~Clear() { enc.setGiveUp(nullptr); }
  } clear{enc_};
  for (int depth = 0; depth <= opts.maxDepth; ++depth) {
    if (depth > 0) {
      try {
        steps_.push_back(enc_.step(states_.back(), depth - 1));
      } catch (const EncodingStopped&) {
        res.reason = opts.stop && opts.stop->load() ? "interrupted" : "time limit";
        res.seconds = elapsed();
        return res;
      }
      for (auto& c : steps_.back().constraints) solver.add(c);
      states_.push_back(steps_.back().next);
    }
    Sym good = enc_.holds(states_.back(), invariant_);
    z3::check_result r = z3::unsat;  // an invariant known to hold here needs no solver call
    if (!good.known() || !good.c) {
      if (opts.timeoutSeconds > 0) {
        double left = opts.timeoutSeconds - elapsed();
        if (left <= 0) {
          res.reason = "time limit";
          res.seconds = elapsed();
          return res;
        }
        z3::params p(ctx_);
        p.set("timeout", static_cast<unsigned>(left * 1000) + 1);
        solver.set(p);
      }
      z3::expr lit = ctx_.bool_const(fmt::format("bad{}", depth).c_str());
      solver.add(z3::implies(lit, good.known() ? ctx_.bool_val(true) : !*good.e));
      z3::expr_vector assumptions(ctx_);
      assumptions.push_back(lit);
      try {
        r = solver.check(assumptions);
      } catch (const z3::exception& e) {
        res.reason = limitReason(e);
        res.seconds = elapsed();
        return res;
      }
      if (r == z3::unsat) solver.add(!lit);
    }
    if (r == z3::sat) {
      model_ = solver.get_model();
      res.verdict = Verdict::Violated;
      res.length = depth;
      res.seconds = elapsed();
      return res;
    }
    if (r == z3::unknown) {
      res.reason = unknownReason(solver, opts.stop);
      res.seconds = elapsed();
      return res;
    }
    res.depthChecked = depth;
    if (opts.stop && opts.stop->load()) {
      res.reason = "interrupted";
      res.seconds = elapsed();
      return res;
    }
    if (opts.onDepth) opts.onDepth(depth, elapsed());
  }
  res.verdict = Verdict::Holds;
  res.seconds = elapsed();
  return res;
}

}  // namespace mw
