// Rewrites of a model at named sites, and the named catalog of single mutations.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "encoder/model.hpp"

namespace mw {

// Every expression node whose site is `site`, in guards and update values/arguments.
std::vector<Expr*> findSites(Model& m, const std::string& site);
Update* findUpdate(Model& m, const std::string& site);

// Site edits; each throws std::logic_error when the site is missing from the model.
void setComparison(Model& m, const std::string& site, Op op);
void dropConjunct(Model& m, const std::string& site);  // the conjunct becomes `true`
void dropUpdate(Model& m, const std::string& site);

struct Mutation {
  std::string name;
  std::string description;
  std::function<void(Model&)> apply;
};

const std::vector<Mutation>& catalog();
const Mutation* findMutation(const std::string& name);
// The model with the named mutations applied in order; throws std::invalid_argument on an
// unknown name.
Model mutate(Model m, const std::vector<std::string>& names);

}  // namespace mw
