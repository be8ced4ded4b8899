// Test helper: a path the engines return is a run of the model (every step enabled, on the
// concrete interpreter) that ends where the invariant is false.
#pragma once

#include <catch2/catch.hpp>

#include <vector>

#include "model/interp.hpp"

namespace mw {

inline void requireBreaks(const Model& m, const Instance& in, const Expr& inv, const std::vector<Ground>& path) {
  Interp replay(m, in);
  State s = replay.init();
  for (auto& g : path) {
    std::vector<uint32_t> q;
    REQUIRE(replay.enabled(s, g, q));
    s = replay.apply(s, g);
  }
  REQUIRE_FALSE(replay.holds(s, inv));
}

}  // namespace mw
