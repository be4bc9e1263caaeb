// LS1xx: drop column, drop index, type change, ALTER IGNORE, ENUM/SET values.
#include <gtest/gtest.h>

#include "lint_test_util.h"

namespace lockstep::lint {
namespace {

using testing::Hits;
using S = report::Severity;

TEST(LintRulesTest, LS101DropColumn) {
  std::vector<testing::Hit> hits = Hits("ALTER TABLE t ADD x INT,\n  DROP COLUMN a, DROP IF EXISTS b", "LS101");
  ASSERT_EQ(hits.size(), 2u);
  EXPECT_EQ(hits[0].severity, S::kError);
  EXPECT_EQ(hits[0].line, 2);
  EXPECT_EQ(hits[0].column, 3);
  EXPECT_EQ(hits[0].message, "DROP COLUMN `a` deletes the column and its data in every DC");
  EXPECT_NE(hits[0].suggestion.find("expand/contract"), std::string::npos);
  EXPECT_TRUE(Hits("ALTER TABLE t DROP INDEX a, DROP PRIMARY KEY, ADD PRIMARY KEY (id)", "LS101").empty());
}

TEST(LintRulesTest, LS102DropIndex) {
  std::vector<testing::Hit> hits = Hits("ALTER TABLE t DROP INDEX k_a, DROP KEY uk_b", "LS102", true);
  ASSERT_EQ(hits.size(), 2u);
  EXPECT_EQ(hits[0].severity, S::kWarning);
  EXPECT_EQ(hits[0].message, "DROP INDEX `k_a`: queries that use it may become slow");
  EXPECT_EQ(hits[1].message, "DROP INDEX `uk_b`: queries that use it may become slow, and duplicates become possible");
  EXPECT_TRUE(Hits("ALTER TABLE t DROP FOREIGN KEY fk, DROP COLUMN k", "LS102").empty());
}

TEST(LintRulesTest, LS103TypeChangeWithoutSchemaWarns) {
  std::vector<testing::Hit> hits = Hits("ALTER TABLE t MODIFY a BIGINT", "LS103");
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].severity, S::kWarning);
  EXPECT_EQ(hits[0].message,
            "MODIFY `a` redefines the column as bigint: a type change, cannot tell narrowing from "
            "widening without --schema");
}

TEST(LintRulesTest, LS103TypeChangeWithSchema) {
  struct Case {
    const char* clause;
    std::optional<S> severity;  // nullopt: no finding
  } cases[] = {
      {"MODIFY a BIGINT", S::kWarning},                    // widening
      {"MODIFY a INT(10) DEFAULT 5", std::nullopt},        // display width, default only
      {"MODIFY a INTEGER NOT NULL", std::nullopt},         // synonym
      {"MODIFY a SMALLINT", S::kError},                    // narrowing
      {"MODIFY a INT UNSIGNED", S::kError},                // signed -> unsigned
      {"MODIFY a BIGINT UNSIGNED", S::kError},             // signed -> unsigned, even wider
      {"MODIFY a DECIMAL(12,0)", S::kWarning},             // int fits in 10 digits
      {"MODIFY a VARCHAR(20)", S::kError},                 // another family
      {"MODIFY b VARCHAR(60) CHARACTER SET latin1 NOT NULL DEFAULT ''", S::kWarning},
      {"MODIFY b VARCHAR(40) CHARACTER SET latin1 NOT NULL", S::kError},
      {"MODIFY b CHAR(50) CHARACTER SET latin1 NOT NULL", S::kError},  // trailing spaces
      {"MODIFY b TEXT CHARACTER SET latin1 NOT NULL", S::kWarning},
      {"MODIFY b TINYTEXT CHARACTER SET latin1 NOT NULL", S::kWarning},  // 50 <= 255 bytes
      {"MODIFY d DECIMAL(12,2) NOT NULL", S::kWarning},
      {"MODIFY d DECIMAL(10,1) NOT NULL", S::kError},
      {"MODIFY e MEDIUMTEXT", S::kWarning},
      {"MODIFY e TINYTEXT", S::kError},
      {"MODIFY e VARCHAR(100)", S::kError},
      {"CHANGE a a2 INT", std::nullopt},                   // a rename only: LS201's
      {"CHANGE a a2 BIGINT", S::kWarning},
      {"MODIFY c ENUM('x','y','z','w')", std::nullopt},    // LS105's
      {"MODIFY nothere INT", std::nullopt},                // the server rejects it
  };
  for (const Case& c : cases) {
    std::vector<testing::Hit> hits = Hits(std::string("ALTER TABLE t ") + c.clause, "LS103", true);
    if (!c.severity) {
      EXPECT_TRUE(hits.empty()) << c.clause << ": " << (hits.empty() ? "" : hits[0].message);
      continue;
    }
    ASSERT_EQ(hits.size(), 1u) << c.clause;
    EXPECT_EQ(hits[0].severity, *c.severity) << c.clause << ": " << hits[0].message;
  }
  std::vector<testing::Hit> hits = Hits("ALTER TABLE t MODIFY a INT UNSIGNED", "LS103", true);
  EXPECT_EQ(hits[0].message, "narrows `a` from int(11) to int unsigned: signed to unsigned loses negative values");
}

TEST(LintRulesTest, LS104AlterIgnore) {
  std::vector<testing::Hit> hits = Hits("\nALTER IGNORE TABLE t ADD UNIQUE (a)", "LS104");
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].severity, S::kError);
  EXPECT_EQ(hits[0].line, 2);
  EXPECT_EQ(hits[0].column, 1);
  EXPECT_TRUE(Hits("ALTER ONLINE TABLE t ADD UNIQUE (a)", "LS104").empty());
}

TEST(LintRulesTest, LS105EnumAndSetValues) {
  std::vector<testing::Hit> append = Hits("ALTER TABLE t MODIFY c ENUM('x','y','z','w') DEFAULT 'x'", "LS105", true);
  ASSERT_EQ(append.size(), 1u);
  EXPECT_EQ(append[0].severity, S::kInfo);
  std::vector<testing::Hit> removed = Hits("ALTER TABLE t MODIFY c ENUM('x','z')", "LS105", true);
  ASSERT_EQ(removed.size(), 1u);
  EXPECT_EQ(removed[0].severity, S::kError);
  EXPECT_EQ(removed[0].message.substr(0, 28), "removes 'y' from ENUM `c`: v");
  std::vector<testing::Hit> reordered = Hits("ALTER TABLE t MODIFY c ENUM('y','x','z')", "LS105", true);
  ASSERT_EQ(reordered.size(), 1u);
  EXPECT_EQ(reordered[0].severity, S::kError);
  EXPECT_EQ(reordered[0].message.substr(0, 31), "reorders the values of ENUM `c`");
  EXPECT_TRUE(Hits("ALTER TABLE t MODIFY c ENUM('x','y','z') NOT NULL", "LS105", true).empty());
  EXPECT_TRUE(Hits("ALTER TABLE t MODIFY c ENUM('x')", "LS105", false).empty());  // needs --schema
}

}  // namespace
}  // namespace lockstep::lint
