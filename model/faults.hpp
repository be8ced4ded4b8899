// Crash and recovery for any protocol file (`--faults restart`): a process may restart at any
// time and lose every state it does not keep on disk.
//
// A state function belongs to a process when its first index is the process sort (`maxBal[a]`,
// `votedFor[s, t]`, `log[s, i]`). The file marks those a process keeps across a restart with
// `, persistent`; the others are its memory. Restart(p) sets every cell of p's memory back to
// its initial value. Messages already sent stay sent: the network does not restart.
//
// The action is made for one instance, because a function with more indices than the process
// has one cell per element of the others (`votedFor[p, t]` for every term t), and the language's
// updates assign one cell each.
#pragma once

#include "model/model.hpp"

namespace mw {

// m with the action Restart(p) added (always, even when every state is persistent and it changes
// nothing), and `restarts` set; m itself if it has it already.
Model withRestarts(Model m, const Instance& in);

// The states of m that a restart could reset: the functions whose first index is the process sort.
bool belongsToProcess(const Func& f);

}  // namespace mw
