#include "planner/report/github_annotations.h"

namespace lockstep::report {

std::string EscapeGithubData(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '%': out += "%25"; break;
      case '\r': out += "%0D"; break;
      case '\n': out += "%0A"; break;
      default: out += c;
    }
  }
  return out;
}

std::string EscapeGithubProperty(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '%': out += "%25"; break;
      case '\r': out += "%0D"; break;
      case '\n': out += "%0A"; break;
      case ':': out += "%3A"; break;
      case ',': out += "%2C"; break;
      default: out += c;
    }
  }
  return out;
}

const char* GithubCommand(Severity severity) {
  switch (severity) {
    case Severity::kError: return "error";
    case Severity::kWarning: return "warning";
    case Severity::kInfo: return "notice";
  }
  return "error";
}

std::string GithubAnnotation(const Diagnostic& d) {
  std::string line = "::";
  line += GithubCommand(d.severity);
  line += " ";
  // A finding without a file (a plan of an ALTER given on the command line)
  // is annotated on the workflow run rather than on a line.
  if (!d.file.empty()) {
    line += "file=" + EscapeGithubProperty(d.file);
    if (d.line > 0) line += ",line=" + std::to_string(d.line);
    if (d.column > 0) line += ",col=" + std::to_string(d.column);
    line += ",";
  }
  line += "title=" + EscapeGithubProperty(d.rule_id);
  std::string message = d.message;
  if (!d.suggestion.empty()) message += "\nsuggestion: " + d.suggestion;
  line += "::" + EscapeGithubData(message);
  return line;
}

void WriteGithubReport(const std::vector<Diagnostic>& diagnostics, const Summary& summary,
                       std::ostream& out) {
  for (const Diagnostic& d : diagnostics) out << GithubAnnotation(d) << "\n";
  out << summary.ToString() << "\n";
}

}  // namespace lockstep::report
