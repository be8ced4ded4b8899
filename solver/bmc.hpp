// Incremental bounded model checking.
//
// One solver lives for the whole run. Depth d adds the transition of step d-1 for good, then
// asks "is the invariant false in state d?" under a fresh assumption literal, so what Z3
// learned at depth d-1 is kept at depth d; an unsatisfiable depth's literal is then asserted
// false. Since a step fires exactly one action, the first satisfiable depth is the length of
// the shortest violating run.
#pragma once

#include <z3++.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "encoder/encode.hpp"

namespace mw {

enum class Verdict { Holds, Violated, Unknown };
const char* verdictName(Verdict v);

// A sleep that ends early once woken. Threads that poll a flag sleep on one between polls, and
// whoever ends their work wakes it, so joining them costs no poll interval (20 ms each, which
// added up over the many small checks of `mutants` and `sweep`).
class Wakeup {
 public:
  // Sleeps for up to ms milliseconds; returns at once if woken (now or before). True if woken.
  bool sleep(int ms) {
    std::unique_lock<std::mutex> lock(mutex_);
    return wake_.wait_for(lock, std::chrono::milliseconds(ms), [this] { return woken_; });
  }
  void wake() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      woken_ = true;
    }
    wake_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable wake_;
  bool woken_ = false;
};

// Ctrl-C and SIGTERM only set a flag; while this lives, a thread turns it into a Z3 interrupt.
class StopWatcher {
 public:
  StopWatcher(const std::atomic<bool>* stop, z3::context& ctx);
  ~StopWatcher();
  StopWatcher(const StopWatcher&) = delete;
  StopWatcher& operator=(const StopWatcher&) = delete;

 private:
  Wakeup done_;  // the destructor wakes the thread at once
  std::thread thread_;
};

// Why a Z3 check said unknown, in the words verdicts use: "interrupted", "time limit", or Z3's.
std::string unknownReason(const z3::solver& solver, const std::atomic<bool>* stop);
// Z3 throws when its memory limit (--memory) is hit: that is a limit, not a bug.
std::string limitReason(const z3::exception& e);

struct BmcOptions {
  int maxDepth = 10;
  double timeoutSeconds = 0;  // 0: none
  std::string logic = "QF_FD";
  std::function<void(int depth, double seconds)> onDepth;  // called after each depth proven safe
  const std::atomic<bool>* stop = nullptr;                 // polled; interrupts Z3 when set
};

struct BmcResult {
  Verdict verdict = Verdict::Unknown;
  int depthChecked = -1;  // every run of at most this many actions was checked
  int length = -1;        // violated: the number of actions of the counterexample
  std::string reason;     // unknown: why
  double seconds = 0;
};

class Bmc {
 public:
  Bmc(const Model& m, const Instance& in, const Expr& invariant, z3::context& ctx);
  BmcResult checkUntil(const BmcOptions& opts);
  // After a violation: the unrolled states and steps and the satisfying model.
  const std::vector<SymState>& states() const { return states_; }
  const std::vector<SymStep>& steps() const { return steps_; }
  const z3::model& model() const { return *model_; }
  const Encoder& encoder() const { return enc_; }

 private:
  Encoder enc_;
  const Expr& invariant_;
  z3::context& ctx_;
  std::vector<SymState> states_;
  std::vector<SymStep> steps_;
  std::optional<z3::model> model_;
};

}  // namespace mw
