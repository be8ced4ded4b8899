// Fuzz target: the JSON lines that `sweep --resume` and `sweep --merge` read back. A line is
// either a cell or refused as bad input; nothing else may happen.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "cli/common.hpp"
#include "cli/sweep_out.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded()) return 0;
  try {
    mw::cli::SweepMeta meta;
    mw::SweepCell c = mw::cli::cellFromJson(j, meta, "fuzz:1");
    (void)mw::cli::cellToJson(c, meta).dump();
  } catch (const mw::cli::BadInput&) {
  }
  return 0;
}
