#include "queries/every_size.hpp"

#include <algorithm>
#include <map>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "mutations/catalog.hpp"
#include "queries/completeness.hpp"

namespace mw {

void growForEverySize(const Model& protocol, const Model& mutated, const EverySizeResult& proof, bool sizesGiven, Instance& in) {
  int given = in.n;
  // Each sort as large as the structure has it, and no smaller than the instance given (a
  // structure may be smaller than any run that breaks the property: one value cannot break
  // agreement).
  std::map<std::string, int> size(proof.sizes.begin(), proof.sizes.end());
  for (auto& d : protocol.sorts) {
    if (!size.count(d.name) || d.isEnum()) continue;
    int k = size[d.name];
    if (d.sort.role == Role::Process) in.n = std::max(in.n, k);
    else if (d.sort.role == Role::Symmetric) in.values = std::max(in.values, k);
    else in.ordered.at(d.sort.index) = std::max(in.ordered.at(d.sort.index), k);
  }
  if (sizesGiven) return;
  in.n = std::max(in.n, proof.noIntersectionAt);
  auto sizeQuorums = [&] {
    for (size_t k = 0; k < protocol.systems.size(); ++k) in.quorums[k] = static_cast<int>(protocol.systems[k].defaultSize(in, (in.n - 1) / 2));
  };
  if (in.n != given) sizeQuorums();
  for (bool tooSmall = true; tooSmall && in.n < 16;) {
    tooSmall = false;
    for (size_t k = 0; k < protocol.systems.size(); ++k) tooSmall = tooSmall || mutated.quorumSize(in, static_cast<int>(k) + 1) < 1;
    if (tooSmall) ++in.n, sizeQuorums();
  }
}

EverySizeCheck runEverySize(const Model& protocol, CheckRequest req, bool sizesGiven, const std::function<void(const std::string&)>& progress) {
  const Model mutated = mutate(protocol, req.mutations);
  EverySizeCheck out;
  out.proof = proveEverySize(mutated, req.invariant, req.timeoutSeconds, sizesGiven ? &req.inst : nullptr, req.stop, progress);
  if (out.proof.outcome == EverySizeResult::Outcome::Proved) return out;
  // A real run, searched for at the size the failure points to.
  growForEverySize(protocol, mutated, out.proof, sizesGiven, req.inst);
  req.depth = std::max(req.depth, completenessThreshold(protocol, req.inst));
  // The invariant by induction at that size (a counterexample to induction at a finite size is
  // one for every size too), then bounded search for a real run.
  req.prove = true;
  out.bounded = runCheck(protocol, req);
  return out;
}

std::vector<SweepProof> proveSafeCells(const Model& protocol, const SweepResult& r, const CheckRequest& check,
                                       const std::function<void(const std::string&)>& progress) {
  const Model mutated = mutate(protocol, check.mutations);
  std::vector<SweepProof> out;
  for (size_t i = 0; i < r.cells.size(); ++i) {
    const SweepCell& c = r.cells[i];
    if (c.verdict != Verdict::Holds) continue;
    Instance at = check.inst;
    at.n = c.n;
    at.quorums = c.sizes;
    std::vector<bool> axioms = grantedAxioms(mutated, &at);
    auto same = std::find_if(out.begin(), out.end(), [&](const SweepProof& p) { return p.axioms == axioms; });
    if (same == out.end()) {
      if (progress) progress(fmt::format("every size: the cells that give the axioms n={} {}", c.n, fmt::join(c.sizes, ",")));
      out.push_back({axioms, proveEverySize(mutated, check.invariant, check.timeoutSeconds, &at, check.stop, progress), {}});
      same = out.end() - 1;
    }
    same->cells.push_back(i);
  }
  return out;
}

}  // namespace mw
