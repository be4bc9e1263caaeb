#include "planner/report/report_format.h"

#include "planner/report/github_annotations.h"
#include "planner/report/json_report.h"
#include "planner/report/sarif_report.h"
#include "planner/report/text_report.h"

namespace lockstep::report {

const std::vector<std::string>& ReportFormatNames() {
  static const std::vector<std::string> kNames = {"text", "json", "github", "sarif"};
  return kNames;
}

Result<ReportFormat> ParseReportFormat(std::string_view name) {
  if (name == "text") return ReportFormat::kText;
  if (name == "json") return ReportFormat::kJson;
  if (name == "github") return ReportFormat::kGithub;
  if (name == "sarif") return ReportFormat::kSarif;
  return Status::InvalidArgument("unknown format '" + std::string(name) +
                                 "' (expected text|json|github|sarif)");
}

void WriteReport(ReportFormat format, const std::vector<Diagnostic>& diagnostics,
                 const std::vector<RuleDescriptor>& rules, const Summary& summary,
                 std::ostream& out) {
  switch (format) {
    case ReportFormat::kText: WriteTextReport(diagnostics, summary, out); return;
    case ReportFormat::kJson: WriteJsonReport(diagnostics, summary, out); return;
    case ReportFormat::kGithub: WriteGithubReport(diagnostics, summary, out); return;
    case ReportFormat::kSarif: WriteSarifReport(diagnostics, rules, out); return;
  }
}

}  // namespace lockstep::report
