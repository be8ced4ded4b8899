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
std::string mermaidDiagram(const CheckResult& r);   // needs r.trace

double peakMemoryMB();

}  // namespace mw
