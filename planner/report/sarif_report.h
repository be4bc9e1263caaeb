// SARIF 2.1.0 (the OASIS static-analysis format GitHub code scanning reads):
//   {"$schema", "version": "2.1.0", "runs": [{
//     "tool": {"driver": {"name": "lockstep", "rules": [{"id", "name",
//              "shortDescription": {"text"}, "defaultConfiguration": {"level"}}]}},
//     "results": [{"ruleId", "ruleIndex", "level": "error|warning|note",
//                  "message": {"text"}, "locations": [{"physicalLocation": {
//                  "artifactLocation": {"uri"}, "region": {"startLine", "startColumn"}}}],
//                  "properties": {"suggestion"}}]}]}
// Columns are bytes; for ASCII SQL that is what every viewer shows.
#pragma once

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "planner/report/diagnostic.h"

namespace lockstep::report {

// "error", "warning", "note": SARIF's result levels.
const char* SarifLevel(Severity severity);

// A file path as a SARIF artifact URI: relative paths stay relative, absolute
// ones become file:// URIs; bytes outside RFC 3986's unreserved set (and '/')
// are percent-encoded.
std::string SarifUri(std::string_view path);

// rules: every rule the tool has, in a fixed order (results refer to them by
// index); a result whose rule is not listed gets no ruleIndex.
void WriteSarifReport(const std::vector<Diagnostic>& diagnostics,
                      const std::vector<RuleDescriptor>& rules, std::ostream& out);

}  // namespace lockstep::report
