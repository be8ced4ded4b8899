// Generic mutation operators over the model language. Each applies at every site of its kind in
// any protocol written in the language, so a second protocol gets its mutants for free:
//
//   comparison  each `x op y` becomes each other of <, <=, >, >=, =, !=
//   weaken      each conjunct of each guard (top level or nested) removed
//   update      each assignment of each action removed (the variable keeps its old value)
//   variable    a state variable read in a guard or a message field replaced by another of the
//               same sort (a 1b reporting maxBal where it should report maxVBal)
//   quorum      each quorum system's quorums one member smaller
//   choice      a declared choice rule ("the value of the highest-ballot vote") made to take
//               the lowest, or any value
//   forget      a persistent state made volatile: a restart (--faults restart) resets it
//
// Every mutant has a stable id (`Phase1b.promise:>=`), one line in words, and its site.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "model/model.hpp"

namespace mw {

struct Mutant {
  std::string id;           // stable: site + ":" + change
  std::string op;           // the operator that made it
  std::string site;
  std::string description;  // one line, in words
  Model model;
};

const std::vector<std::string>& operatorNames();
// Every single-site mutant of m made by the named operators (all when empty), in a fixed order.
// Throws std::invalid_argument for an unknown operator name.
std::vector<Mutant> generateMutants(const Model& m, const std::vector<std::string>& operators = {});

// The generated id a catalog mutation of m stands for (read off its one change), or "" if no
// operator makes it.
std::string catalogAlias(const Model& m, const std::string& catalogName);

// An expression as text, with the action's parameter names: `b > maxBal[a]`.
// The binders in scope at a node: slot -> its name in the file.
using Scope = std::map<int, std::string>;
std::string showExpr(const Model& m, const Action* act, const Expr& e, const Scope& scope = {});

}  // namespace mw
