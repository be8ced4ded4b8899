// The test runner. Tests that write files (traces, JSONL, quorum files) use relative names, so
// the runner works in a scratch directory of its own and removes it afterwards: a run from the
// source tree leaves nothing behind there.
#define CATCH_CONFIG_RUNNER
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <string>

int main(int argc, char* argv[]) {
  namespace fs = std::filesystem;
  fs::path scratch = fs::temp_directory_path() / ("madewrong-tests-" + std::to_string(getpid()));
  fs::create_directories(scratch);
  fs::current_path(scratch);
  int rc = Catch::Session().run(argc, argv);
  std::error_code ignored;
  fs::current_path(fs::temp_directory_path(), ignored);
  fs::remove_all(scratch, ignored);
  return rc;
}
