// The diagrams' lifelines, shared by the Mermaid and the SVG sequence diagrams.
#pragma once

#include <cctype>
#include <string>
#include <vector>

#include "model/model.hpp"

namespace mw {

// The lifelines the file declares (`lifelines`), or else one per element of the first ordered
// sort and one per process. A message with a route (`from FIELD to FIELD|SORT`) is an arrow from
// the sender's lifeline to the receiver's, or to every lifeline of the receiving sort; a step
// that sends nothing, or a message with no route, is a note over the lifeline of its action's
// first parameter that has one.
struct Lifelines {
  std::vector<LifelineGroup> groups;
  std::vector<std::string> letters;  // participant ids: letter + number

  Lifelines(const Model& m) : groups(m.lifelines) {
    if (groups.empty()) {
      for (auto& d : m.sorts)
        if (m.hasOrder(d.sort)) {
          groups.push_back({d.sort, d.name, false});
          break;
        }
      for (auto& d : m.sorts)
        if (d.sort.role == Role::Process) groups.push_back({d.sort, d.name, false});
    }
    for (size_t g = 0; g < groups.size(); ++g) {
      std::string l(1, static_cast<char>(std::toupper(static_cast<unsigned char>(groups[g].label.empty() ? 'L' : groups[g].label[0]))));
      if (!std::isalpha(static_cast<unsigned char>(l[0]))) l = "L";
      for (size_t h = 0; h < g; ++h)
        if (letters[h] == l) l += std::to_string(g);
      letters.push_back(l);
    }
  }
  int group(Sort s) const {
    s.withNone = false;
    for (size_t g = 0; g < groups.size(); ++g)
      if (!groups[g].single && groups[g].sort == s) return static_cast<int>(g);
    return -1;
  }
  // Elements are numbered as printed: ordered sorts from 0, the others from 1.
  std::string id(int g, int v) const {
    if (groups[g].single) return letters[g];
    return letters[g] + std::to_string(groups[g].sort.role == Role::Ordered ? v : v + 1);
  }
  int count(const Instance& in, int g) const {
    return groups[g].single ? 1 : in.hi(groups[g].sort) - in.lo(groups[g].sort) + 1;
  }
  int first(const Instance& in, int g) const { return groups[g].single ? 0 : in.lo(groups[g].sort); }
  // The lifeline a message of rel with these fields is drawn from: "" when rel has no route or
  // the field that names the sender is none.
  std::string sender(const Relation& rel, const std::vector<int>& fields) const {
    if (!rel.route) return "";
    if (rel.route->from < 0) return id(rel.route->fromGroup, 0);
    int v = fields[rel.route->from];
    return v == kNone ? "" : id(group(rel.sorts[rel.route->from]), v);
  }
  // Where its route sends it: the lifeline a field names, or every lifeline of a sort but `from`.
  std::vector<std::string> routeTargets(const Relation& rel, const std::vector<int>& fields, const Instance& in,
                                        const std::string& from) const {
    std::vector<std::string> to;
    if (!rel.route) return to;
    if (rel.route->to >= 0) {
      if (fields[rel.route->to] != kNone) to.push_back(id(group(rel.sorts[rel.route->to]), fields[rel.route->to]));
    } else {
      for (int k = 0; k < count(in, rel.route->toGroup); ++k)
        if (std::string x = id(rel.route->toGroup, first(in, rel.route->toGroup) + k); x != from) to.push_back(x);
    }
    return to;
  }
  std::string name(const Model& m, int g, int v) const {
    return groups[g].single ? groups[g].label : groups[g].label + " " + showValue(m, groups[g].sort, v);
  }
};

}  // namespace mw
