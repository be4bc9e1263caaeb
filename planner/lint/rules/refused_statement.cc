// LS001: statements lockstep will not run online. RENAME TABLE is left to
// LS202, which says more about renames.
#include "planner/lint/rules/rules.h"

namespace lockstep::lint {
namespace {

std::string SuggestionFor(const std::string& verb) {
  if (verb == "DROP TABLE" || verb == "TRUNCATE TABLE") {
    return "drop or empty tables through the normal deployment, after a retention period, "
           "never inside an online schema change";
  }
  if (verb == "CREATE INDEX") return "write it as ALTER TABLE <table> ADD INDEX ...";
  if (verb == "DROP INDEX") return "write it as ALTER TABLE <table> DROP INDEX ...";
  if (verb == "INSERT" || verb == "UPDATE" || verb == "DELETE" || verb == "REPLACE" ||
      verb == "LOAD") {
    return "run data changes (backfills) separately, in one DC, and let the DRC link carry them";
  }
  if (verb == "USE") return "qualify the table name instead: ALTER TABLE db.t ...";
  return "keep only ALTER TABLE statements in a migration file lockstep runs";
}

}  // namespace

void CheckRefusedStatement(const StatementInput& input, FindingSink& sink) {
  const sql::ParsedStatement& s = input.statement;
  if (s.kind != sql::ParsedStatement::Kind::kRefused || s.verb == "RENAME TABLE") return;
  sink.Report(Severity::kError, s.pos, s.message, SuggestionFor(s.verb));
}

}  // namespace lockstep::lint
