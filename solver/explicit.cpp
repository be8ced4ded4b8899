#include "solver/explicit.hpp"
#include "solver/memory.hpp"

#include <algorithm>
#include <bit>
#include <chrono>
#include <cstring>
#include <memory>
#include <numeric>
#include <optional>
#include <stdexcept>

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "model/compiled.hpp"
#include "solver/distance.hpp"

namespace mw {

// ---- symmetry detection -------------------------------------------------------------------
namespace {
struct SortScan {
  const Model& m;
  Symmetry sym{true, true};
  Sort slots[16];
  bool known[16] = {};

  // The sort of an expression where it is a term of Acceptor/Value/Ballot kind; constants and
  // Booleans have none.
  bool sortOf(const Expr& e, Sort& out) const {
    switch (e.kind) {
      case Kind::Var:
        if (!known[e.slot]) return false;
        out = slots[e.slot];
        return true;
      case Kind::Read: out = m.funcs[e.ref].result; return true;
      case Kind::Ite: return sortOf(e.kids[1], out) || sortOf(e.kids[2], out);
      default: return false;
    }
  }
  void breaks(Sort s, const Expr& c) {
    if (c.kind == Kind::Ite) {  // either branch may be the value
      breaks(s, c.kids[1]);
      breaks(s, c.kids[2]);
      return;
    }
    if (c.kind != Kind::Const || c.val == kNone) return;
    if (s.role == Role::Process) sym.processes = false;
    if (s.role == Role::Symmetric) sym.values = false;
  }
  void scan(const Expr& e) {
    switch (e.kind) {
      case Kind::Cmp: {
        Sort s;
        if (sortOf(e.kids[0], s)) breaks(s, e.kids[1]);
        if (sortOf(e.kids[1], s)) breaks(s, e.kids[0]);
        break;
      }
      case Kind::Read:
        for (size_t i = 0; i < e.kids.size(); ++i) breaks(m.funcs[e.ref].args[i], e.kids[i]);
        break;
      case Kind::Sent:
        for (size_t i = 0; i < e.kids.size(); ++i) breaks(m.rels[e.ref].sorts[i], e.kids[i]);
        break;
      case Kind::InQuorum: breaks({Role::Process, false}, e.kids[0]); break;
      case Kind::Exists:
      case Kind::Forall:
      case Kind::AtLeast: {
        Sort saved = slots[e.slot];
        bool had = known[e.slot];
        slots[e.slot] = e.sort;
        known[e.slot] = true;
        for (auto& k : e.kids) scan(k);
        slots[e.slot] = saved;
        known[e.slot] = had;
        return;
      }
      default: break;
    }
    for (auto& k : e.kids) scan(k);
  }
};
}  // namespace

Symmetry symmetryOf(const Model& m, const Expr& invariant) {
  SortScan s{m, {true, true}, {}, {}};
  for (auto& a : m.actions) {
    std::fill(std::begin(s.known), std::end(s.known), false);
    for (size_t i = 0; i < a.params.size(); ++i) s.slots[i] = a.params[i].sort, s.known[i] = true;
    for (auto& g : a.guard) s.scan(g);
    for (auto& u : a.updates) {
      auto& sorts = u.kind == Update::Kind::Assign ? m.funcs[u.ref].args : m.rels[u.ref].sorts;
      for (size_t i = 0; i < u.args.size(); ++i) s.breaks(sorts[i], u.args[i]), s.scan(u.args[i]);
      if (u.kind == Update::Kind::Assign) s.breaks(m.funcs[u.ref].result, u.value), s.scan(u.value);
    }
  }
  std::fill(std::begin(s.known), std::end(s.known), false);
  s.scan(invariant);
  return s.sym;
}

// A state is a global part plus one block of cells per acceptor when no function or relation
// has two acceptor arguments and no function's value is an acceptor: permuting acceptors then
// only reorders the blocks.
static bool processBlocks(const Model& m) {
  auto count = [](const std::vector<Sort>& sorts) {
    return std::count_if(sorts.begin(), sorts.end(), [](const Sort& s) { return s.role == Role::Process; });
  };
  for (auto& f : m.funcs)
    if (count(f.args) > 1 || f.result.role == Role::Process) return false;
  for (auto& r : m.rels)
    if (count(r.sorts) > 1) return false;
  return true;
}

// ---- packed states and the permutations that act on them -----------------------------------
namespace {
size_t hashWords(const uint64_t* k, int w) {
  uint64_t h = 0x9e3779b97f4a7c15ull;
  for (int i = 0; i < w; ++i) h = (h ^ k[i]) * 0xff51afd7ed558ccdull, h ^= h >> 32;
  return h;
}

class Packer {
 public:
  explicit Packer(const Layout& L) {
    for (size_t f = 0; f < L.model->funcs.size(); ++f) {
      Sort r = L.model->funcs[f].result;
      int bits = std::max(1, static_cast<int>(std::bit_width(static_cast<unsigned>(L.inst.count(r) - 1))));
      int end = f + 1 < L.model->funcs.size() ? L.funcBase[f + 1] : L.funcCells;
      for (int c = L.funcBase[f]; c < end; ++c) funcBits_.push_back(bits), funcLo_.push_back(L.inst.lo(r));
    }
    int pos = 0;
    for (int b : funcBits_) funcPos_.push_back(pos), pos += b;
    // Messages start on a fresh word, so the leading words hold only function cells: a permuted
    // packing whose function words are already larger can be skipped without the messages.
    funcWords_ = (pos + 63) / 64;
    relStart_ = funcWords_ * 64;
    words_ = funcWords_ + (L.relCells + 63) / 64;
  }
  int words() const { return words_; }
  int funcWords() const { return funcWords_; }
  // Writing one cell into a zeroed packing, for building permuted packings directly.
  void putFunc(uint64_t* out, int cell, int value) const {
    put(out, funcPos_[cell], static_cast<uint64_t>(value - funcLo_[cell]), funcBits_[cell]);
  }
  void putRel(uint64_t* out, int cell) const {
    int pos = relStart_ + cell;
    out[pos >> 6] |= 1ull << (pos & 63);
  }
  void pack(const State& s, uint64_t* out) const {
    std::memset(out, 0, words_ * 8);
    int pos = 0;
    for (size_t c = 0; c < s.f.size(); ++c) {
      put(out, pos, static_cast<uint64_t>(s.f[c] - funcLo_[c]), funcBits_[c]);
      pos += funcBits_[c];
    }
    pos = relStart_;
    for (size_t c = 0; c < s.r.size(); ++c, ++pos)
      if (s.r[c]) out[pos >> 6] |= 1ull << (pos & 63);
  }
  void unpack(const uint64_t* in, State& s) const {
    int pos = 0;
    for (size_t c = 0; c < s.f.size(); ++c) {
      s.f[c] = static_cast<int>(get(in, pos, funcBits_[c])) + funcLo_[c];
      pos += funcBits_[c];
    }
    std::fill(s.r.begin(), s.r.end(), 0);
    for (int w = funcWords_; w < words_; ++w)
      for (uint64_t bits = in[w]; bits; bits &= bits - 1)
        s.r[(w - funcWords_) * 64 + std::countr_zero(bits)] = 1;
  }

 private:
  static void put(uint64_t* w, int pos, uint64_t v, int bits) {
    w[pos >> 6] |= v << (pos & 63);
    if ((pos & 63) + bits > 64) w[(pos >> 6) + 1] |= v >> (64 - (pos & 63));
  }
  static uint64_t get(const uint64_t* w, int pos, int bits) {
    uint64_t v = w[pos >> 6] >> (pos & 63);
    if ((pos & 63) + bits > 64) v |= w[(pos >> 6) + 1] << (64 - (pos & 63));
    return v & ((1ull << bits) - 1);
  }
  std::vector<int> funcBits_, funcLo_, funcPos_;
  int relStart_ = 0;
  int funcWords_ = 0;
  int words_ = 1;
};

// A permutation of acceptors and values, as a map on cells and on stored values.
struct Perm {
  std::vector<int> funcCell, relCell;  // source cell -> target cell
  std::vector<int> acc, val;
  int table[3][66];                    // value + 1 -> renamed value + 1, per base sort (ballots: identity)
};

int mapValue(const Perm& p, Sort s, int v) {
  if (v == kNone) return v;
  if (s.role == Role::Process) return p.acc[v];
  if (s.role == Role::Symmetric) return p.val[v];
  return v;
}

std::vector<Perm> permutations(const Layout& L, bool accs, bool vals) {
  std::vector<int> a(L.inst.n), v(L.inst.values);
  std::iota(a.begin(), a.end(), 0);
  std::iota(v.begin(), v.end(), 0);
  std::vector<Perm> out;
  const Model& m = *L.model;
  do {
    std::sort(v.begin(), v.end());
    do {
      Perm p;
      p.acc = a;
      p.val = v;
      for (int k = 0; k < 66; ++k) {
        p.table[0][k] = p.table[1][k] = p.table[2][k] = k;
        if (k >= 1 && k - 1 < static_cast<int>(a.size())) p.table[static_cast<int>(Role::Process)][k] = a[k - 1] + 1;
        if (k >= 1 && k - 1 < static_cast<int>(v.size())) p.table[static_cast<int>(Role::Symmetric)][k] = v[k - 1] + 1;
      }
      for (int c = 0; c < L.funcCells; ++c) {
        int f = L.funcOf(c);
        auto args = L.funcArgs(f, c);
        for (size_t i = 0; i < args.size(); ++i) args[i] = mapValue(p, m.funcs[f].args[i], args[i]);
        p.funcCell.push_back(L.funcIndex(f, args));
      }
      for (int c = 0; c < L.relCells; ++c) {
        int r = L.relOf(c);
        auto fields = L.relFields(r, c);
        for (size_t i = 0; i < fields.size(); ++i) fields[i] = mapValue(p, m.rels[r].sorts[i], fields[i]);
        p.relCell.push_back(L.relIndex(r, fields));
      }
      out.push_back(std::move(p));
    } while (vals && std::next_permutation(v.begin(), v.end()));
  } while (accs && std::next_permutation(a.begin(), a.end()));
  return out;
}

class Canon {
 public:
  // blocks: acceptors are reduced by sorting their blocks (see processBlocks), values by
  // trying every permutation; otherwise every permutation of both is tried.
  Canon(const Layout& L, const Packer& P, bool accs, bool vals, bool blocks)
      : L_(L), P_(P), buf_(P.words()) {
    blocks_ = accs && blocks;
    cache_.resize(kCache * 2 * P.words());
    cacheFull_.resize(kCache);
    perms_ = permutations(L, accs && !blocks_, vals);  // the identity alone when neither
    for (int c = 0; c < L.funcCells; ++c) resultBase_.push_back(static_cast<int>(L.model->funcs[L.funcOf(c)].result.role));
    if (blocks_) buildBlocks();
  }
  // The least packing of s over all permutations (or just its packing). Each permuted packing
  // is written directly, touching only the function cells and the messages actually sent.
  void canonical(const State& s, uint64_t* out) {
    // The messages sent, found eight cells at a time: most cells are unsent.
    sent_.clear();
    const int R = L_.relCells;
    int c = 0;
    for (; c + 8 <= R; c += 8) {
      uint64_t chunk;
      std::memcpy(&chunk, &s.r[c], 8);
      if (chunk)
        for (int k = 0; k < 8; ++k)
          if (s.r[c + k]) sent_.push_back(c + k);
    }
    for (; c < R; ++c)
      if (s.r[c]) sent_.push_back(c);
    const int W = P_.words();
    std::fill(out, out + W, 0);
    for (int f = 0; f < L_.funcCells; ++f) P_.putFunc(out, f, s.f[f]);
    for (int m : sent_) P_.putRel(out, m);
    if (perms_.size() <= 1 && !blocks_) return;
    // Breadth-first search reaches the same state from many parents (actions commute), so a
    // small direct-mapped cache of raw packing -> canonical packing saves most permutations.
    size_t slot = hashWords(out, W) & (kCache - 1);
    uint64_t* entry = &cache_[slot * 2 * W];
    if (cacheFull_[slot] && std::equal(out, out + W, entry)) {
      std::copy(entry + W, entry + 2 * W, out);
      return;
    }
    std::copy(out, out + W, entry);
    cacheFull_[slot] = 1;
    if (blocks_) {
      sortedBlocks(s, out);
      std::copy(out, out + W, entry + W);
      return;
    }
    for (size_t k = 1; k < perms_.size(); ++k) {  // perms_[0] is the identity
      const Perm& p = perms_[k];
      std::fill(buf_.begin(), buf_.end(), 0);
      for (int c = 0; c < L_.funcCells; ++c) P_.putFunc(buf_.data(), p.funcCell[c], p.table[resultBase_[c]][s.f[c] + 1] - 1);
      const int F = P_.funcWords();
      if (std::lexicographical_compare(out, out + F, buf_.begin(), buf_.begin() + F)) continue;
      for (int c : sent_) P_.putRel(buf_.data(), p.relCell[c]);
      if (std::lexicographical_compare(buf_.begin(), buf_.end(), out, out + W)) std::copy(buf_.begin(), buf_.end(), out);
    }
    std::copy(out, out + W, entry + W);
  }

 private:
  // Per acceptor, its cells in one order shared by all acceptors (cell j of a1's block and
  // cell j of a2's differ only in the acceptor); accOfF/posOfF map a cell back (-1: global).
  void buildBlocks() {
    const Model& m = *L_.model;
    int n = L_.inst.n;
    auto accArg = [](const std::vector<Sort>& sorts) {
      for (size_t i = 0; i < sorts.size(); ++i)
        if (sorts[i].role == Role::Process) return static_cast<int>(i);
      return -1;
    };
    // Function cells and message cells alike: the sorts, the index tuple and the cell of a tuple.
    auto collect = [&](int cells, auto sortsOf, auto argsOf, auto indexOf, std::vector<int>& accOf,
                       std::vector<int>& posOf, std::vector<std::vector<int>>& blocks) {
      accOf.assign(cells, -1);
      posOf.assign(cells, -1);
      blocks.assign(n, {});
      for (int c = 0; c < cells; ++c) {
        int p = accArg(sortsOf(c));
        if (p < 0) continue;
        std::vector<int> args = argsOf(c);
        if (args[p] != 0) continue;
        for (int a = 0; a < n; ++a) {
          args[p] = a;
          int cell = indexOf(c, args);
          accOf[cell] = a;
          posOf[cell] = static_cast<int>(blocks[a].size());
          blocks[a].push_back(cell);
        }
      }
    };
    collect(
        L_.funcCells, [&](int c) -> const std::vector<Sort>& { return m.funcs[L_.funcOf(c)].args; }, [&](int c) { return L_.funcArgs(L_.funcOf(c), c); },
        [&](int c, const std::vector<int>& args) { return L_.funcIndex(L_.funcOf(c), args); }, accOfF_, posOfF_, accF_);
    collect(
        L_.relCells, [&](int c) -> const std::vector<Sort>& { return m.rels[L_.relOf(c)].sorts; }, [&](int c) { return L_.relFields(L_.relOf(c), c); },
        [&](int c, const std::vector<int>& args) { return L_.relIndex(L_.relOf(c), args); }, accOfR_, posOfR_, accR_);
    blockLen_ = static_cast<int>(accF_[0].size() + accR_[0].size());
    keys_.resize(static_cast<size_t>(n) * blockLen_);
    order_.resize(n);
    rank_.resize(n);
    tf_.resize(L_.funcCells);
    tr_.assign(L_.relCells, 0);
  }

  // For each value permutation: rename values, sort the acceptors by their blocks, pack; the
  // least packing wins. Two states of one orbit have the same multiset of blocks, so they sort
  // to the same arrangement.
  void sortedBlocks(const State& s, uint64_t* out) {
    const int n = L_.inst.n, W = P_.words();
    bool first = true;
    for (const Perm& p : perms_) {
      for (int c = 0; c < L_.funcCells; ++c) tf_[p.funcCell[c]] = p.table[resultBase_[c]][s.f[c] + 1] - 1;
      for (int c : sent_) tr_[p.relCell[c]] = 1;
      const size_t nf = accF_[0].size();
      for (int a = 0; a < n; ++a) {
        int* k = &keys_[static_cast<size_t>(a) * blockLen_];
        for (size_t j = 0; j < nf; ++j) k[j] = tf_[accF_[a][j]];
        for (size_t j = 0; j < accR_[a].size(); ++j) k[nf + j] = tr_[accR_[a][j]];
      }
      std::iota(order_.begin(), order_.end(), 0);
      std::sort(order_.begin(), order_.end(), [&](int x, int y) {
        const int* kx = &keys_[static_cast<size_t>(x) * blockLen_];
        const int* ky = &keys_[static_cast<size_t>(y) * blockLen_];
        return std::lexicographical_compare(kx, kx + blockLen_, ky, ky + blockLen_);
      });
      for (int i = 0; i < n; ++i) rank_[order_[i]] = i;
      uint64_t* dst = first ? out : buf_.data();
      std::fill(dst, dst + W, 0);
      for (int c = 0; c < L_.funcCells; ++c) {
        int a = accOfF_[c];
        P_.putFunc(dst, a < 0 ? c : accF_[rank_[a]][posOfF_[c]], tf_[c]);
      }
      for (int c : sent_) {
        int t = p.relCell[c], a = accOfR_[t];
        P_.putRel(dst, a < 0 ? t : accR_[rank_[a]][posOfR_[t]]);
        tr_[t] = 0;
      }
      if (!first && std::lexicographical_compare(buf_.begin(), buf_.end(), out, out + W)) std::copy(buf_.begin(), buf_.end(), out);
      first = false;
    }
  }

  const Layout& L_;
  const Packer& P_;
  std::vector<Perm> perms_;
  bool blocks_ = false;
  std::vector<std::vector<int>> accF_, accR_;
  std::vector<int> accOfF_, posOfF_, accOfR_, posOfR_;
  int blockLen_ = 0;
  std::vector<int> keys_, order_, rank_, tf_;
  std::vector<char> tr_;
  std::vector<uint64_t> buf_;
  std::vector<int> resultBase_;
  static constexpr size_t kCache = 1 << 18;
  std::vector<uint64_t> cache_;
  std::vector<char> cacheFull_;
  std::vector<int> sent_;
};

// Open addressing over state indices; the states themselves live in an arena. A packing is W
// words: the function cells, then one bit per message cell. Where messages have many cells
// (Raft at n = 3, T = 4: some 6,000, of which a state has sent a few dozen), a state is stored
// sparse: its function words, then the positions of its sent messages as 16-bit numbers, eight
// times smaller there. The arena grows in chunks, so it is never copied whole.
class StateSet {
 public:
  StateSet(int words, int funcWords, bool sparse)
      : w_(words), fw_(funcWords), sparse_(sparse), scratch_(words) {
    table_.assign(1 << 16, kEmpty);
    offset_.push_back(0);
  }
  // The packing of state i (valid until the next call of at()).
  const uint64_t* at(uint32_t i) const {
    const uint8_t* rec = record(i);
    if (!sparse_) {
      std::memcpy(scratch_.data(), rec, w_ * 8);
      return scratch_.data();
    }
    size_t len = length(i);
    std::memcpy(scratch_.data(), rec, fw_ * 8);
    std::fill(scratch_.begin() + fw_, scratch_.end(), 0);
    for (size_t b = fw_ * 8; b + 2 <= len; b += 2) {
      uint16_t pos;
      std::memcpy(&pos, rec + b, 2);
      scratch_[fw_ + pos / 64] |= 1ull << (pos % 64);
    }
    return scratch_.data();
  }
  size_t size() const { return count_; }
  // What `more` insertions may add to resident memory at their peak: the states themselves
  // (as long as the longest so far, and a fresh chunk), the offsets' and the table's doublings.
  size_t growthBytes(size_t more) const {
    size_t b = more * std::max<size_t>(longest_, 8);
    if (used_ + b > kChunk) b += kChunk;
    if (offset_.size() + more > offset_.capacity()) b += offset_.capacity() * 8;
    if (sparse_ && lengths_.size() + more > lengths_.capacity()) b += lengths_.capacity() * 4;
    if ((count_ + more) * 2 > table_.size()) b += table_.size() * 8;
    return b;
  }
  // Inserts key; returns {index, inserted}.
  std::pair<uint32_t, bool> insert(const uint64_t* key) {
    encode(key);
    if ((count_ + 1) * 2 > table_.size()) grow();
    size_t mask = table_.size() - 1;
    for (size_t h = hashBytes(enc_.data(), enc_.size()) & mask;; h = (h + 1) & mask) {
      uint32_t i = table_[h];
      if (i == kEmpty) {
        table_[h] = static_cast<uint32_t>(count_);
        append();
        return {static_cast<uint32_t>(count_++), true};
      }
      if (length(i) == enc_.size() && std::memcmp(record(i), enc_.data(), enc_.size()) == 0) return {i, false};
    }
  }

 private:
  static constexpr uint32_t kEmpty = 0xffffffffu;
  static constexpr size_t kChunk = size_t{64} << 20;
  static size_t hashBytes(const uint8_t* p, size_t n) {
    uint64_t h = 0x9e3779b97f4a7c15ull;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
      uint64_t k;
      std::memcpy(&k, p + i, 8);
      h = (h ^ k) * 0xff51afd7ed558ccdull, h ^= h >> 32;
    }
    uint64_t tail = 0;
    std::memcpy(&tail, p + i, n - i);
    h = (h ^ tail ^ (n << 56)) * 0xff51afd7ed558ccdull, h ^= h >> 32;
    return h;
  }
  void encode(const uint64_t* key) {
    enc_.resize((sparse_ ? fw_ : w_) * 8);
    std::memcpy(enc_.data(), key, enc_.size());
    if (!sparse_) return;
    for (int w = fw_; w < w_; ++w)
      for (uint64_t bits = key[w]; bits; bits &= bits - 1) {
        uint16_t pos = static_cast<uint16_t>((w - fw_) * 64 + std::countr_zero(bits));
        uint8_t two[2];
        std::memcpy(two, &pos, 2);
        enc_.push_back(two[0]), enc_.push_back(two[1]);
      }
  }
  // The record's place: its chunk in the high bits of the offset, its start in the low.
  const uint8_t* record(uint32_t i) const { return chunks_[offset_[i] >> 32].get() + (offset_[i] & 0xffffffffu); }
  size_t length(uint32_t i) const { return lengths_.empty() ? w_ * 8 : lengths_[i]; }
  void append() {
    size_t n = enc_.size();
    if (chunks_.empty() || used_ + n > kChunk) {
      chunks_.push_back(std::make_unique_for_overwrite<uint8_t[]>(kChunk));  // untouched pages cost nothing
      used_ = 0;
    }
    std::memcpy(chunks_.back().get() + used_, enc_.data(), n);
    offset_.back() = (static_cast<uint64_t>(chunks_.size() - 1) << 32) | used_;
    offset_.push_back(0);
    used_ += n;
    if (sparse_) lengths_.push_back(static_cast<uint32_t>(n));
    longest_ = std::max(longest_, n);
  }
  void grow() {
    std::vector<uint32_t> old(table_.size() * 2, kEmpty);
    old.swap(table_);
    size_t mask = table_.size() - 1;
    for (uint32_t i = 0; i < count_; ++i) {
      size_t h = hashBytes(record(i), length(i)) & mask;
      while (table_[h] != kEmpty) h = (h + 1) & mask;
      table_[h] = i;
    }
  }
  int w_, fw_;
  bool sparse_;
  size_t count_ = 0, used_ = 0, longest_ = 0;
  std::vector<std::unique_ptr<uint8_t[]>> chunks_;
  std::vector<uint64_t> offset_;   // per state (and one spare at the end)
  std::vector<uint32_t> lengths_;  // per state, sparse only
  std::vector<uint32_t> table_;
  std::vector<uint8_t> enc_;
  mutable std::vector<uint64_t> scratch_;
};
}  // namespace

ExplicitResult exploreBreadthFirst(const Model& model, const Instance& inst, const std::string& invName,
                                   const ExplicitOptions& opts) {
  using clock = std::chrono::steady_clock;
  auto start = clock::now();
  auto elapsed = [&] { return std::chrono::duration<double>(clock::now() - start).count(); };
  int inv = -1;
  for (size_t i = 0; i < model.invariants.size(); ++i)
    if (model.invariants[i].name == invName) inv = static_cast<int>(i);
  if (inv < 0) throw std::invalid_argument("invariant " + invName);
  const Expr& invariant = model.invariants[inv].holds;
  Compiled in(model, inst);
  Interp reference(model, inst);
  Layout layout(model, inst);
  const Layout& L = layout;
  ExplicitResult res;
  if (opts.dropSpent) {
    in.prepareSpent(inv);
    res.spentDropped = in.spentCells() > 0;
  }
  bool blocks = false;
  if (opts.symmetry) {
    Symmetry sym = symmetryOf(model, invariant);
    // A listed quorum system names particular acceptors: no acceptor symmetry then.
    // Canonical forms sort acceptor blocks where the model allows it; otherwise they try every
    // permutation, which past 6 acceptors (720 of them) costs more than it saves.
    blocks = processBlocks(model);
    res.symmetryProcesses = sym.processes && L.inst.n > 1 && (blocks || L.inst.n <= 6) && !inst.anyListed();
    res.symmetryValues = sym.values && L.inst.values > 1;
  }
  Packer packer(L);
  Canon canon(L, packer, res.symmetryProcesses, res.symmetryValues, blocks);
  const int W = packer.words();
  const auto& grounds = in.grounds();

  // Sparse storage where the message bits would be more than 8 words and positions fit 16 bits.
  const int msgWords = W - packer.funcWords();
  StateSet set(W, packer.funcWords(), msgWords > 8 && msgWords * 64 <= 65536);
  std::optional<Distance> dist;
  if (opts.bound >= 0) dist.emplace(model, inst, invariant);
  int maxDepth = opts.bound >= 0 ? std::min(opts.maxDepth, opts.bound) : opts.maxDepth;
  std::vector<uint32_t> parent;
  std::vector<uint64_t> key(W);
  State cur = reference.init(), next;
  std::vector<int> cands;  // the ground actions that may be enabled in the state at hand
  canon.canonical(cur, key.data());
  set.insert(key.data());
  parent.push_back(0);

  auto finish = [&](Verdict v) {
    res.verdict = v;
    res.states = static_cast<long>(set.size());
    return res;
  };
  // A violating orbit found: rebuild a concrete path by choosing, at each step, an action whose
  // successor lies in the next orbit of the path.
  auto violated = [&](uint32_t idx) {
    std::vector<uint32_t> chain;
    for (uint32_t i = idx; i != 0; i = parent[i]) chain.push_back(i);
    std::reverse(chain.begin(), chain.end());
    State s = reference.init(), t = s;
    std::vector<uint64_t> k(W);
    for (uint32_t target : chain) {
      bool moved = false;
      in.candidates(s, cands);
      for (int g : cands) {
        if (!in.enabled(s, g)) continue;
        in.apply(s, g, t);
        canon.canonical(t, k.data());
        if (std::equal(k.begin(), k.end(), set.at(target))) {
          res.path.push_back(grounds[g]);
          s = t;
          moved = true;
          break;
        }
      }
      if (!moved) throw std::logic_error("explicit engine: a stored path does not replay");
    }
    res.length = static_cast<int>(res.path.size());
    return finish(Verdict::Violated);
  };
  if (!in.holds(cur, inv)) {
    res.depthChecked = -1;
    return violated(0);
  }

  // Limits are polled every 1024 states, every 16 when the lower bound makes each one slow.
  const size_t pollMask = dist ? 15 : 1023;
  // Bytes of the vectors indexed by state (parent; A* adds depth, bound and expansion).
  const size_t perState = dist ? 16 : 4;
  double lastReport = 0;
  bool yielded = false;
  // Which limit, if any, has been reached (sets res.reason); reports progress about once a second.
  auto overLimit = [&](int depth) {
    double now = elapsed();
    if (opts.stop && opts.stop->load()) res.reason = "interrupted";
    else if (opts.timeoutSeconds > 0 && now > opts.timeoutSeconds) res.reason = "time limit";
    else if (static_cast<long>(set.size()) >= opts.maxStates) res.reason = "state limit";
    else if (memoryLimitBytes() > 0 && residentBytes() + set.growthBytes(pollMask + 1) +
                                           (parent.size() + pollMask + 1 > parent.capacity() ? parent.capacity() * perState : 0) >
                                       memoryLimitBytes())
      res.reason = "memory limit";  // stopped before the growth, not after: a doubling is too big a step
    else {
      if (opts.yieldAfterSeconds > 0 && now >= opts.yieldAfterSeconds && !yielded) {
        yielded = true;  // best effort: a refusal only leaves the priority as it was
        setpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)), 10);
      }
      if (opts.onProgress && now - lastReport >= 1.0) {
        lastReport = now;
        opts.onProgress(depth, static_cast<long>(set.size()), now);
      }
      return false;
    }
    return true;
  };

  if (dist) {
    // A*: open[f][g] holds states first reached (or reached again, shorter) at depth g with
    // g + lower bound = f. The bound is admissible but need not be consistent, so a state met
    // again at a smaller depth is reopened. Violating states are not expanded; the shortest
    // one met so far is returned once every open state has f >= its length (any shorter
    // violation would have a state of smaller f on its path still open).
    std::vector<int> g{0}, h{(*dist)(cur)}, expandedAt{-1};
    res.initialBound = h[0];
    std::vector<std::vector<std::vector<uint32_t>>> open(maxDepth + 1, std::vector<std::vector<uint32_t>>(maxDepth + 1));
    if (h[0] <= maxDepth) open[h[0]][0].push_back(0);
    int goal = -1, goalLength = Distance::kNever;
    size_t expanded = 0;
    int lowest = 0;
    int bound = maxDepth;
    for (;;) {
      if (opts.liveBound) bound = std::min(bound, opts.liveBound->load());
      // The lowest f with an open state, and the deepest g in it.
      int f = -1, depth = -1;
      for (int ff = lowest; ff <= bound && f < 0; ++ff)
        for (int gg = ff; gg >= 0; --gg)
          if (!open[ff][gg].empty()) {
            f = ff, depth = gg;
            break;
          }
      if (f < 0 || f >= goalLength) {
        // Every state with f <= bound is expanded: a violation found of at most bound + 1
        // actions is a shortest one; a longer one (met before the bound dropped) is not
        // known to be, and the bound is all this search covers.
        if (goal >= 0 && (f >= 0 || goalLength <= bound + 1)) return violated(static_cast<uint32_t>(goal));
        res.depthChecked = bound;
        return finish(Verdict::Holds);
      }
      lowest = f;
      uint32_t i = open[f][depth].back();
      open[f][depth].pop_back();
      if (g[i] != depth || expandedAt[i] == depth) continue;  // stale: reached shorter since
      expandedAt[i] = depth;
      packer.unpack(set.at(i), cur);
      in.candidates(cur, cands);
      for (int a : cands) {
        if (!in.enabled(cur, a)) continue;
        in.apply(cur, a, next);
        canon.canonical(next, key.data());
        auto [idx, fresh] = set.insert(key.data());
        bool bad;
        if (fresh) {
          parent.push_back(i);
          g.push_back(depth + 1);
          expandedAt.push_back(-1);
          bad = in.touches(a, inv) && !in.holds(next, inv);
          h.push_back(bad ? 0 : (*dist)(next));
        } else {
          if (g[idx] <= depth + 1) continue;
          parent[idx] = i;
          g[idx] = depth + 1;
          bad = h[idx] == 0 && !in.holds(next, inv);
        }
        if (bad) {
          if (depth + 1 < goalLength) {
            goal = static_cast<int>(idx), goalLength = depth + 1;
            if (opts.onViolation) opts.onViolation(goalLength);
          }
          continue;
        }
        int ff = depth + 1 + h[idx];
        if (ff <= bound) {
          open[ff][depth + 1].push_back(idx);
          lowest = std::min(lowest, ff);
        }
      }
      if ((++expanded & pollMask) == 0 && overLimit(f)) {
        res.depthChecked = f - 1;  // every violation of fewer than f actions would have been met
        if (goal < 0) return finish(Verdict::Unknown);
        std::string why = res.reason;
        violated(static_cast<uint32_t>(goal));
        res.shortest = false;
        res.reason = why;
        return res;
      }
    }
  }

  size_t levelBegin = 0, levelEnd = 1;
  for (int depth = 0;; ++depth) {
    res.depthChecked = depth;
    if (levelBegin == levelEnd) {
      res.exhausted = true;
      res.depthChecked = depth - 1;
      return finish(Verdict::Holds);
    }
    if (depth == maxDepth) return finish(Verdict::Holds);
    next = cur;
    for (size_t i = levelBegin; i < levelEnd; ++i) {
      packer.unpack(set.at(static_cast<uint32_t>(i)), cur);
      in.candidates(cur, cands);
      for (int g : cands) {
        if (!in.enabled(cur, g)) continue;
        in.apply(cur, g, next);
        canon.canonical(next, key.data());
        auto [idx, fresh] = set.insert(key.data());
        if (!fresh) continue;
        parent.push_back(static_cast<uint32_t>(i));
        if (in.touches(g, inv) && !in.holds(next, inv)) return violated(idx);
      }
      if ((i & pollMask) == 0 && overLimit(depth)) {
        res.depthChecked = depth;  // states at distance <= depth were all checked when stored
        return finish(Verdict::Unknown);
      }
    }
    levelBegin = levelEnd;
    levelEnd = set.size();
  }
}

}  // namespace mw
