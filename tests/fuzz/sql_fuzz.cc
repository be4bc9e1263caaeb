// libFuzzer target: the SQL front end and lint on arbitrary bytes.
//
// It must never crash, hang, or read out of bounds, whatever the input: the
// lexer, the splitter, the ALTER and CREATE TABLE parsers, the schema-dump
// reader, and the lint rules fed with what those produce. Beyond the
// sanitizers, it checks the lexer's own promise: every token's text is exactly
// the input bytes at its offset.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string_view>

#include "planner/lint/linter.h"
#include "planner/lint/rule_registry.h"
#include "planner/report/report_format.h"
#include "planner/sql/create_table_parser.h"
#include "planner/sql/lexer.h"
#include "planner/sql/schema_dump_parser.h"
#include "planner/sql/splitter.h"
#include "planner/sql/statement_parser.h"

namespace {

using namespace lockstep;

void CheckTokens(std::string_view text) {
  Result<std::vector<sql::Token>> tokens = sql::Tokenize(text);
  if (!tokens.ok()) return;
  for (const sql::Token& tok : *tokens) {
    if (tok.pos.offset > text.size() || tok.text.size() > text.size() - tok.pos.offset ||
        text.substr(tok.pos.offset, tok.text.size()) != tok.text || tok.pos.line < 1 || tok.pos.column < 1) {
      std::abort();
    }
  }
  if (!tokens->back().IsEnd()) std::abort();
}

void CheckStatements(std::string_view text) {
  for (const sql::Statement& s : sql::SplitStatements(text)) {
    if (s.pos.offset > text.size()) std::abort();
    if (s.error.empty() && text.substr(s.pos.offset, s.text.size()) != s.text) std::abort();
  }
}

void Lint(std::string_view text, const sql::Schema* schema) {
  const std::vector<report::Diagnostic> findings = lint::Linter(schema).LintText("fuzz.sql", text);
  std::ostringstream out;
  for (report::ReportFormat format : {report::ReportFormat::kText, report::ReportFormat::kJson,
                                      report::ReportFormat::kGithub, report::ReportFormat::kSarif}) {
    report::WriteReport(format, findings, lint::RuleDescriptors(), report::Summary::Count(findings, 1), out);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  CheckTokens(text);
  CheckStatements(text);
  for (const sql::ParsedStatement& s : sql::ParseMigration(text)) {
    if (s.alter) (void)s.alter->QualifiedName();
  }
  (void)sql::ParseAlterTable(text);
  Result<sql::TableDef> table = sql::ParseCreateTable(text);
  if (table.ok()) (void)table->PrimaryKey();
  Result<sql::Schema> schema = sql::ParseSchemaDump(text);
  Lint(text, nullptr);
  // The same text as the schema too: its CREATE TABLEs give the ALTERs table facts.
  if (schema.ok()) Lint(text, &*schema);
  return 0;
}
