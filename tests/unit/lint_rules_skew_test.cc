// LS4xx replication-skew and LS5xx locking / online-execution rules.
#include <gtest/gtest.h>

#include "lint_test_util.h"

namespace lockstep::lint {
namespace {

using testing::Hits;
using S = report::Severity;

TEST(LintRulesTest, LS401ColumnPositionWithoutSchema) {
  std::vector<testing::Hit> hits =
      Hits("ALTER TABLE t ADD x INT AFTER a, ADD y INT FIRST, MODIFY b INT AFTER e, ADD z INT", "LS401");
  ASSERT_EQ(hits.size(), 3u);
  EXPECT_EQ(hits[0].severity, S::kError);
  EXPECT_EQ(hits[0].column, 15);
  EXPECT_EQ(hits[0].message.substr(0, 46), "adds `x` AFTER `a`, not at the end: row events");
  EXPECT_EQ(hits[1].message.substr(0, 18), "adds `y` FIRST, no");
  EXPECT_EQ(hits[2].message.substr(0, 18), "moves `b` AFTER `e");
  EXPECT_EQ(hits[2].suggestion, "keep the column where it is (drop AFTER `e`)");
}

TEST(LintRulesTest, LS401ColumnPositionFollowsTheSchema) {
  // t: id, a, b, c, d, e
  struct Case {
    const char* clauses;
    size_t findings;
  } cases[] = {
      {"ADD x INT AFTER e", 0},                      // after the last: the end
      {"ADD x INT AFTER d", 1},
      {"ADD x INT, ADD y INT AFTER x", 0},           // after a column added at the end
      {"DROP e, ADD x INT AFTER d", 0},              // d is last once e is gone
      {"MODIFY b VARCHAR(50) AFTER a", 0},           // already there
      {"MODIFY id INT FIRST", 0},                    // already first
      {"MODIFY a INT FIRST", 1},
      {"CHANGE e e2 TEXT AFTER d", 0},
      {"CHANGE e e2 TEXT AFTER a", 1},
      {"RENAME COLUMN e TO f, ADD x INT AFTER f", 0},
      {"ADD x INT AFTER nope", 1},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(Hits(std::string("ALTER TABLE t ") + c.clauses, "LS401", true).size(), c.findings) << c.clauses;
  }
}

TEST(LintRulesTest, LS402CharsetConversion) {
  std::vector<testing::Hit> convert = Hits("ALTER TABLE t CONVERT TO CHARACTER SET utf8mb4", "LS402");
  ASSERT_EQ(convert.size(), 1u);
  EXPECT_EQ(convert[0].severity, S::kWarning);
  EXPECT_EQ(convert[0].message.substr(0, 62),
            "CONVERT TO CHARACTER SET utf8mb4 rewrites every text column of");
  // b is latin1 in a utf8mb4 table: a MODIFY without CHARACTER SET converts it.
  std::vector<testing::Hit> implicit = Hits("ALTER TABLE t MODIFY b VARCHAR(50) NOT NULL DEFAULT ''", "LS402", true);
  ASSERT_EQ(implicit.size(), 1u);
  EXPECT_EQ(implicit[0].message,
            "converts `b` from latin1 to utf8mb4 (a definition without CHARACTER SET takes the table's default)");
  EXPECT_EQ(implicit[0].suggestion, "repeat CHARACTER SET latin1 in the definition if no conversion is meant");
  std::vector<testing::Hit> collate = Hits("ALTER TABLE t MODIFY e TEXT COLLATE latin1_bin", "LS402", true);
  ASSERT_EQ(collate.size(), 1u);
  EXPECT_EQ(collate[0].message, "converts `e` from utf8mb4 to latin1");
  EXPECT_TRUE(Hits("ALTER TABLE t MODIFY b VARCHAR(50) CHARACTER SET latin1 NOT NULL", "LS402", true).empty());
  EXPECT_TRUE(Hits("ALTER TABLE t MODIFY e MEDIUMTEXT", "LS402", true).empty());
  EXPECT_TRUE(Hits("ALTER TABLE t DEFAULT CHARSET=latin1", "LS402", true).empty());  // new columns only
}

TEST(LintRulesTest, LS403NoPrimaryKey) {
  std::vector<testing::Hit> drop = Hits("ALTER TABLE t ADD x INT, DROP PRIMARY KEY", "LS403");
  ASSERT_EQ(drop.size(), 1u);
  EXPECT_EQ(drop[0].severity, S::kError);
  EXPECT_EQ(drop[0].column, 26);
  EXPECT_TRUE(Hits("ALTER TABLE t DROP PRIMARY KEY, ADD PRIMARY KEY (id, a)", "LS403").empty());
  std::vector<testing::Hit> none = Hits("ALTER TABLE nopk ADD y INT", "LS403", true);
  ASSERT_EQ(none.size(), 1u);
  EXPECT_EQ(none[0].column, 13);
  EXPECT_EQ(none[0].message.substr(0, 28), "`nopk` has no primary key: l");
  EXPECT_TRUE(Hits("ALTER TABLE nopk ADD id INT AUTO_INCREMENT PRIMARY KEY", "LS403", true).empty());
  EXPECT_TRUE(Hits("ALTER TABLE nopk ADD y INT", "LS403", false).empty());  // needs --schema
  EXPECT_TRUE(Hits("ALTER TABLE t ADD y INT", "LS403", true).empty());
}

TEST(LintRulesTest, LS501AlgorithmAndLock) {
  std::vector<testing::Hit> hits =
      Hits("ALTER TABLE t ADD x INT, ALGORITHM=COPY, LOCK=EXCLUSIVE, ALGORITHM=INPLACE, LOCK=NONE", "LS501");
  ASSERT_EQ(hits.size(), 4u);
  EXPECT_EQ(hits[0].severity, S::kError);
  EXPECT_EQ(hits[0].message, "ALGORITHM=COPY blocks writes to `t` for the whole ALTER");
  EXPECT_EQ(hits[1].severity, S::kError);
  EXPECT_EQ(hits[2].severity, S::kInfo);
  EXPECT_EQ(hits[3].severity, S::kInfo);
  EXPECT_EQ(Hits("ALTER TABLE t LOCK = SHARED", "LS501")[0].severity, S::kError);
  EXPECT_TRUE(Hits("ALTER TABLE t ADD x INT", "LS501").empty());
}

TEST(LintRulesTest, LS502Triggers) {
  std::vector<testing::Hit> hits = Hits("ALTER TABLE trig ADD x INT", "LS502", true);
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].severity, S::kError);
  EXPECT_EQ(hits[0].message, "`trig` has triggers (`trig_bi`): they stay on the old table at the cut-over");
  EXPECT_TRUE(Hits("ALTER TABLE t ADD x INT", "LS502", true).empty());
  EXPECT_TRUE(Hits("ALTER TABLE trig ADD x INT", "LS502", false).empty());
}

TEST(LintRulesTest, LS503ForeignKeys) {
  std::vector<testing::Hit> add = Hits("ALTER TABLE t ADD CONSTRAINT f FOREIGN KEY (a) REFERENCES parent (id)", "LS503");
  ASSERT_EQ(add.size(), 1u);
  EXPECT_EQ(add[0].severity, S::kError);
  EXPECT_EQ(add[0].message.substr(0, 35), "adds a foreign key to `parent`: loc");
  std::vector<testing::Hit> child = Hits("ALTER TABLE child ADD x INT", "LS503", true);
  ASSERT_EQ(child.size(), 1u);
  EXPECT_EQ(child[0].message.substr(0, 34), "`child` has foreign keys (`fk_p`):");
  EXPECT_TRUE(Hits("ALTER TABLE child DROP FOREIGN KEY fk_p", "LS503", true).empty());
  std::vector<testing::Hit> parent = Hits("ALTER TABLE parent ADD x INT", "LS503", true);
  ASSERT_EQ(parent.size(), 1u);
  EXPECT_EQ(parent[0].message.substr(0, 53), "`parent` is referenced by foreign key `fk_p` of `chil");
  EXPECT_TRUE(Hits("ALTER TABLE t ADD x INT", "LS503", true).empty());
}

TEST(LintRulesTest, LS504Partitioning) {
  std::vector<testing::Hit> drop = Hits("ALTER TABLE t DROP PARTITION p0, p1", "LS504");
  ASSERT_EQ(drop.size(), 1u);
  EXPECT_EQ(drop[0].severity, S::kError);
  EXPECT_EQ(Hits("ALTER TABLE t TRUNCATE PARTITION p0", "LS504")[0].severity, S::kError);
  std::vector<testing::Hit> by = Hits("ALTER TABLE t PARTITION BY HASH (id) PARTITIONS 4", "LS504");
  ASSERT_EQ(by.size(), 1u);
  EXPECT_EQ(by[0].severity, S::kWarning);
  EXPECT_EQ(by[0].message.substr(0, 43), "PARTITION BY changes the partitioning of `t");
  EXPECT_EQ(Hits("ALTER TABLE t REMOVE PARTITIONING", "LS504")[0].severity, S::kWarning);
  EXPECT_TRUE(Hits("ALTER TABLE t ADD x INT", "LS504").empty());
}

}  // namespace
}  // namespace lockstep::lint
