// lockstep lint: offline checks of migration files, no database involved.
#include <fstream>
#include <iomanip>
#include <optional>
#include <ostream>
#include <sstream>

#include "cli/commands.h"
#include "planner/lint/linter.h"
#include "planner/lint/rule_registry.h"
#include "planner/report/report_format.h"
#include "planner/sql/schema_dump_parser.h"

namespace po = boost::program_options;

namespace lockstep::cli {
namespace {

constexpr const char* kUsage =
    "Usage: lockstep lint [--schema DUMP] [--format text|json|github|sarif] FILE...\n"
    "\n"
    "Checks migration files offline, without a database: every statement must be an\n"
    "ALTER TABLE that lockstep can run online, and every change is checked against the\n"
    "rules below. With --schema (a schema dump, e.g. mariadb-dump --no-data) the rules\n"
    "that need the table's definition run too: type narrowing, missing primary key,\n"
    "triggers, foreign keys, ENUM changes, AUTO_INCREMENT.\n";

constexpr const char* kExitCodes =
    "Exit codes: 0 no error-level finding, 1 at least one, 2 usage error (no files,\n"
    "unknown format, unreadable file, unreadable or unparseable schema).\n";

void PrintRules(std::ostream& out) {
  for (const lint::LintRule& rule : lint::AllRules()) {
    out << "  " << rule.id << "  " << std::left << std::setw(8) << report::SeverityName(rule.severity)
        << std::setw(20) << rule.name << rule.summary << "\n";
  }
}

Status ReadFile(const std::string& path, std::string* text) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IoError("cannot read " + path);
  std::ostringstream buf;
  buf << in.rdbuf();
  if (in.bad()) return Status::IoError("cannot read " + path);
  *text = buf.str();
  return Status::Ok();
}

}  // namespace

int RunLint(const std::vector<std::string>& args, CommandIo io) {
  po::options_description visible("Options");
  AddCommonOptions(visible, report::ReportFormatNames());
  visible.add_options()
      ("schema,s", po::value<std::string>(), "schema dump (CREATE TABLE statements) for table facts")
      ("list-rules", "list the rules and exit");
  po::options_description all;
  all.add(visible).add_options()("file", po::value<std::vector<std::string>>(), "migration file");
  po::positional_options_description positional;
  positional.add("file", -1);

  ParsedArgs parsed;
  if (!ParseCommandArgs(args, all, &positional, io, "lint", parsed)) return kExitUsage;
  if (parsed.help) {
    io.out << kUsage << "\n" << visible << "\nRules (severity is the most severe level a rule reports):\n";
    PrintRules(io.out);
    io.out << "\n" << kExitCodes;
    return kExitOk;
  }
  if (parsed.vars.count("list-rules") > 0) {
    PrintRules(io.out);
    return kExitOk;
  }
  const std::vector<std::string> files =
      parsed.vars.count("file") > 0 ? parsed.vars["file"].as<std::vector<std::string>>()
                                    : std::vector<std::string>{};
  if (files.empty()) {
    io.err << "lockstep lint: no files given\nTry 'lockstep lint --help'.\n";
    return kExitUsage;
  }
  Result<report::ReportFormat> format = report::ParseReportFormat(Format(parsed.vars));
  if (!format.ok()) {
    io.err << "lockstep lint: " << format.status().message() << "\n";
    return kExitUsage;
  }

  std::optional<sql::Schema> schema;
  if (parsed.vars.count("schema") > 0) {
    const std::string path = parsed.vars["schema"].as<std::string>();
    std::string text;
    if (Status st = ReadFile(path, &text); !st.ok()) {
      io.err << "lockstep lint: --schema: " << st.message() << "\n";
      return kExitUsage;
    }
    Result<sql::Schema> read = sql::ParseSchemaDump(text);
    if (!read.ok()) {
      io.err << "lockstep lint: --schema " << path << ":" << read.status().message() << "\n";
      return kExitUsage;
    }
    schema = std::move(read).value();
  }

  // Every file is read before any is linted: a usage error prints no partial report.
  std::vector<std::string> texts(files.size());
  for (size_t i = 0; i < files.size(); ++i) {
    if (Status st = ReadFile(files[i], &texts[i]); !st.ok()) {
      io.err << "lockstep lint: " << st.message() << "\n";
      return kExitUsage;
    }
  }
  const lint::Linter linter(schema ? &*schema : nullptr);
  std::vector<report::Diagnostic> findings;
  for (size_t i = 0; i < files.size(); ++i) {
    std::vector<report::Diagnostic> found = linter.LintText(files[i], texts[i]);
    findings.insert(findings.end(), found.begin(), found.end());
  }
  const report::Summary summary = report::Summary::Count(findings, static_cast<int>(files.size()));
  report::WriteReport(*format, findings, lint::RuleDescriptors(), summary, io.out);
  return summary.errors > 0 ? kExitNo : kExitOk;
}

}  // namespace lockstep::cli
