#include "queries/mutants.hpp"

#include <algorithm>
#include <chrono>
#include <exception>
#include <map>
#include <mutex>
#include <thread>

#include <z3++.h>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "firstorder/every_size.hpp"
#include "queries/every_size.hpp"
#include "mutations/catalog.hpp"
#include "queries/completeness.hpp"
#include "mutations/equivalence.hpp"
#include "mutations/same_change.hpp"
#include "queries/lessons.hpp"
#include "solver/memory.hpp"

namespace mw {

namespace {
constexpr double kEverySizeSeconds = 30;  // a survivor's whole every-size proof
constexpr double kHoudiniSeconds = 60;    // if the file's invariant fails, the Houdini search
constexpr double kHoudiniQuerySeconds = 5;  // each of its queries
constexpr double kLargerSeconds = 30;     // then its check at a larger instance
constexpr double kOwnProofSeconds = 300;  // the protocol's own inductive invariant, proved once per run

// changed: the actions the mutant changes, when the protocol's own proof holds and covers the rest.
void checkOne(const Model& protocol, const Mutant& m, const MutantsRequest& req, MutantRow& row,
              std::optional<std::vector<int>> changed) {
  CheckRequest cr = req.check;
  cr.progress = nullptr;
  cr.z3DelaySeconds = 2;
  cr.changedActions = std::move(changed);
  CheckResult r = checkModel(m.model, cr);
  r.original = protocol;  // with its faults, as runMutants made it
  row.done = !(r.verdict == Verdict::Unknown && r.reason == "interrupted");
  row.verdict = r.verdict;
  row.length = r.length;
  row.depthChecked = r.depthChecked;
  row.everyRun = r.exhausted;
  row.engine = r.answeredBy;
  row.changedOnly = r.answeredBy == "induction" && cr.changedActions.has_value();
  row.seconds = r.seconds;
  row.reason = r.reason;
  if (r.verdict == Verdict::Violated) {
    r.why = whyItBreaks(r);
    row.why = r.why;
    for (auto& s : r.trace->steps) row.trace.push_back(stepLine(r.model, s));
    row.result = std::move(r);
  }
}
// A survivor not proved for every size, checked at a larger instance: one more ballot (each
// ordered sort one larger) and one more value, then grown where the failed proof points
// (growForEverySize); at most kLargerSeconds. Says what it found in row.everySizeText.
void largerInstance(const Model& mutant, const MutantsRequest& req, const EverySizeResult& e, MutantRow& row) {
  CheckRequest cr = req.check;
  cr.progress = nullptr;
  cr.prove = false;
  cr.timeoutSeconds = kLargerSeconds;
  for (auto& d : mutant.sorts) {
    if (d.isEnum()) continue;
    if (d.sort.role == Role::Symmetric) cr.inst.values += 1;
    else if (d.sort.role == Role::Ordered) cr.inst.ordered.at(d.sort.index) += 1;
  }
  growForEverySize(mutant, mutant, e, req.sizesGiven, cr.inst);
  cr.depth = std::max(cr.depth, completenessThreshold(mutant, cr.inst));
  CheckResult r = checkModel(instanceModel(mutant, cr), cr);
  std::string at;
  for (auto& d : mutant.sorts)
    if (!d.isEnum() && d.sort.role != Role::Process) at += fmt::format(" {}={}", d.key(), cr.inst.size(d.sort));
  std::string q;
  for (size_t k = 0; k < mutant.systems.size(); ++k) q += fmt::format(" {}={}", mutant.systems[k].key(), mutant.quorumSize(cr.inst, static_cast<int>(k) + 1));
  at = fmt::format("n={}{}{}", cr.inst.n, cr.inst.n != req.check.inst.n ? q : "", at);
  if (r.verdict == Verdict::Violated) {
    row.everySize = "killed larger";
    row.everySizeText += fmt::format("; killed at the larger instance {}: {} breaks after {} actions", at, r.request.invariant, r.length);
  } else if (r.verdict == Verdict::Holds) {
    row.everySizeText += fmt::format("; survives the larger instance {} too ({})", at,
                                     r.exhausted ? "every run" : fmt::format("to {} actions", r.depthChecked));
  } else {
    row.everySizeText += fmt::format("; at the larger instance {}: unknown ({})", at, r.reason);
  }
}

// A survivor's size-free verdict: (a) the protocol's own inductive invariant on the mutant, (b) a
// Houdini search, (c) a larger instance.
void everySizeOf(const Model& protocol, const Model& mutant, const MutantsRequest& req, MutantRow& row) {
  try {
    const Instance* at = req.sizesGiven ? &req.check.inst : nullptr;
    EverySizeResult e = proveEverySize(mutant, req.check.invariant, kEverySizeSeconds, at, req.check.stop);
    if (e.outcome == EverySizeResult::Outcome::Proved) {
      row.everySize = "proved";
      row.everySizeText = fmt::format("safe for every size: the inductive invariant ({} conjuncts) holds on it", mutant.inductive.size());
      for (auto& c : mutant.inductive) row.everySizeConjuncts.push_back(c.name + ": " + c.description);
      return;
    }
    std::string failed = notProvedText(e);
    // (b) A Houdini search: the invariant's conjuncts, each rewritten by the mutant's change, and
    // the candidates every protocol offers.
    std::vector<Invariant> pool = mutant.inductive;
    for (auto& c : sameChangeOnInvariant(protocol, mutant)) pool.push_back(std::move(c));
    for (auto& c : templateConjuncts(mutant)) pool.push_back(std::move(c));
    HoudiniResult h = houdiniEverySize(mutant, req.check.invariant, pool, kHoudiniSeconds, kHoudiniQuerySeconds, at, req.check.stop);
    if (h.outcome == HoudiniResult::Outcome::Proved) {
      std::vector<std::string> added;  // the kept candidates that are not the file's own conjuncts
      for (size_t k = mutant.inductive.size(); k < pool.size(); ++k)
        if (std::find(h.kept.begin(), h.kept.end(), pool[k].name) != h.kept.end()) added.push_back(pool[k].name);
      row.everySize = "proved";
      row.everySizeText = fmt::format(
          "safe for every size: not by the file's invariant ({}), but a Houdini search keeps {} of {} candidates, an "
          "inductive invariant that implies {} ({} queries, {:.1f} s); new in it: {}",
          failed, h.kept.size(), h.candidates, req.check.invariant, h.queries, h.seconds, fmt::join(added, ", "));
      for (auto& c : pool)
        if (std::find(h.kept.begin(), h.kept.end(), c.name) != h.kept.end()) row.everySizeConjuncts.push_back(c.name + ": " + c.description);
      return;
    }
    row.everySize = e.outcome == EverySizeResult::Outcome::Unknown && h.outcome == HoudiniResult::Outcome::Unknown ? "unknown" : "not proved";
    row.everySizeText = fmt::format("not proved for every size: {}; a Houdini search over {} candidates: {}", failed, h.candidates,
                                    h.outcome == HoudiniResult::Outcome::NotProved ? h.reason : "unknown, " + h.reason);
    largerInstance(mutant, req, e, row);
  } catch (const std::invalid_argument& e) {
    row.everySize = "unknown";
    row.everySizeText = e.what();
  }
}
}  // namespace

MutantsResult runMutants(const Model& given, const MutantsRequest& req) {
  auto start = std::chrono::steady_clock::now();
  std::vector<Mutant> mutants = generateMutants(given, req.operators);
  // Without restarts a forgotten state is never lost: those mutants would change nothing.
  if (!req.check.restarts)
    mutants.erase(std::remove_if(mutants.begin(), mutants.end(), [](const Mutant& m) { return m.op == "forget"; }), mutants.end());
  // Every model, the protocol's and each mutant's, is made ready for the instance (its `forall`
  // updates expanded, and under --faults restart its Restart action) before anything compares or
  // checks them.
  const Model protocol = instanceModel(given, req.check);
  std::vector<Model> plain;  // each mutant before its instance: what the every-size proof reads
  if (req.everySize)
    for (auto& m : mutants) plain.push_back(m.model);
  for (auto& m : mutants) m.model = instanceModel(std::move(m.model), req.check);
  bool stopped = req.check.stop && req.check.stop->load();
  std::vector<int> equivalent(mutants.size(), kDistinct);
  std::vector<MutantScope> scopes;  // what each mutant changes: for the comparison and for its proof
  for (auto& m : mutants) scopes.push_back(scopeOf(protocol, m.model));
  // The equivalence queries make Z3 contexts too: past the memory limit one is refused, and the
  // run stops there as it would in a check (unknown, "memory limit"), never as an internal error.
  try {
    if (!stopped) equivalent = findEquivalents(protocol, mutants, req.check.inst, req.check.stop, req.onEquivalence, &scopes);
  } catch (const z3::exception& e) {
    if (!isZ3OutOfMemory(e)) throw;
    noteMemoryLimitReached();
  }
  // The catalog names each generated id stands for, worked out once per run.
  std::map<std::string, std::vector<std::string>> namesOf;
  for (auto& c : catalog(protocol)) namesOf[catalogAlias(protocol, c.name)].push_back(c.name);
  auto aliases = [&](const std::string& id) {
    auto it = namesOf.find(id);
    return it == namesOf.end() ? std::vector<std::string>{} : it->second;
  };
  MutantsResult res;
  std::vector<size_t> rowOf(mutants.size(), SIZE_MAX);  // mutant index -> row, for this shard's mutants
  std::vector<size_t> mutantOf;                          // row -> mutant index
  for (size_t i = 0; i < mutants.size(); ++i) {
    if (static_cast<int>(i % std::max(1, req.shards)) != req.shard - 1) continue;
    rowOf[i] = res.rows.size();
    mutantOf.push_back(i);
    MutantRow row;
    row.id = mutants[i].id;
    row.op = mutants[i].op;
    row.site = mutants[i].site;
    row.description = mutants[i].description;
    row.aliases = aliases(row.id);
    if (equivalent[i] == kSameAsOriginal) row.equivalentTo = "original";
    if (equivalent[i] >= 0) row.equivalentTo = mutants[equivalent[i]].id;
    res.rows.push_back(std::move(row));
  }
  // Aliases of equivalent mutants belong to the mutant they are reported as (in any shard).
  for (size_t i = 0; i < mutants.size(); ++i)
    if (equivalent[i] >= 0 && rowOf[equivalent[i]] != SIZE_MAX)
      for (auto& name : aliases(mutants[i].id)) res.rows[rowOf[equivalent[i]]].aliases.push_back(name);

  std::mutex mu;
  std::vector<size_t> todo;
  for (size_t i = 0; i < res.rows.size(); ++i) {
    MutantRow& row = res.rows[i];
    if (!row.equivalentTo.empty()) {
      if (req.onRecord && !req.known.count(row.id)) req.onRecord(row);
    } else if (auto it = req.known.find(row.id); it != req.known.end()) {
      std::vector<std::string> aliases = row.aliases;
      row = it->second;
      row.aliases = aliases;
    } else {
      todo.push_back(i);
    }
  }
  // The protocol's inductive invariant, proved once (when any mutant is left to check): a mutant's
  // proof then asks only the actions it changes (its other actions, its initial state and Inv =>
  // the invariant are the protocol's).
  bool ownProof = false;
  bool induction = req.check.engine == "auto" || req.check.engine == "induction" || req.check.prove;
  if (induction && !todo.empty() && !protocol.inductive.empty() && !(req.check.stop && req.check.stop->load())) {
    std::string name = req.check.invariant.empty() && !protocol.invariants.empty() ? protocol.invariants.front().name
                                                                                    : req.check.invariant;
    if (const Invariant* inv = protocol.invariant(name)) {
      if (req.onPhase) req.onPhase("proving the protocol's inductive invariant once, for the actions a mutant leaves as they are");
      try {
        EngineQuery q;
        q.model = &protocol;
        q.inst = req.check.inst;
        q.invariant = name;
        q.holds = &inv->holds;
        // Done once for every mutant, so it gets more than one mutant's time: at least kOwnProofSeconds.
        q.timeoutSeconds = req.check.timeoutSeconds > 0 ? std::max(req.check.timeoutSeconds, kOwnProofSeconds) : 0;
        q.stop = req.check.stop;
        InductionResult own = *makeEngine("induction")->check(q).induction;
        ownProof = own.verdict == Verdict::Holds;
        if (req.onPhase)
          req.onPhase(ownProof ? fmt::format("the protocol's inductive invariant holds ({:.1f} s)", own.seconds)
                               : fmt::format("the protocol's inductive invariant is not proved ({}): each mutant's proof asks every action",
                                             own.reason.empty() ? "step " + own.failedStep + " fails" : own.reason));
      } catch (const z3::exception& e) {
        if (!isZ3OutOfMemory(e)) throw;
        noteMemoryLimitReached();
      }
    }
  }
  std::atomic<size_t> next{0};
  int finished = 0;
  // An exception in a worker (a bug, or a protocol a stage cannot handle yet) ends every worker
  // and is rethrown here, never left to terminate the process.
  std::exception_ptr failed;
  std::atomic<bool> failing{false};
  auto worker = [&] {
    for (;;) {
      if ((req.check.stop && req.check.stop->load()) || failing.load()) return;
      size_t k = next.fetch_add(1);
      if (k >= todo.size()) return;
      MutantRow& row = res.rows[todo[k]];
      try {
        const Mutant& mutant = mutants[mutantOf[todo[k]]];
        std::optional<std::vector<int>> changed;
        if (const MutantScope& scope = scopes[mutantOf[todo[k]]]; ownProof && !scope.global) changed = scope.actions;
        checkOne(protocol, mutant, req, row, std::move(changed));
        if (req.everySize && row.done && row.verdict == Verdict::Holds) everySizeOf(given, plain[mutantOf[todo[k]]], req, row);
      } catch (...) {
        try {
          throw;
        } catch (const z3::exception& e) {  // a Z3 context refused past the memory limit: a stop
          if (isZ3OutOfMemory(e)) {
            noteMemoryLimitReached();
            return;
          }
        } catch (...) {
        }
        std::lock_guard<std::mutex> lock(mu);
        if (!failed) failed = std::current_exception();
        failing = true;
        return;
      }
      if (!row.done) return;
      std::lock_guard<std::mutex> lock(mu);
      ++finished;
      if (req.onRecord) req.onRecord(row);
      if (req.onResult) req.onResult(row, finished, static_cast<int>(todo.size()));
    }
  };
  int jobs = std::max(1, req.jobs);
  std::vector<std::thread> pool;
  for (int j = 1; j < jobs; ++j) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
  if (failed) std::rethrow_exception(failed);
  res.interrupted = req.check.stop && req.check.stop->load();
  if (res.interrupted) res.stopReason = stopReason();
  res.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return res;
}

std::vector<const MutantRow*> ranked(const MutantsResult& r) {
  std::vector<const MutantRow*> out;
  for (auto& row : r.rows) out.push_back(&row);
  auto rank = [](const MutantRow* x) {
    if (!x->equivalentTo.empty()) return 4;
    if (!x->done) return 3;
    return x->verdict == Verdict::Violated ? 0 : x->verdict == Verdict::Unknown ? 1 : 2;
  };
  std::stable_sort(out.begin(), out.end(), [&](const MutantRow* a, const MutantRow* b) {
    if (rank(a) != rank(b)) return rank(a) < rank(b);
    if (rank(a) == 0 && a->length != b->length) return a->length < b->length;
    return a->id < b->id;
  });
  return out;
}

}  // namespace mw
