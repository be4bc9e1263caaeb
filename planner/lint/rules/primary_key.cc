// LS403: lockstep copies rows in primary-key order and applies row events by
// key; row replication without a key scans the whole table for every event.
// Without --schema only an ALTER that drops the key can be seen.
#include "planner/lint/rule_helpers.h"
#include "planner/lint/rules/rules.h"

namespace lockstep::lint {
namespace {

constexpr const char* kWhy =
    ": lockstep copies and applies rows by primary key, and row replication without one scans "
    "the table for every row event";

}  // namespace

void CheckPrimaryKey(const StatementInput& input, FindingSink& sink) {
  if (input.alter == nullptr) return;
  const sql::AlterClause* drop = nullptr;
  bool adds = false;
  for (const sql::AlterClause& clause : input.alter->clauses) {
    if (clause.kind == sql::ClauseKind::kDropPrimaryKey) drop = &clause;
    if (clause.kind == sql::ClauseKind::kAddIndex && clause.index &&
        clause.index->kind == sql::IndexKind::kPrimary) {
      adds = true;
    }
    if (clause.column && clause.column->primary_key) adds = true;
  }
  if (adds) return;
  if (drop != nullptr) {
    sink.Report(Severity::kError, drop->pos,
                "drops the primary key of " + TableName(*input.alter) + " without adding another" + kWhy,
                "keep a primary key; to change it, drop and add it in the same ALTER");
    return;
  }
  if (input.table != nullptr && input.table->PrimaryKey() == nullptr) {
    sink.Report(Severity::kError, input.alter->table_pos,
                TableName(*input.alter) + " has no primary key" + kWhy,
                "add a primary key first, in its own migration");
  }
}

}  // namespace lockstep::lint
