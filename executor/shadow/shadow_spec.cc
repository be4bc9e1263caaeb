#include "executor/shadow/shadow_spec.h"

#include "planner/sql/clause_text.h"

#include <cctype>

#include "planner/sql/token.h"

namespace lockstep::executor {
namespace {

// Applies "from -> to" on top of the renames so far, so that a chain
// (a -> b, then b -> c) maps a to c.
void AddRename(std::vector<ColumnRename>* renames, const std::string& from, const std::string& to) {
  if (sql::EqualsIgnoreCase(from, to)) return;  // a change of case only: same column
  for (ColumnRename& r : *renames) {
    if (sql::EqualsIgnoreCase(r.to, from)) {
      r.to = to;
      return;
    }
  }
  renames->push_back({from, to});
}

}  // namespace

std::optional<std::string> ShadowSpec::TargetOf(std::string_view old_column) const {
  for (const ColumnRename& r : renames) {
    if (sql::EqualsIgnoreCase(r.from, old_column)) return r.to;
  }
  for (const std::string& d : dropped_columns) {
    if (sql::EqualsIgnoreCase(d, old_column)) return std::nullopt;
  }
  return std::string(old_column);
}

Result<ShadowSpec> ShadowSpecFromAlter(const sql::AlterTable& alter, std::string_view default_schema) {
  if (alter.ignore) {
    return Status::InvalidArgument(
        "ALTER IGNORE TABLE drops rows that break a unique key; lockstep never drops rows: "
        "remove IGNORE and clean the duplicates first");
  }
  ShadowSpec spec;
  spec.schema = alter.schema.empty() ? std::string(default_schema) : alter.schema;
  spec.table = alter.table;
  if (spec.schema.empty()) return Status::InvalidArgument("the ALTER names no schema and none was given");
  for (const sql::AlterClause& c : alter.clauses) {
    switch (c.kind) {
      case sql::ClauseKind::kAlgorithm:
      case sql::ClauseKind::kLock:
        continue;  // how to build is lockstep's choice, not the shadow table's
      case sql::ClauseKind::kRenameTable:
        return Status::InvalidArgument("RENAME TO in the ALTER would rename the shadow table; "
                                       "rename the table in a separate step: " + c.text);
      case sql::ClauseKind::kRenameColumn:
        AddRename(&spec.renames, c.name, c.new_name);
        break;
      case sql::ClauseKind::kChangeColumn:
        if (c.column) AddRename(&spec.renames, c.name, c.column->name);
        break;
      case sql::ClauseKind::kDropColumn:
        // A later ADD of the same name is a new, empty column, not this one.
        spec.dropped_columns.push_back(c.name);
        break;
      default:
        break;
    }
    spec.alter_clauses.push_back(sql::ClauseSql(c));
  }
  return spec;
}

}  // namespace lockstep::executor
