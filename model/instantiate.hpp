// A model made ready for one instance: every update done `forall x: S.` becomes one update per
// element of S, with x replaced by that element, and every subset test `x in S` becomes the
// equalities with S's elements in that instance. The engines, the interpreters and the
// footprints then see only plain updates. Mutations work on the file's model, before this.
#pragma once

#include "model/model.hpp"

namespace mw {

// m itself (moved through, not copied) if nothing needs it; else with those updates and tests expanded.
Model instantiate(Model m, const Instance& in);

// e with every Var(slot) of `slot` replaced by the constant v.
Expr substitute(const Expr& e, int slot, int v);

}  // namespace mw
