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
#include "queries/completeness.hpp"

namespace mw {

int completenessThreshold(const Model& m, const Instance& in) {
  if (m.name != "paxos" || !m.mutations.empty() || m.q1Delta != 0 || m.q2Delta != 0) return -1;
  return 2 * in.ballots * (in.n + 1);
}

}  // namespace mw
