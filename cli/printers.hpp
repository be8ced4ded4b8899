// Turning a check result into what users read: plain text, JSON, ITF JSON, Mermaid.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "queries/check.hpp"

namespace mw {

std::string instanceLine(const CheckResult& r);

std::string textReport(const CheckResult& r);
nlohmann::json jsonReport(const CheckResult& r);
nlohmann::json itfTrace(const CheckResult& r);      // no states when there is no trace
// The replayed trace for scripts and pictures: per step its number, action, parameters, quorum,
// messages sent, state cells changed (before and after), and the text line as printed.
nlohmann::json traceSteps(const CheckResult& r);   // [] without a trace
// Steps read back from a --jsonl file: objects (traceSteps) or, as older files wrote them, text
// lines; the text lines either way ("N. " prefixed when `numbered`).
std::vector<std::string> traceTexts(const nlohmann::json& steps, bool numbered);
std::string mermaidDiagram(const CheckResult& r);   // needs r.trace
std::string svgDiagram(const CheckResult& r);       // needs r.trace (cli/svg_diagram.cpp)

double peakMemoryMB();

// Text made safe inside XML and HTML, attribute values included: & < > " as entities.
std::string xmlEscaped(const std::string& s);

}  // namespace mw
