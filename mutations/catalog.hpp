// Rewrites of a model at named sites, and the named mutations of a protocol file.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "model/model.hpp"

namespace mw {

// Every expression node whose site is `site`, in guards and update values/arguments.
std::vector<Expr*> findSites(Model& m, const std::string& site);
Update* findUpdate(Model& m, const std::string& site);

// Site edits; each throws std::logic_error when the site is missing from the model.
void setComparison(Model& m, const std::string& site, Op op);
void dropConjunct(Model& m, const std::string& site);  // the conjunct becomes `true`
void dropUpdate(Model& m, const std::string& site);

// The protocol's named mutations, as its file declares them (`mutation NAME "text": ...`).
const std::vector<CatalogEntry>& catalog(const Model& m);
const CatalogEntry* findMutation(const Model& m, const std::string& name);
// Applies every change of the entry; throws std::logic_error when a label is gone.
void applyEntry(Model& m, const CatalogEntry& entry);
// The model with the named mutations applied in order: catalog names, or the ids `mutants`
// prints; throws std::invalid_argument on an unknown name or two that conflict.
Model mutate(Model m, const std::vector<std::string>& names);

}  // namespace mw
