// The process's memory limit (--memory MB). What counts is resident memory, read from
// /proc/self/statm, because that is what the machine runs out of: the explicit engine's states,
// every Z3 context on every thread, and the program itself.
//
// One watcher thread reads it every few milliseconds. Past the limit it sets the run's stop
// flag, so every engine winds down the way Ctrl-C makes it (Z3 through its interrupt), and the
// answer is "unknown: memory limit" with what was fully checked. Z3 also gets the limit as its
// own memory_max_size, a backstop for a burst between two readings; its "out of memory" is then
// a limit too, never a crash. The explicit engine does not wait for the watcher: it stops before
// a growth of its tables would pass the limit (a doubling is too big a step to catch after).
// Nor does a new Z3 context: each takes about 16 MB at once, and several threads making one
// at the same moment (two mutants, each with its induction workers) passed a 50 MB limit by
// 50 MB before the watcher's stop could reach them. A context is made only if the memory in
// use, plus the contexts being made right now, plus this one, stays within the limit.
#pragma once

#include <atomic>
#include <cstddef>
#include <string>

namespace mw {

// Once, before any engine thread starts; mb = 0: no limit. The watcher sets *stop past it.
void limitMemory(double mb, std::atomic<bool>* stop);
size_t memoryLimitBytes();  // 0: no limit
bool memoryLimitReached();  // the watcher (or an engine, or Z3) found the limit passed
void noteMemoryLimitReached();
size_t residentBytes();     // now, of the whole process

// An exception from Z3 that says it ran out of its memory limit.
bool isZ3OutOfMemory(const std::exception& e);

// What one Z3 context costs when it is made, measured with Debian's Z3 4.8.12: 16.4 MB resident
// for each context after the first (19 MB for the first).
constexpr size_t kZ3ContextBytes = 17u << 20;

}  // namespace mw
