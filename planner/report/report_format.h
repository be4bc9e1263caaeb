// The report formats lint and plan share, and one call that writes any of them.
#pragma once

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "planner/report/diagnostic.h"

namespace lockstep::report {

enum class ReportFormat { kText, kJson, kGithub, kSarif };

// {"text", "json", "github", "sarif"}: for --format's help and validation.
const std::vector<std::string>& ReportFormatNames();
Result<ReportFormat> ParseReportFormat(std::string_view name);

// rules: only SARIF lists them; the other formats ignore them.
void WriteReport(ReportFormat format, const std::vector<Diagnostic>& diagnostics,
                 const std::vector<RuleDescriptor>& rules, const Summary& summary,
                 std::ostream& out);

}  // namespace lockstep::report
