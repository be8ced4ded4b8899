// The madewrong executable.
#include <cstdio>
#include <cstdlib>

#include "cli/common.hpp"
#include "queries/check.hpp"

int main(int argc, char** argv) {
  // Z3 contexts are deleted on a background thread (queries/check.hpp): an answer is printed as
  // soon as it is known, not after Z3 has freed a large context.
  mw::deleteZ3ContextsLater();
  int rc = mw::cli::madewrongMain(argc, argv);
  if (mw::z3ContextsDeleted()) return rc;
  // A deletion is still under way: end now; the memory goes back with the process.
  std::fflush(nullptr);
  std::_Exit(rc);
}
