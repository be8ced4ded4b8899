#include "model/footprint.hpp"

namespace mw {

namespace {

struct Walker {
  const Model& m;
  const Instance& in;
  Layout layout;
  int vars[16];
  bool known[16] = {};
  Footprint* fp = nullptr;

  static void set(std::vector<uint64_t>& bits, int i) { bits[i / 64] |= uint64_t{1} << (i % 64); }

  std::vector<int> possible(const Expr& e, Sort s) const {
    if (e.kind == Kind::Const) return {e.val};
    if (e.kind == Kind::Var && known[e.slot]) return {vars[e.slot]};
    std::vector<int> all;
    for (int v = in.lo(s); v <= in.hi(s); ++v) all.push_back(v);
    return all;
  }

  // Every index tuple the arguments may take, restricted to the sorts' ranges.
  std::vector<std::vector<int>> cells(const std::vector<Expr>& args, const std::vector<Sort>& sorts) const {
    std::vector<std::vector<int>> out{{}};
    for (size_t i = 0; i < args.size(); ++i) {
      std::vector<std::vector<int>> next;
      for (int v : possible(args[i], sorts[i])) {
        if (!layout.inRange(sorts[i], v)) continue;
        for (auto t : out) {
          t.push_back(v);
          next.push_back(std::move(t));
        }
      }
      out = std::move(next);
    }
    return out;
  }

  void reads(const Expr& e) {
    switch (e.kind) {
      case Kind::Read:
        for (auto& t : cells(e.kids, m.funcs[e.ref].args)) set(fp->readF, layout.funcIndex(e.ref, t));
        break;
      case Kind::Sent:
        for (auto& t : cells(e.kids, m.rels[e.ref].sorts)) set(fp->readR, layout.relIndex(e.ref, t));
        break;
      case Kind::Exists:
      case Kind::Forall:
      case Kind::AtLeast: {
        bool was = known[e.slot];
        known[e.slot] = false;
        for (auto& k : e.kids) reads(k);
        known[e.slot] = was;
        return;
      }
      default: break;
    }
    for (auto& k : e.kids) reads(k);
  }
};

}  // namespace

std::vector<Footprint> footprints(const Model& m, const Instance& in, const std::vector<Ground>& grounds) {
  Walker w{m, in, Layout(m, in), {}, {}, nullptr};
  size_t fw = (w.layout.funcCells + 63) / 64, rw = (w.layout.relCells + 63) / 64;
  std::vector<Footprint> out(grounds.size());
  for (size_t k = 0; k < grounds.size(); ++k) {
    Footprint& fp = out[k];
    fp.readF.assign(fw, 0);
    fp.writeF.assign(fw, 0);
    fp.readR.assign(rw, 0);
    fp.writeR.assign(rw, 0);
    w.fp = &fp;
    std::fill(std::begin(w.known), std::end(w.known), false);
    const Action& act = m.actions[grounds[k].action];
    for (size_t p = 0; p < grounds[k].params.size(); ++p) {
      w.vars[p] = grounds[k].params[p];
      w.known[p] = true;
    }
    for (auto& g : act.guard) w.reads(g);
    for (auto& u : act.updates) {
      for (auto& a : u.args) w.reads(a);
      if (u.kind == Update::Kind::Assign) {
        w.reads(u.value);
        for (auto& t : w.cells(u.args, m.funcs[u.ref].args)) Walker::set(fp.writeF, w.layout.funcIndex(u.ref, t));
      } else {
        for (auto& t : w.cells(u.args, m.rels[u.ref].sorts)) Walker::set(fp.writeR, w.layout.relIndex(u.ref, t));
      }
    }
  }
  return out;
}

struct CellReader::Impl {
  Walker w;
  Footprint fp;
};

CellReader::CellReader(const Model& m, const Instance& in) : impl_(new Impl{Walker{m, in, Layout(m, in), {}, {}, nullptr}, {}}) {
  impl_->fp.readF.assign((impl_->w.layout.funcCells + 63) / 64, 0);
  impl_->fp.readR.assign((impl_->w.layout.relCells + 63) / 64, 0);
  impl_->w.fp = &impl_->fp;
}

CellReader::~CellReader() { delete impl_; }

void CellReader::read(const Expr& e, const int* vars, const bool* bound, std::vector<int>& funcCells,
                      std::vector<int>& relCells) {
  Walker& w = impl_->w;
  for (int i = 0; i < 16; ++i) w.vars[i] = vars[i], w.known[i] = bound[i];
  funcCells.clear();
  relCells.clear();
  w.reads(e);
  // Collect the bits set and clear them again, so the next expression starts from nothing.
  auto drain = [](std::vector<uint64_t>& bits, std::vector<int>& out) {
    forEachBit(bits, [&](int c) { out.push_back(c); });
    for (int c : out) bits[c / 64] = 0;
  };
  drain(impl_->fp.readF, funcCells);
  drain(impl_->fp.readR, relCells);
}

static bool meet(const std::vector<uint64_t>& a, const std::vector<uint64_t>& b) {
  for (size_t i = 0; i < a.size(); ++i)
    if (a[i] & b[i]) return true;
  return false;
}

bool dependent(const Footprint& a, const Footprint& b) {
  return meet(a.writeF, b.readF) || meet(b.writeF, a.readF) || meet(a.writeF, b.writeF) ||
         meet(a.writeR, b.readR) || meet(b.writeR, a.readR);
}

std::vector<std::vector<char>> dependenceMatrix(const std::vector<Footprint>& fps) {
  const size_t g = fps.size();
  std::vector<std::vector<char>> dep(g, std::vector<char>(g, 0));
  if (g == 0) return dep;
  const size_t words = (g + 63) / 64;
  const size_t fCells = fps[0].readF.size() * 64, rCells = fps[0].readR.size() * 64;
  // Function cells are few and each is read by many actions: a bit set of actions per cell.
  std::vector<std::vector<uint64_t>> readersF(fCells, std::vector<uint64_t>(words, 0)), writersF = readersF;
  // Message cells are many and each is read by few: a list of readers per cell.
  std::vector<std::vector<int>> readersR(rCells);
  for (size_t x = 0; x < g; ++x) {
    uint64_t bit = uint64_t{1} << (x % 64);
    forEachBit(fps[x].readF, [&](int c) { readersF[c][x / 64] |= bit; });
    forEachBit(fps[x].writeF, [&](int c) { writersF[c][x / 64] |= bit; });
    forEachBit(fps[x].readR, [&](int c) { readersR[c].push_back(static_cast<int>(x)); });
  }
  std::vector<uint64_t> row(words);
  for (size_t x = 0; x < g; ++x) {
    std::fill(row.begin(), row.end(), 0);
    auto orIn = [&](const std::vector<uint64_t>& set) {
      for (size_t w = 0; w < words; ++w) row[w] |= set[w];
    };
    // x writes what y reads or writes, or y writes what x reads (function cells)...
    forEachBit(fps[x].writeF, [&](int c) { orIn(readersF[c]), orIn(writersF[c]); });
    forEachBit(fps[x].readF, [&](int c) { orIn(writersF[c]); });
    forEachBit(row, [&](int y) { dep[x][y] = 1; });
    // ...or one sends a message the other reads (both directions at once).
    forEachBit(fps[x].writeR, [&](int c) {
      for (int y : readersR[c]) dep[x][y] = dep[y][x] = 1;
    });
    dep[x][x] = 1;
  }
  return dep;
}

}  // namespace mw
