#include "planner/report/text_report.h"

namespace lockstep::report {

void WriteTextReport(const std::vector<Diagnostic>& diagnostics, const Summary& summary,
                     std::ostream& out) {
  for (const Diagnostic& d : diagnostics) {
    out << d.file;
    if (d.line > 0) out << ":" << d.line << ":" << d.column;
    out << ": " << SeverityName(d.severity) << "[" << d.rule_id << "]: " << d.message << "\n";
    if (!d.suggestion.empty()) out << "  suggestion: " << d.suggestion << "\n";
  }
  out << summary.ToString() << "\n";
}

}  // namespace lockstep::report
