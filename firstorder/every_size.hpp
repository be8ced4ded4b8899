// Safe for every size: the protocol file's inductive invariant checked in many-sorted first-order
// logic, in the style of Ivy and mypyvy, so that a proof holds for every number of processes,
// ballots and values at once.
//
// The encoding (docs/every-size.md):
// - every sort of the file is an uninterpreted sort of any size; a `sort?` is the same sort with
//   one more element, `none`;
// - an ordered sort is a total order (axioms), with `none` below every element and the constant
//   0 its least element;
// - each quorum system is a sort with a membership relation; `atleast SYSTEM x. P(x)` reads "some
//   quorum of the system has every member satisfy P", and the file's `expect safe when` condition
//   becomes intersection axioms (q1 + q2 > n: every phase-1 quorum meets every phase-2 quorum;
//   q1 + 2 q2f > 2n: every phase-1 quorum meets every two fast quorums in one process);
// - state functions and message relations are function symbols, primed after a step.
// Then Init => Inv, Inv /\ Action => Inv' for every action and conjunct, and Inv => property are
// each one Z3 query; unsatisfiable is a proof for every size, a model is a counterexample to
// induction: a finite structure, printed like a state.
#pragma once

#include <atomic>
#include <functional>
#include <string>
#include <vector>

#include "model/model.hpp"

namespace mw {

struct EverySizeResult {
  enum class Outcome { Proved, NotInductive, Unknown } outcome = Outcome::Unknown;
  std::vector<std::string> assumptions;  // what the proof assumes, in words (the axioms)
  std::string failedStep;                // "init", "step" or "implies"
  std::string conjunct, action;          // which conjunct broke, under which action (step)
  std::vector<std::string> structure;    // the counterexample to induction, as lines
  std::vector<std::pair<std::string, int>> sizes;  // its sorts' sizes (proper elements), by sort name
  std::string fragment;  // whether the queries stay in EPR, and which left it and why
  int queries = 0;
  double seconds = 0;
  std::string reason;  // unknown: why
  std::vector<std::string> unknownSteps;  // every query Z3 left undecided (the proof goes on past them)
  int noIntersectionAt = 0;  // the least n at which a size condition fails, so its axiom is left out (0: none)
};

// m: the (mutated) protocol, before any instance; property: the name of one of its invariants.
// Throws std::invalid_argument for a construct the encoding does not cover yet (the message
// says which).
// at: quorum sizes fixed by one instance (a sweep's cell, sizes given on the command line): each
// intersection axiom is granted if that instance's sizes meet, and the proof is for every number
// of the other sorts' elements and every n whose quorums meet so. Without it, an axiom is granted
// only if the file's size expressions meet at every n from 1 to 64.
// progress: one line per query answered (which, the answer, its seconds).
// A query Z3 leaves undecided (unknown) does not end the proof: the others are still asked, so a
// later counterexample to induction is still found, and an Unknown outcome lists every undecided
// query (unknownSteps). querySeconds: each query's limit (0: 20 s).
EverySizeResult proveEverySize(const Model& m, const std::string& property, double timeoutSeconds, const Instance* at = nullptr,
                               const std::atomic<bool>* stop = nullptr,
                               const std::function<void(const std::string&)>& progress = nullptr, double querySeconds = 0);

// The outcome as --json writes it: "proved", "not proved" or "unknown".
const char* outcomeWord(EverySizeResult::Outcome o);
// Why a proof did not go through: "C is not preserved by A(...)", "Init breaks C", "the invariant
// does not imply the property", or (unknown) Z3's reason.
std::string notProvedText(const EverySizeResult& e);

// Which intersection axioms proveEverySize(m, ..., at) would use, one per comparison of the
// file's `expect safe when`, decided without Z3.
std::vector<bool> grantedAxioms(const Model& m, const Instance* at);

// Candidates any protocol offers a Houdini search, built from its declarations alone: "no R is
// ever sent" for each message type, "f keeps its initial value" for each state function. A
// mutant that disables a step for good (a guard that can never hold) is proved safe by these.
std::vector<Invariant> templateConjuncts(const Model& m);

// A Houdini search: from the pool, drop every candidate Init does not establish, then, round after
// round, every candidate some action does not keep given all that are left, until a round drops
// none. What is left is inductive; if it implies the property, the protocol holds for every size.
// querySeconds: each query's budget (an unknown answer drops the candidate); timeoutSeconds: the
// whole search's (past it, Unknown).
struct HoudiniResult {
  enum class Outcome { Proved, NotProved, Unknown } outcome = Outcome::Unknown;
  std::vector<std::string> kept;         // the candidates left, by name (Proved: the proof)
  std::vector<std::string> assumptions;  // as for proveEverySize
  int candidates = 0, queries = 0, rounds = 0;
  double seconds = 0;
  std::string reason;  // NotProved, Unknown: why
};
HoudiniResult houdiniEverySize(const Model& m, const std::string& property, const std::vector<Invariant>& pool, double timeoutSeconds,
                               double querySeconds, const Instance* at = nullptr, const std::atomic<bool>* stop = nullptr,
                               const std::function<void(const std::string&)>& progress = nullptr);

}  // namespace mw
