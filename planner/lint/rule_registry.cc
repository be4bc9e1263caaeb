#include "planner/lint/rule_registry.h"

#include "planner/lint/rules/rules.h"

namespace lockstep::lint {

const std::vector<LintRule>& AllRules() {
  using S = Severity;
  static const std::vector<LintRule> kRules = {
      {"LS000", "parse-error", S::kError, "the statement does not parse", CheckParseError},
      {"LS001", "refused-statement", S::kError,
       "a statement lockstep will not run online (DROP, TRUNCATE, CREATE, DML, anything not ALTER TABLE)",
       CheckRefusedStatement},
      {"LS002", "unknown-clause", S::kWarning,
       "an ALTER clause lockstep does not recognise; it is treated as unsafe", CheckUnknownClause},
      {"LS003", "repeated-table", S::kWarning,
       "several ALTERs of one table in one file: one copy and cut-over each", nullptr,
       CheckRepeatedTable},
      {"LS004", "table-not-in-schema", S::kWarning,
       "--schema has no such table; checks that need its definition were skipped",
       CheckTableInSchema},
      {"LS101", "drop-column", S::kError, "drops a column and its data", CheckDropColumn},
      {"LS102", "drop-index", S::kWarning, "drops an index: queries may regress", CheckDropIndex},
      {"LS103", "type-change", S::kError,
       "changes a column's type: narrowing loses data (error), widening breaks replication "
       "across the skew (warning)",
       CheckTypeChange},
      {"LS104", "alter-ignore", S::kError, "ALTER IGNORE silently deletes duplicate rows",
       CheckAlterIgnore},
      {"LS105", "enum-set-values", S::kError,
       "removes or reorders ENUM/SET values (appending at the end is fine)", CheckEnumSetValues},
      {"LS201", "rename-column", S::kError, "renames a column: running code breaks",
       CheckRenameColumn},
      {"LS202", "rename-table", S::kError, "renames a table: running code breaks",
       CheckRenameTable},
      {"LS203", "not-null", S::kWarning,
       "adds a NOT NULL column without a default, or makes a column NOT NULL", CheckNotNull},
      {"LS301", "unique-key", S::kWarning,
       "adds a unique or primary key: fails on duplicates in any DC", CheckUniqueKey},
      {"LS302", "auto-increment", S::kError, "changes AUTO_INCREMENT; lowering it reuses ids",
       CheckAutoIncrement},
      {"LS401", "column-position", S::kError,
       "places a column with FIRST/AFTER: positional row replication corrupts silently",
       CheckColumnPosition},
      {"LS402", "charset-conversion", S::kWarning,
       "converts text columns to another character set", CheckCharsetConversion},
      {"LS403", "no-primary-key", S::kError,
       "the table has no primary key (after the ALTER)", CheckPrimaryKey},
      {"LS501", "algorithm-lock", S::kError,
       "ALGORITHM=/LOCK= clauses: lockstep chooses them; COPY, SHARED, EXCLUSIVE block writes",
       CheckAlgorithmLock},
      {"LS502", "triggers", S::kError, "the table has triggers", CheckTriggers},
      {"LS503", "foreign-keys", S::kError,
       "foreign keys on or to the table: not migrated online", CheckForeignKeys},
      {"LS504", "partitioning", S::kWarning,
       "partitioning changes are not run online; DROP/TRUNCATE PARTITION delete rows",
       CheckPartitioning},
  };
  return kRules;
}

const LintRule* FindRule(std::string_view id) {
  for (const LintRule& rule : AllRules()) {
    if (rule.id == id) return &rule;
  }
  return nullptr;
}

std::vector<report::RuleDescriptor> RuleDescriptors() {
  std::vector<report::RuleDescriptor> out;
  for (const LintRule& rule : AllRules()) out.push_back(rule.Descriptor());
  return out;
}

}  // namespace lockstep::lint
