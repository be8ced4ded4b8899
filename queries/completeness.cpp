// Completeness thresholds: a bounded check to this depth covers every run. A protocol file
// states them (`complete within ...`) with their argument; for Paxos (protocols/paxos.mw) it is:
//
// Every step of a shortest run changes the state. In unmutated Paxos each ground action can
// change the state at most once, and at most 2B(n+1) of them can fire effectively in one run:
//   Phase1a(b)       sends 1a(b) and nothing else:                      once per ballot   (B)
//   Phase1b(a, b)    needs b > maxBal[a] and sets maxBal[a] = b; maxBal
//                    never decreases, so once per acceptor and ballot                     (nB)
//   Phase2a(b, v)    needs no 2a for b yet: once per ballot, one value                    (B)
//   Phase2b(a, b, v) needs 2a(b, v), so v is the ballot's only value; once
//                    it fired, maxBal[a] = maxVBal[a] = b, maxVal[a] = v and 2b(a, b, v)
//                    is sent: firing again changes nothing, and after a higher promise it
//                    is disabled; so once per acceptor and ballot                         (nB)
// Quorum sizes and the number of values do not enter. See docs/completeness.md.
//
// Parallel steps: rank Phase1a(b) 0, Phase1b(a, b) 3b+1, Phase2a(b, v) 3b+2, Phase2b(a, b, v)
// 3b+3. In a run of actions that each change the state, of two dependent actions the later
// has the higher rank, so a chain of dependent actions has at most 3B+1 of them, and so has
// the run's Foata normal form steps (its height is its longest chain).
#include "queries/completeness.hpp"

#include <algorithm>

namespace mw {

// The thresholds are the file's (`complete within ...`), and hold for the protocol as written:
// a mutant (by name or by operator) or a shrunk quorum has none.
// Restarts (--faults restart) are not in the file's argument either.
static bool unmutated(const Model& m) { return m.mutations.empty() && !m.restarts && std::all_of(m.quorumDelta.begin(), m.quorumDelta.end(), [](int d) { return d == 0; }); }

int completenessThreshold(const Model& m, const Instance& in) {
  return unmutated(m) && m.completeActions ? static_cast<int>(m.completeActions->bound.eval(in)) : -1;
}

int parallelCompletenessThreshold(const Model& m, const Instance& in) {
  return unmutated(m) && m.completeSteps ? static_cast<int>(m.completeSteps->bound.eval(in)) : -1;
}

}  // namespace mw
