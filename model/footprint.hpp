// Which state cells a ground action may read and write, found from the model text alone.
//
// Two ground actions are independent when neither writes a cell the other reads, and they do
// not both assign one function cell (two sends of one message commute: sending only adds).
// Independent actions commute from every state and neither enables or disables the other, so
// a set of pairwise independent actions can fire in one step with the same effect as any
// order of them: the basis of the parallel-step encoding (solver/parallel.hpp).
#pragma once

#include <bit>
#include <cstdint>
#include <vector>

#include "model/model.hpp"

namespace mw {

struct Footprint {
  std::vector<uint64_t> readF, writeF, readR, writeR;  // bit sets over Layout's cells
};

// One footprint per ground action (same order as `grounds`). Over-approximate: an argument
// that is not a constant or a parameter of the action may be any value of its sort.
std::vector<Footprint> footprints(const Model& m, const Instance& in, const std::vector<Ground>& grounds);
bool dependent(const Footprint& a, const Footprint& b);
// The cells (Layout's numbering) that an expression may read when the variables with
// bound[slot] have the values vars[slot] and every other one may be anything. One reader serves
// many expressions (the layout and bit sets are made once).
class CellReader {
 public:
  CellReader(const Model& m, const Instance& in);
  ~CellReader();
  // funcCells and relCells are cleared, then filled.
  void read(const Expr& e, const int* vars, const bool* bound, std::vector<int>& funcCells, std::vector<int>& relCells);

 private:
  struct Impl;
  Impl* impl_;
};
// dependent() for every pair, [x][y] (true on the diagonal too). Indexed by cell rather than by
// pair: Raft at n = 3, T = 3, L = 2 has 15,750 ground actions, and its matrix takes 0.25 s this
// way against about 48 s of pairwise tests.
std::vector<std::vector<char>> dependenceMatrix(const std::vector<Footprint>& fps);

// Calls f(i) for every bit i set in one of a footprint's bit sets.
template <class F>
void forEachBit(const std::vector<uint64_t>& bits, F f) {
  for (size_t w = 0; w < bits.size(); ++w)
    for (uint64_t x = bits[w]; x; x &= x - 1) f(static_cast<int>(w * 64 + std::countr_zero(x)));
}

}  // namespace mw
