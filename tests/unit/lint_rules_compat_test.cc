// LS2xx backward-incompatible and LS3xx data-dependent rules.
#include <gtest/gtest.h>

#include "lint_test_util.h"

namespace lockstep::lint {
namespace {

using testing::Hits;
using S = report::Severity;

TEST(LintRulesTest, LS201RenameColumn) {
  std::vector<testing::Hit> hits =
      Hits("ALTER TABLE t RENAME COLUMN a TO a2, CHANGE b b2 VARCHAR(50), CHANGE d D DECIMAL(10,2)", "LS201");
  ASSERT_EQ(hits.size(), 2u);
  EXPECT_EQ(hits[0].severity, S::kError);
  EXPECT_EQ(hits[0].message, "renames column `a` to `a2`: running code that names `a` breaks");
  EXPECT_EQ(hits[0].suggestion,
            "expand/contract: add the new column, dual-write, backfill, switch reads, drop the old in "
            "a later migration");
  EXPECT_EQ(hits[1].column, 38);
  EXPECT_TRUE(Hits("ALTER TABLE t RENAME INDEX a TO b, MODIFY a INT", "LS201").empty());
}

TEST(LintRulesTest, LS202RenameTable) {
  std::vector<testing::Hit> hits = Hits("RENAME TABLE t TO u;\nALTER TABLE t ADD x INT, RENAME TO db2.u", "LS202");
  ASSERT_EQ(hits.size(), 2u);
  EXPECT_EQ(hits[0].line, 1);
  EXPECT_EQ(hits[0].message.substr(0, 26), "RENAME TABLE is refused: r");
  EXPECT_EQ(hits[1].line, 2);
  EXPECT_EQ(hits[1].column, 26);
  EXPECT_EQ(hits[1].message.substr(0, 32), "renames `t` to `db2`.`u`: runnin");
  EXPECT_TRUE(Hits("ALTER TABLE t RENAME COLUMN a TO b, RENAME INDEX k TO l", "LS202").empty());
}

TEST(LintRulesTest, LS203NotNull) {
  std::vector<testing::Hit> add = Hits("ALTER TABLE t ADD x INT NOT NULL", "LS203");
  ASSERT_EQ(add.size(), 1u);
  EXPECT_EQ(add[0].severity, S::kWarning);
  EXPECT_EQ(add[0].message.substr(0, 51), "adds NOT NULL column `x` without a DEFAULT: INSERTs");
  for (const char* fine : {"ADD x INT NOT NULL DEFAULT 0", "ADD x INT NULL", "ADD x INT",
                           "ADD x INT NOT NULL AUTO_INCREMENT", "ADD x INT AS (a + 1) NOT NULL"}) {
    EXPECT_TRUE(Hits(std::string("ALTER TABLE t ") + fine, "LS203").empty()) << fine;
  }
  // An existing nullable column made NOT NULL, even with a default.
  std::vector<testing::Hit> modify = Hits("ALTER TABLE t MODIFY a INT NOT NULL DEFAULT 0", "LS203", true);
  ASSERT_EQ(modify.size(), 1u);
  EXPECT_EQ(modify[0].message.substr(0, 24), "makes `a` NOT NULL: exis");
  EXPECT_TRUE(Hits("ALTER TABLE t MODIFY d DECIMAL(10,2) NOT NULL", "LS203", true).empty());
  std::vector<testing::Hit> unknown = Hits("ALTER TABLE t MODIFY d DECIMAL(10,2) NOT NULL", "LS203");
  ASSERT_EQ(unknown.size(), 1u);
  EXPECT_EQ(unknown[0].message.substr(0, 27), "may make `d` NOT NULL (with");
}

TEST(LintRulesTest, LS301UniqueKey) {
  std::vector<testing::Hit> hits = Hits(
      "ALTER TABLE t ADD UNIQUE KEY u (a, b), ADD PRIMARY KEY (id), ADD INDEX k (a), ADD x INT UNIQUE, "
      "ADD CONSTRAINT c UNIQUE (e)",
      "LS301");
  ASSERT_EQ(hits.size(), 4u);
  EXPECT_EQ(hits[0].severity, S::kWarning);
  EXPECT_EQ(hits[0].message.substr(0, 69),
            "adds UNIQUE key `u`: the ALTER fails if any DC holds duplicates of (`");
  EXPECT_NE(hits[0].suggestion.find("(`a`, `b`)"), std::string::npos);
  EXPECT_EQ(hits[1].message.substr(0, 19), "adds a PRIMARY KEY:");
  EXPECT_EQ(hits[2].message.substr(0, 23), "makes the column UNIQUE");
  EXPECT_EQ(hits[3].message.substr(0, 19), "adds UNIQUE key `c`");
  EXPECT_TRUE(Hits("ALTER TABLE t ADD INDEX (a), ADD FULLTEXT (e)", "LS301").empty());
}

TEST(LintRulesTest, LS302AutoIncrement) {
  std::vector<testing::Hit> lower = Hits("ALTER TABLE t AUTO_INCREMENT=5", "LS302", true);
  ASSERT_EQ(lower.size(), 1u);
  EXPECT_EQ(lower[0].severity, S::kError);
  EXPECT_EQ(lower[0].message.substr(0, 46), "lowers AUTO_INCREMENT of `t` from 100 to 5: id");
  std::vector<testing::Hit> raise = Hits("ALTER TABLE t AUTO_INCREMENT = 1000", "LS302", true);
  ASSERT_EQ(raise.size(), 1u);
  EXPECT_EQ(raise[0].severity, S::kInfo);
  EXPECT_EQ(raise[0].message, "raises AUTO_INCREMENT of `t` from 100 to 1000");
  std::vector<testing::Hit> unknown = Hits("ALTER TABLE t AUTO_INCREMENT 1000", "LS302");
  ASSERT_EQ(unknown.size(), 1u);
  EXPECT_EQ(unknown[0].severity, S::kWarning);
  // A table whose dump shows no counter: cannot tell either.
  EXPECT_EQ(Hits("ALTER TABLE nopk AUTO_INCREMENT=1", "LS302", true)[0].severity, S::kWarning);
  EXPECT_TRUE(Hits("ALTER TABLE t ENGINE=InnoDB, COMMENT 'auto_increment'", "LS302", true).empty());
}

}  // namespace
}  // namespace lockstep::lint
