#include "planner/lint/linter.h"

#include "planner/lint/finding_sink.h"
#include "planner/lint/rule_registry.h"
#include "planner/sql/statement_parser.h"

namespace lockstep::lint {

std::vector<report::Diagnostic> Linter::LintText(const std::string& path,
                                                 std::string_view text) const {
  std::vector<report::Diagnostic> out;
  FindingSink sink(path, &out);
  const std::vector<sql::ParsedStatement> statements = sql::ParseMigration(text);
  for (const sql::ParsedStatement& statement : statements) {
    StatementInput input{statement};
    if (statement.alter) {
      input.alter = &*statement.alter;
      input.schema = schema_;
      if (schema_ != nullptr) input.table = schema_->FindTable(input.alter->schema, input.alter->table);
    }
    for (const LintRule& rule : AllRules()) {
      if (rule.check_statement == nullptr) continue;
      sink.SetRule(rule.id);
      rule.check_statement(input, sink);
    }
  }
  const FileInput file{statements};
  for (const LintRule& rule : AllRules()) {
    if (rule.check_file == nullptr) continue;
    sink.SetRule(rule.id);
    rule.check_file(file, sink);
  }
  report::SortDiagnostics(&out);
  return out;
}

}  // namespace lockstep::lint
