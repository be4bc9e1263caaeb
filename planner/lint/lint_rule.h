// A lint rule: a small function with a stable id, given only what it needs.
//
// Statement rules see one statement of a migration file at a time (its parse,
// and for an ALTER TABLE the table's definition from --schema when there is
// one); file rules see all statements of one file. The registry
// (rule_registry.h) runs them in a fixed order.
//
// Rule ids are grouped by what goes wrong:
//   LS0xx  the statement itself: unparseable, refused, unknown clause, repeated
//   LS1xx  destructive: data is lost
//   LS2xx  backward-incompatible: running application code breaks
//   LS3xx  data-dependent: success depends on the rows in each DC
//   LS4xx  replication skew: row events between DCs on different schemas fail
//          or corrupt (REFERENCE.md section 3)
//   LS5xx  locking and online execution: blocks writes, or lockstep cannot run
//          it online
#pragma once

#include <string_view>
#include <vector>

#include "planner/lint/finding_sink.h"
#include "planner/report/diagnostic.h"
#include "planner/sql/ast.h"
#include "planner/sql/schema.h"
#include "planner/sql/statement_parser.h"
#include "planner/sql/table_def.h"

namespace lockstep::lint {

struct StatementInput {
  const sql::ParsedStatement& statement;
  // The ALTER TABLE; nullptr when the statement is refused or does not parse.
  const sql::AlterTable* alter = nullptr;
  // The table before this ALTER, from --schema; nullptr without --schema or when
  // the schema has no such table.
  const sql::TableDef* table = nullptr;
  // nullptr without --schema.
  const sql::Schema* schema = nullptr;
};

struct FileInput {
  const std::vector<sql::ParsedStatement>& statements;
};

using StatementCheck = void (*)(const StatementInput& input, FindingSink& sink);
using FileCheck = void (*)(const FileInput& input, FindingSink& sink);

struct LintRule {
  std::string_view id;       // "LS101"; never reused for another meaning
  std::string_view name;     // "drop-column"
  Severity severity;         // the most severe level it reports
  std::string_view summary;  // one line for --list-rules and SARIF
  StatementCheck check_statement = nullptr;
  FileCheck check_file = nullptr;

  report::RuleDescriptor Descriptor() const {
    return {std::string(id), std::string(name), std::string(summary), severity};
  }
};

}  // namespace lockstep::lint
