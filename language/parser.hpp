// Protocol files: the text a user writes (protocols/*.mw), read into the model language.
//
// A file declares sorts with roles (process, ordered, symmetric), quorum systems, state,
// message types, definitions, actions whose guard conjuncts (`when label: ...`) and updates
// (`do label: ...`) carry the labels mutations refer to, invariants with their one-line texts,
// and the named conjuncts of an inductive invariant. docs/language.md is the reference;
// protocols/paxos.mw is the example to read first.
//
// Every error is one line, `file:line:col: what is wrong; what was expected`: unknown names,
// sort errors, unbound variables, duplicate labels, sends with the wrong fields, invariants with
// free variables, unknown quorum systems. The parser never crashes on any input (fuzzed).
#pragma once

#include <stdexcept>
#include <string>

#include "model/model.hpp"

namespace mw {

struct ProtocolError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Parses `text`; `where` names it in errors (a path, or "paxos" for a built-in file).
// Throws ProtocolError.
Model parseProtocol(const std::string& text, const std::string& where);

}  // namespace mw
