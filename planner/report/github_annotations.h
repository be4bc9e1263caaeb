// GitHub Actions workflow commands: `::error file=F,line=L,col=C,title=T::message`
// lines that the Actions runner turns into annotations on the pull request.
//
// The runner splits a command at ',' and '::' and reads '%XX' escapes, so
// every value is escaped as the runner expects (actions/toolkit, command.ts):
// data: '%' -> %25, '\r' -> %0D, '\n' -> %0A; properties additionally
// ':' -> %3A, ',' -> %2C.
#pragma once

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "planner/report/diagnostic.h"

namespace lockstep::report {

std::string EscapeGithubData(std::string_view s);
std::string EscapeGithubProperty(std::string_view s);

// "error", "warning", "notice": the command for a severity.
const char* GithubCommand(Severity severity);

// One annotation line (without the newline). The title is the rule id; the
// message carries the suggestion on a second line.
std::string GithubAnnotation(const Diagnostic& diagnostic);

// One annotation line per diagnostic, then the summary as a plain log line.
void WriteGithubReport(const std::vector<Diagnostic>& diagnostics, const Summary& summary,
                       std::ostream& out);

}  // namespace lockstep::report
