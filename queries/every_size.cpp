#include "queries/every_size.hpp"

#include <algorithm>
#include <map>

#include "mutations/catalog.hpp"
#include "queries/completeness.hpp"

namespace mw {

EverySizeCheck runEverySize(const Model& protocol, CheckRequest req, const std::function<void(const std::string&)>& progress) {
  const Model mutated = mutate(protocol, req.mutations);
  EverySizeCheck out;
  out.proof = proveEverySize(mutated, req.invariant, req.timeoutSeconds, req.stop, progress);
  if (out.proof.outcome == EverySizeResult::Outcome::Proved) return out;
  // A real run, searched for at the structure's size: each sort as large as the structure has it,
  // and no smaller than the instance given (a structure may be smaller than any run that breaks
  // the property: one value cannot break agreement), with quorums of at least one member.
  std::map<std::string, int> size(out.proof.sizes.begin(), out.proof.sizes.end());
  for (auto& d : protocol.sorts) {
    if (!size.count(d.name) || d.isEnum()) continue;
    int k = size[d.name];
    if (d.sort.role == Role::Process) req.inst.n = std::max(req.inst.n, k);
    else if (d.sort.role == Role::Symmetric) req.inst.values = std::max(req.inst.values, k);
    else req.inst.ordered.at(d.sort.index) = std::max(req.inst.ordered.at(d.sort.index), k);
  }
  auto sizeQuorums = [&] {
    for (size_t k = 0; k < protocol.systems.size(); ++k) {
      int f = (req.inst.n - 1) / 2;
      req.inst.quorums[k] = static_cast<int>(protocol.systems[k].defaultSize(req.inst, f));
    }
  };
  sizeQuorums();
  for (bool tooSmall = true; tooSmall && req.inst.n < 16;) {
    tooSmall = false;
    for (size_t k = 0; k < protocol.systems.size(); ++k) tooSmall = tooSmall || mutated.quorumSize(req.inst, static_cast<int>(k) + 1) < 1;
    if (tooSmall) ++req.inst.n, sizeQuorums();
  }
  req.depth = std::max(req.depth, completenessThreshold(protocol, req.inst));
  // The invariant by induction at that size (a counterexample to induction at a finite size is
  // one for every size too), then bounded search for a real run.
  req.prove = true;
  out.bounded = runCheck(protocol, req);
  return out;
}

}  // namespace mw
