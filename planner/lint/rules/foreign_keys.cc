// LS503: foreign keys do not survive a shadow-copy migration: constraint names
// are unique per schema, so the shadow table cannot carry the same ones, and
// the keys of child tables follow the original table when it is renamed away.
#include "planner/lint/rule_helpers.h"
#include "planner/lint/rules/rules.h"
#include "planner/sql/token.h"

namespace lockstep::lint {
namespace {

constexpr const char* kSuggestion =
    "enforce the relation in the application, or run this change outside lockstep";

bool DroppedHere(const sql::AlterTable& alter, const std::string& name) {
  for (const sql::AlterClause& clause : alter.clauses) {
    if (clause.kind == sql::ClauseKind::kDropForeignKey && sql::EqualsIgnoreCase(clause.name, name)) return true;
  }
  return false;
}

}  // namespace

void CheckForeignKeys(const StatementInput& input, FindingSink& sink) {
  if (input.alter == nullptr) return;
  const std::string table = TableName(*input.alter);
  for (const sql::AlterClause& clause : input.alter->clauses) {
    if (clause.kind != sql::ClauseKind::kAddForeignKey || !clause.foreign_key) continue;
    sink.Report(Severity::kError, clause.pos,
                "adds a foreign key to " + Quoted(clause.foreign_key->ref_table) +
                    ": lockstep does not migrate tables with foreign keys online",
                kSuggestion);
  }
  if (input.table != nullptr) {
    std::string kept;
    for (const sql::ForeignKeyDef& fk : input.table->foreign_keys) {
      if (!DroppedHere(*input.alter, fk.name)) kept += (kept.empty() ? "" : ", ") + Quoted(fk.name);
    }
    if (!kept.empty()) {
      sink.Report(Severity::kError, input.alter->table_pos,
                  table + " has foreign keys (" + kept + "): lockstep does not migrate them online",
                  kSuggestion);
    }
  }
  if (input.schema != nullptr) {
    for (const sql::Schema::Reference& ref : input.schema->ReferencesTo(input.alter->schema, input.alter->table)) {
      sink.Report(Severity::kError, input.alter->table_pos,
                  table + " is referenced by foreign key " + Quoted(ref.foreign_key->name) + " of " +
                      Quoted(ref.child->name) + ": after the cut-over it would point at the old table",
                  kSuggestion);
    }
  }
}

}  // namespace lockstep::lint
