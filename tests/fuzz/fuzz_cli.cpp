// Fuzz target: the command line. The input is split into arguments at NUL and newline bytes
// and handed to madewrong's main function with the stop flag already raised, so every command
// parses and validates its options, starts, and stops at once (a run would take too long per
// input). Whatever the arguments: no crash, no sanitizer report, and an exit code madewrong
// documents. Arguments with '/' are skipped so that output options only write into the current
// directory, which the fuzz test makes a scratch one.
#include <CLI/CLI.hpp>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include <z3.h>

#include "cli/common.hpp"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  std::freopen("/dev/null", "w", stdout);
  std::freopen("/dev/null", "w", stderr);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::vector<std::string> args{"madewrong"};
  std::string cur;
  for (size_t i = 0; i < size; ++i) {
    char c = static_cast<char>(data[i]);
    if (c == '\0' || c == '\n') {
      args.push_back(cur);
      cur.clear();
    } else {
      cur.push_back(c);
    }
  }
  args.push_back(cur);
  if (args.size() > 24) return 0;
  for (auto& a : args)
    if (a.find('/') != std::string::npos || a.size() > 64) return 0;
  std::vector<const char*> argv;
  for (auto& a : args) argv.push_back(a.c_str());
  mw::cli::stopRequested.store(true);
  int rc = mw::cli::madewrongMain(static_cast<int>(argv.size()), argv.data());
  Z3_global_param_reset_all();  // --memory sets a process-wide Z3 limit; each input starts clean
  if (rc != 0 && rc != 1 && rc != 2 && rc != 3 && rc != 12) __builtin_trap();
  if (rc == 1) __builtin_trap();  // an internal error is a bug, whatever the input
  return 0;
}
