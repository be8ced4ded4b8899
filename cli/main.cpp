// The madewrong executable.
#include "cli/common.hpp"

int main(int argc, char** argv) { return mw::cli::madewrongMain(argc, argv); }
