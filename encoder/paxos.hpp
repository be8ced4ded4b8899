// Lamport's single-decree Paxos (the TLA+ spec Paxos.tla) written in the model language.
#pragma once

#include "encoder/model.hpp"

namespace mw {

// The model with its invariants (agreement, one-value-per-ballot), finished and ready to check.
Model paxosModel();

}  // namespace mw
