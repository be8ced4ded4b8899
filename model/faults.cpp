#include "model/faults.hpp"

namespace mw {

bool belongsToProcess(const Func& f) {
  return !f.args.empty() && f.args[0].role == Role::Process && !f.args[0].withNone;
}

Model withRestarts(Model m, const Instance& in) {
  if (m.restarts) return m;
  Action restart;
  restart.name = "Restart";
  for (auto& a : m.actions)
    if (a.name == restart.name) restart.name += "'";  // the file has a Restart of its own
  restart.params = {{"p", Sort{Role::Process, false, 0}}};
  for (size_t f = 0; f < m.funcs.size(); ++f) {
    const Func& fn = m.funcs[f];
    if (fn.persistent || !belongsToProcess(fn)) continue;
    std::vector<Sort> rest(fn.args.begin() + 1, fn.args.end());
    for (auto& t : tuples(in, rest)) {
      Update u;
      u.kind = Update::Kind::Assign;
      u.ref = static_cast<int>(f);
      u.args.push_back(var(0));
      for (int v : t) u.args.push_back(constant(v));
      u.value = constant(fn.init);
      u.site = "Restart.forget-" + fn.name;
      restart.updates.push_back(std::move(u));
    }
  }
  // With every state persistent the action changes nothing, and is kept all the same: a mutant
  // that forgets a state is compared with the protocol step by step, Restart included.
  Model out = std::move(m);
  out.actions.push_back(std::move(restart));
  out.restarts = true;
  out.finish();
  return out;
}

}  // namespace mw
