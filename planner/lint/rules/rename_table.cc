// LS202: renaming a table breaks every client at once. RENAME TABLE is refused
// outright; ALTER TABLE ... RENAME is worse, since it replicates through the DRC
// link (REFERENCE.md section 2) while lockstep runs it per DC.
#include "planner/lint/rule_helpers.h"
#include "planner/lint/rules/rules.h"

namespace lockstep::lint {
namespace {

constexpr const char* kSuggestion =
    "expand/contract: create the new table, dual-write, backfill, switch reads, drop the old "
    "table in a later migration";

}  // namespace

void CheckRenameTable(const StatementInput& input, FindingSink& sink) {
  const sql::ParsedStatement& s = input.statement;
  if (s.kind == sql::ParsedStatement::Kind::kRefused && s.verb == "RENAME TABLE") {
    sink.Report(Severity::kError, s.pos, s.message, kSuggestion);
    return;
  }
  if (input.alter == nullptr) return;
  for (const sql::AlterClause& clause : input.alter->clauses) {
    if (clause.kind != sql::ClauseKind::kRenameTable) continue;
    const std::string target =
        clause.new_schema.empty() ? Quoted(clause.new_name) : Quoted(clause.new_schema) + "." + Quoted(clause.new_name);
    sink.Report(Severity::kError, clause.pos,
                "renames " + TableName(*input.alter) + " to " + target +
                    ": running code breaks, and ALTER TABLE ... RENAME replicates through the DRC "
                    "link to the other DCs",
                kSuggestion);
  }
}

}  // namespace lockstep::lint
