// LS302: AUTO_INCREMENT is each DC's own counter (interleaved through
// auto_increment_increment/offset). Lowering it lets ids be issued again: ids
// of deleted rows, or of rows another DC wrote that have not arrived yet.
#include <cstdlib>

#include "planner/lint/rule_helpers.h"
#include "planner/lint/rules/rules.h"

namespace lockstep::lint {

void CheckAutoIncrement(const StatementInput& input, FindingSink& sink) {
  if (input.alter == nullptr) return;
  for (const sql::AlterClause& clause : input.alter->clauses) {
    if (clause.kind != sql::ClauseKind::kTableOption || clause.option != "AUTO_INCREMENT") continue;
    const std::string value = clause.value.value_or("");
    const unsigned long long wanted = std::strtoull(value.c_str(), nullptr, 10);
    const std::string table = TableName(*input.alter);
    if (input.table == nullptr || !input.table->options.auto_increment) {
      sink.Report(Severity::kWarning, clause.pos,
                  "sets AUTO_INCREMENT of " + table + " to " + value +
                      ": lint cannot tell whether it lowers the counter (no AUTO_INCREMENT in "
                      "--schema)",
                  "check the counter in every DC (SHOW TABLE STATUS); each DC keeps its own");
      continue;
    }
    const unsigned long long current = *input.table->options.auto_increment;
    if (wanted < current) {
      sink.Report(Severity::kError, clause.pos,
                  "lowers AUTO_INCREMENT of " + table + " from " + std::to_string(current) + " to " +
                      value +
                      ": ids above it can be issued again (deleted rows, rows of other DCs still "
                      "in flight)",
                  "leave AUTO_INCREMENT alone; each DC keeps its own counter");
    } else {
      sink.Report(Severity::kInfo, clause.pos,
                  "raises AUTO_INCREMENT of " + table + " from " + std::to_string(current) + " to " + value);
    }
  }
}

}  // namespace lockstep::lint
