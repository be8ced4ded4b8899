// One self-contained HTML page per mutants run (`mutants --html`) or sweep (`sweep --html`):
// no network, no script from elsewhere; it prints well too.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "queries/check.hpp"

namespace mw {

// What changed between the protocol and a mutant, in the protocol file's own words: for each
// action, the smallest part of a guard conjunct or update that differs (before, after), then
// quorum sizes and persistence.
struct TextChange {
  std::string where;  // "Phase1b, at Phase1b.promise"
  std::string before, after;
};
std::vector<TextChange> changedText(const Model& before, const Model& after);

// The data the page's step-through reads: the state cells by variable, their values in the
// initial state and after each step, the messages by the step that sent them, the step lines
// (unnumbered; the page numbers them).
nlohmann::json stepperData(const CheckResult& r);

struct HtmlMutant {
  std::string id, title, verdict, description;
  std::string kind;          // killed, survived, unknown, equivalent, not run
  std::string equivalentTo;  // kind equivalent
  std::string note;          // survived: what that means
  std::vector<TextChange> changes;
  std::string why, svg;      // killed
  std::vector<std::string> steps;  // killed: the text lines
  nlohmann::json stepper;          // killed in this run: stepperData; null when read back from --jsonl
};

std::string mutantsHtml(const std::string& protocol, const std::string& head, const std::string& summary,
                        const std::vector<HtmlMutant>& rows);

// The sweep page: the parameters, the heat map (an SVG) and the text report.
std::string sweepHtml(const std::string& protocol, const std::string& head, const std::string& svg, const std::string& text);

}  // namespace mw
