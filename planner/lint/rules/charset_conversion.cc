// LS402: converting text to another character set rewrites the values: while
// DCs differ row events fail between them (error 1677, REFERENCE.md section 3),
// and values or index prefixes may no longer fit. A MODIFY without CHARACTER SET
// converts too, quietly: it resets the column to the table's default.
#include "planner/lint/rule_helpers.h"
#include "planner/lint/rules/rules.h"
#include "planner/lint/type_change.h"

namespace lockstep::lint {
namespace {

// The charset a definition asks for: its own, else its collation's
// (utf8mb4_bin -> utf8mb4), else the table's default.
std::string RequestedCharset(const sql::DataType& type, const sql::TableDef& table) {
  if (type.charset) return *type.charset;
  if (type.collation) return type.collation->substr(0, type.collation->find('_'));
  return table.options.charset;
}

constexpr const char* kCheck =
    "check that every DC's data converts losslessly and index prefixes stay within limits; expect "
    "a fenced cut-over";

}  // namespace

void CheckCharsetConversion(const StatementInput& input, FindingSink& sink) {
  if (input.alter == nullptr) return;
  for (const sql::AlterClause& clause : input.alter->clauses) {
    if (clause.kind == sql::ClauseKind::kConvertCharset) {
      sink.Report(Severity::kWarning, clause.pos,
                  "CONVERT TO CHARACTER SET " + clause.value.value_or("") + " rewrites every text column of " +
                      TableName(*input.alter) +
                      ": while DCs differ row events fail between them, and values or index prefixes "
                      "may no longer fit",
                  kCheck);
      continue;
    }
    const sql::ColumnDef* old = OldColumn(input, clause);
    if (old == nullptr || !IsCharacterType(old->type) || !IsCharacterType(clause.column->type)) continue;
    const std::string before = input.table->EffectiveCharset(*old);
    const std::string after = RequestedCharset(clause.column->type, *input.table);
    if (before.empty() || after.empty() || before == after) continue;
    std::string message = "converts " + Quoted(clause.name) + " from " + before + " to " + after;
    std::string suggestion = kCheck;
    if (!clause.column->type.charset && !clause.column->type.collation) {
      message += " (a definition without CHARACTER SET takes the table's default)";
      suggestion = "repeat CHARACTER SET " + before + " in the definition if no conversion is meant";
    }
    sink.Report(Severity::kWarning, clause.pos, message, suggestion);
  }
}

}  // namespace lockstep::lint
