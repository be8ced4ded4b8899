#include "solver/memory.hpp"

#include <unistd.h>
#include <z3++.h>

#include "encoder/encode.hpp"

#include <chrono>
#include <cstdio>
#include <mutex>
#include <thread>

namespace mw {

namespace {
std::atomic<size_t> limitBytes{0};
std::atomic<bool> reached{false};
std::atomic<std::atomic<bool>*> stopFlag{nullptr};  // the run's stop flag, set with the limit
std::mutex reserving;
size_t reservedBytes = 0;  // contexts being made right now (under `reserving`)
}  // namespace

size_t residentBytes() {
  // statm: size resident shared text lib data dt, in pages.
  FILE* f = std::fopen("/proc/self/statm", "r");
  if (!f) return 0;
  unsigned long size = 0, resident = 0;
  int got = std::fscanf(f, "%lu %lu", &size, &resident);
  std::fclose(f);
  return got == 2 ? resident * static_cast<size_t>(sysconf(_SC_PAGESIZE)) : 0;
}

namespace {
// Before Z3 makes a context: room for it, or the limit is reached (encoder/encode.hpp).
void reserveContext() {
  std::lock_guard<std::mutex> g(reserving);
  if (reached.load() || residentBytes() + reservedBytes + kZ3ContextBytes > limitBytes.load()) {
    noteMemoryLimitReached();
    throw z3::exception("out of memory (no room left under the memory limit for a Z3 context)");
  }
  reservedBytes += kZ3ContextBytes;
}
// After: made or not, what it took is resident now.
void releaseContext() {
  std::lock_guard<std::mutex> g(reserving);
  reservedBytes -= kZ3ContextBytes;
}
}  // namespace

void limitMemory(double mb, std::atomic<bool>* stop) {
  if (mb <= 0) return;
  limitBytes = static_cast<size_t>(mb * 1048576.0);
  stopFlag = stop;
  gateZ3Contexts(reserveContext, releaseContext);
  z3::set_param("memory_max_size", static_cast<int>(mb));
  static std::atomic<bool> watching{false};  // one watcher, however often the CLI runs in one process
  if (watching.exchange(true)) return;
  // Detached: it lives as long as the process and touches only atomics.
  std::thread([stop] {
    for (;;) {
      if (residentBytes() > limitBytes.load()) {
        reached = true;
        if (stop) stop->store(true);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(reached ? 50 : 2));
    }
  }).detach();
}

size_t memoryLimitBytes() { return limitBytes.load(); }
bool memoryLimitReached() { return reached.load(); }
void noteMemoryLimitReached() {
  reached = true;
  if (auto* stop = stopFlag.load()) stop->store(true);
}

bool isZ3OutOfMemory(const std::exception& e) { return std::string(e.what()).find("memory") != std::string::npos; }

}  // namespace mw
