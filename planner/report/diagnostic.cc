#include "planner/report/diagnostic.h"

#include <algorithm>
#include <tuple>

namespace lockstep::report {
namespace {

std::string Plural(int n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

}  // namespace

const char* SeverityName(Severity severity) {
  switch (severity) {
    case Severity::kError: return "error";
    case Severity::kWarning: return "warning";
    case Severity::kInfo: return "info";
  }
  return "error";
}

Summary Summary::Count(const std::vector<Diagnostic>& diagnostics, int files) {
  Summary s;
  s.files = files;
  for (const Diagnostic& d : diagnostics) {
    switch (d.severity) {
      case Severity::kError: ++s.errors; break;
      case Severity::kWarning: ++s.warnings; break;
      case Severity::kInfo: ++s.infos; break;
    }
  }
  return s;
}

std::string Summary::ToString() const {
  return Plural(errors, "error", "errors") + ", " + Plural(warnings, "warning", "warnings") + ", " +
         Plural(infos, "info", "infos") + " in " + Plural(files, "file", "files");
}

void SortDiagnostics(std::vector<Diagnostic>* diagnostics) {
  std::stable_sort(diagnostics->begin(), diagnostics->end(),
                   [](const Diagnostic& a, const Diagnostic& b) {
                     return std::tie(a.file, a.line, a.column) < std::tie(b.file, b.line, b.column);
                   });
}

}  // namespace lockstep::report
