// What lockstep reports about a change: lint findings, and later the plan's
// check results. Every report format (text, json, github, sarif) writes these.
#pragma once

#include <string>
#include <vector>

namespace lockstep::report {

enum class Severity { kError, kWarning, kInfo };

// "error", "warning", "info": the words the text and json formats use.
const char* SeverityName(Severity severity);

struct Diagnostic {
  std::string rule_id;  // stable: "LS101"
  Severity severity = Severity::kError;
  std::string file;
  int line = 0;    // 1-based; 0 when the finding is about the file as a whole
  int column = 0;  // 1-based, in bytes
  std::string message;
  std::string suggestion;  // what to do instead; may be empty
};

// A rule as report formats describe it (SARIF's tool.driver.rules, --list-rules).
struct RuleDescriptor {
  std::string id;    // "LS101"
  std::string name;  // "drop-column"
  std::string short_description;
  Severity default_severity = Severity::kError;
};

struct Summary {
  int errors = 0;
  int warnings = 0;
  int infos = 0;
  int files = 0;

  static Summary Count(const std::vector<Diagnostic>& diagnostics, int files);
  // "2 errors, 1 warning, 0 infos in 3 files"
  std::string ToString() const;
};

// Orders by file, line, column; keeps the given order among equals (rules run in
// a fixed order, so their findings at one spot stay in that order).
void SortDiagnostics(std::vector<Diagnostic>* diagnostics);

}  // namespace lockstep::report
