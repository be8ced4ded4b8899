// The madewrong executable.
#include <cstdio>
#include <cstdlib>

#include "cli/common.hpp"
#include "encoder/encode.hpp"

int main(int argc, char** argv) {
  // Z3 contexts are deleted on a background thread (encoder/encode.hpp): an answer is printed as
  // soon as it is known, not after Z3 has freed a large context.
  mw::deleteZ3ContextsInBackground();
  int rc = mw::cli::madewrongMain(argc, argv);
  if (mw::z3ContextsIdle()) return rc;
  // A deletion is still under way: end now; the memory goes back with the process.
  std::fflush(nullptr);
  std::_Exit(rc);
}
