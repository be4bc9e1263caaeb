// LS0xx: parse errors, refused statements, unknown clauses, repeated tables,
// tables missing from --schema.
#include <gtest/gtest.h>

#include "lint_test_util.h"
#include "planner/lint/rule_registry.h"

namespace lockstep::lint {
namespace {

using testing::Hits;
using testing::Lint;
using S = report::Severity;

TEST(LintRegistryTest, IdsAreUniqueSortedAndGrouped) {
  const std::vector<LintRule>& rules = AllRules();
  ASSERT_GE(rules.size(), 20u);
  for (size_t i = 0; i < rules.size(); ++i) {
    EXPECT_EQ(rules[i].id.size(), 5u);
    EXPECT_EQ(rules[i].id.substr(0, 2), "LS");
    EXPECT_TRUE(rules[i].check_statement != nullptr || rules[i].check_file != nullptr) << rules[i].id;
    if (i > 0) {
      EXPECT_LT(rules[i - 1].id, rules[i].id);
    }
    EXPECT_EQ(FindRule(rules[i].id), &rules[i]);
  }
  EXPECT_EQ(FindRule("LS999"), nullptr);
  EXPECT_EQ(RuleDescriptors().size(), rules.size());
}

TEST(LintRulesTest, CleanMigrationHasNoFindings) {
  EXPECT_TRUE(Lint("ALTER TABLE t ADD COLUMN f INT NULL, ADD INDEX k_f (f);").empty());
  EXPECT_TRUE(Lint("ALTER TABLE t ADD COLUMN f INT NULL, ADD INDEX k_f (f);", true).empty());
  EXPECT_TRUE(Lint("-- nothing but comments\n").empty());
}

TEST(LintRulesTest, LS000ParseErrorWithPosition) {
  std::vector<testing::Hit> hits = Hits("ALTER TABLE t FORCE;\nALTER TABLE t ADD COLUMN;", "LS000");
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].severity, S::kError);
  EXPECT_EQ(hits[0].line, 2);
  EXPECT_EQ(hits[0].column, 25);
  EXPECT_EQ(hits[0].message, "syntax error: unexpected end of statement, expected a column name");
  EXPECT_TRUE(Hits("ALTER TABLE t FORCE", "LS000").empty());
  std::vector<testing::Hit> lex = Hits("ALTER TABLE t COMMENT 'open", "LS000");
  ASSERT_EQ(lex.size(), 1u);
  EXPECT_EQ(lex[0].column, 23);
}

TEST(LintRulesTest, LS001RefusedStatements) {
  std::vector<testing::Hit> hits =
      Hits("DROP TABLE t;\nINSERT INTO t VALUES (1);\n  CREATE INDEX i ON t (a);", "LS001");
  ASSERT_EQ(hits.size(), 3u);
  EXPECT_EQ(hits[0].line, 1);
  EXPECT_EQ(hits[1].line, 2);
  EXPECT_EQ(hits[2].line, 3);
  EXPECT_EQ(hits[2].column, 3);
  EXPECT_EQ(hits[2].suggestion, "write it as ALTER TABLE <table> ADD INDEX ...");
  // RENAME TABLE is LS202's, ALTER TABLE nobody's.
  EXPECT_TRUE(Hits("RENAME TABLE t TO u; ALTER TABLE t FORCE", "LS001").empty());
}

TEST(LintRulesTest, LS002UnknownClause) {
  std::vector<testing::Hit> hits = Hits("ALTER TABLE t ORDER BY a, ADD x INT", "LS002");
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].severity, S::kWarning);
  EXPECT_EQ(hits[0].column, 15);
  EXPECT_NE(hits[0].message.find("'ORDER BY a'"), std::string::npos);
  EXPECT_TRUE(Hits("ALTER TABLE t ADD x INT, ENGINE=InnoDB", "LS002").empty());
}

TEST(LintRulesTest, LS003RepeatedTable) {
  std::vector<testing::Hit> hits =
      Hits("ALTER TABLE t ADD x INT;\nALTER TABLE u ADD y INT;\nALTER TABLE t ADD z INT;", "LS003");
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].line, 3);
  EXPECT_NE(hits[0].message.find("first is at line 1"), std::string::npos);
  EXPECT_TRUE(Hits("ALTER TABLE t ADD x INT; ALTER TABLE db.t ADD y INT;", "LS003").empty());
}

TEST(LintRulesTest, LS004TableNotInSchema) {
  std::vector<testing::Hit> hits = Hits("ALTER TABLE missing ADD x INT", "LS004", true);
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].column, 13);
  EXPECT_TRUE(Hits("ALTER TABLE missing ADD x INT", "LS004", false).empty());
  EXPECT_TRUE(Hits("ALTER TABLE t ADD x INT", "LS004", true).empty());
}

TEST(LintRulesTest, FindingsAreSortedByPosition) {
  std::vector<report::Diagnostic> d = Lint("ALTER TABLE t DROP b, DROP a;\nDROP TABLE t;");
  ASSERT_EQ(d.size(), 3u);
  EXPECT_EQ(d[0].column, 15);
  EXPECT_EQ(d[1].column, 23);
  EXPECT_EQ(d[2].line, 2);
  EXPECT_EQ(d[2].file, "m.sql");
}

}  // namespace
}  // namespace lockstep::lint
