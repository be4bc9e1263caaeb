// How the change applier writes the shadow table: an upsert only where the
// primary key is _t_new's one unique key (anything else could update the
// wrong row), and the statements' text.
#include <gtest/gtest.h>

#include "db/apply_sql.h"
#include "executor/apply/change_applier.h"
#include "executor/apply/ddl_targets.h"
#include "executor/apply/row_image_mapping.h"
#include "planner/sql/create_table_parser.h"

namespace lockstep {
namespace {

Result<RowImageMapping> Mapping(const std::string& source_ddl, const std::string& shadow_ddl) {
  auto source = sql::ParseCreateTable(source_ddl);
  auto shadow = sql::ParseCreateTable(shadow_ddl);
  if (!source.ok()) return source.status();
  if (!shadow.ok()) return shadow.status();
  return RowImageMapping::Build(*source, *shadow, {});
}

TEST(ApplierStatementsTest, UpsertsOnlyWhereThePrimaryKeyIsTheOneUniqueKey) {
  const std::string t = "CREATE TABLE t (id INT NOT NULL, k INT, c CHAR(10), PRIMARY KEY (id), KEY (k))";
  auto plain = Mapping(t, "CREATE TABLE _t_new (id INT NOT NULL, k INT, c CHAR(10), note INT, "
                          "PRIMARY KEY (id), KEY (k))");
  ASSERT_TRUE(plain.ok()) << plain.status().ToString();
  EXPECT_TRUE(plain->key_is_only_unique);

  auto unique = Mapping(t, "CREATE TABLE _t_new (id INT NOT NULL, k INT, c CHAR(10), "
                           "PRIMARY KEY (id), UNIQUE KEY uk (c), KEY (k))");
  ASSERT_TRUE(unique.ok());
  EXPECT_FALSE(unique->key_is_only_unique) << "an upsert could update the row holding c";

  auto moved = Mapping(t, "CREATE TABLE _t_new (id INT NOT NULL, k INT NOT NULL, c CHAR(10), "
                          "PRIMARY KEY (id, k))");
  ASSERT_TRUE(moved.ok());
  EXPECT_FALSE(moved->key_is_only_unique) << "the shadow's key is not the key rows are netted by";

  auto composite = Mapping(
      "CREATE TABLE t (a INT NOT NULL, b INT NOT NULL, v INT, PRIMARY KEY (a, b))",
      "CREATE TABLE _t_new (b INT NOT NULL, a INT NOT NULL, v INT, PRIMARY KEY (b, a))");
  ASSERT_TRUE(composite.ok());
  EXPECT_TRUE(composite->key_is_only_unique) << "same columns, another order: still unique on them";
}

TEST(ApplierStatementsTest, UpsertUpdatesEveryColumnButTheKey) {
  EXPECT_EQ(sql::UpsertRows("s", "_t_new", {"id", "c`x", "v"}, {"id"}, {{"1", "'a'", "NULL"}, {"2", "'b'", "3"}}),
            "INSERT INTO `s`.`_t_new` (`id`,`c``x`,`v`) VALUES (1,'a',NULL),(2,'b',3) "
            "ON DUPLICATE KEY UPDATE `c``x`=VALUE(`c``x`),`v`=VALUE(`v`)");
  EXPECT_EQ(sql::UpsertRows("s", "t", {"a", "b"}, {"a", "b"}, {{"1", "2"}}),
            "INSERT INTO `s`.`t` (`a`,`b`) VALUES (1,2) ON DUPLICATE KEY UPDATE `a`=`a`");
}

TEST(ApplierStatementsTest, StatementsThatChangeTheTableNameItAsAWholeIdentifier) {
  auto changes = [](std::string_view text) { return StatementChangesTable(text, "app", "app", "s"); };
  EXPECT_TRUE(changes("ALTER TABLE s ADD COLUMN x INT"));
  EXPECT_TRUE(changes("alter table `app`.`s` drop column n"));
  EXPECT_TRUE(changes("DROP TABLE app.s"));
  EXPECT_TRUE(changes("DROP TABLE IF EXISTS other, s"));
  EXPECT_TRUE(changes("RENAME TABLE s TO s2"));
  EXPECT_TRUE(changes("RENAME TABLE x TO y, s2 TO s"));
  EXPECT_TRUE(changes("TRUNCATE s"));
  EXPECT_TRUE(changes("TRUNCATE TABLE `s`"));
  EXPECT_TRUE(changes("CREATE OR REPLACE TABLE s (id INT PRIMARY KEY)"));
  EXPECT_TRUE(changes("CREATE UNIQUE INDEX u ON s (a)"));
  EXPECT_TRUE(changes("DROP INDEX i ON app.s"));
  EXPECT_TRUE(changes("CREATE DEFINER=`root`@`localhost` TRIGGER tr BEFORE INSERT ON s FOR EACH ROW SET @x = 1"));
  // What the text check before let through: a leading comment, an index
  // whose name contains _s_, a name in another case of quoting.
  EXPECT_TRUE(changes("/* deploy 42 */ ALTER TABLE s ADD COLUMN x INT"));
  EXPECT_TRUE(changes("-- hotfix\nALTER TABLE s ADD INDEX idx_s_a (a)"));
  EXPECT_TRUE(changes("ALTER ONLINE IGNORE TABLE IF EXISTS `s` ADD INDEX `_s_x` (a)"));
  // Other tables, in this or another schema.
  EXPECT_FALSE(changes("DROP TRIGGER apply.s_fails"));
  EXPECT_FALSE(changes("DROP TABLE sales"));
  EXPECT_FALSE(changes("DROP TABLE other.s"));
  EXPECT_FALSE(StatementChangesTable("ALTER TABLE s ADD COLUMN x INT", "other", "app", "s"));
  EXPECT_FALSE(changes("ALTER TABLE users ADD INDEX (name)"));
  EXPECT_FALSE(changes("ALTER TABLE users ADD FOREIGN KEY (s_id) REFERENCES s (id)"));
  EXPECT_FALSE(changes("CREATE TABLE s_copy LIKE s"));
  // Not DDL, and lockstep's own statements.
  EXPECT_FALSE(changes("INSERT INTO s VALUES (1)"));
  EXPECT_FALSE(changes("RENAME TABLE `app`.`s` TO `app`.`_s_old`, `app`.`_s_new` TO `app`.`s`"));
  EXPECT_FALSE(changes("CREATE TABLE `app`.`_s_new` LIKE `app`.`s`"));
  EXPECT_FALSE(changes("DROP TABLE IF EXISTS `app`.`_s_new`"));
  EXPECT_FALSE(changes("CREATE TABLE `app`.`_s_old` (lockstep_sentry TINYINT) COMMENT 'x'"));
  // Not lexable: taken to change t when it names it.
  EXPECT_TRUE(changes("ALTER TABLE 's"));
  EXPECT_FALSE(changes("ALTER TABLE 'x"));
  // Statement-level settings, and rows exchanged with a partition.
  EXPECT_TRUE(changes("SET STATEMENT lock_wait_timeout = 5 FOR ALTER TABLE s ADD COLUMN x INT"));
  EXPECT_TRUE(changes("SET STATEMENT max_statement_time = 1 FOR TRUNCATE TABLE s"));
  EXPECT_TRUE(changes("ALTER TABLE p EXCHANGE PARTITION p0 WITH TABLE s"));
  EXPECT_TRUE(changes("ALTER TABLE p CONVERT TABLE s TO PARTITION p1 VALUES LESS THAN (10)"));
  // A temporary table of the same name hides t for one session only, and a
  // routine's body is not its statement.
  EXPECT_FALSE(changes("DROP TEMPORARY TABLE s"));
  EXPECT_FALSE(changes("CREATE OR REPLACE TEMPORARY TABLE s (id INT)"));
  EXPECT_FALSE(changes("CREATE OR REPLACE DEFINER=`root`@`localhost` PROCEDURE p() TRUNCATE TABLE s"));
  EXPECT_TRUE(changes("CREATE DEFINER = CURRENT_USER TRIGGER tr AFTER UPDATE ON s FOR EACH ROW SET @x = 1"));
}

TEST(ApplierStatementsTest, DataChangesThatNameTheTableAreStatementFormatWrites) {
  auto writes = [](std::string_view text) { return StatementWritesTable(text, "app", "app", "s"); };
  EXPECT_TRUE(writes("INSERT INTO s VALUES (1)"));
  EXPECT_TRUE(writes("/* app */ update `app`.`s` SET v = 2 WHERE id = 1"));
  EXPECT_TRUE(writes("DELETE FROM s WHERE id = 3"));
  EXPECT_TRUE(writes("REPLACE INTO app.s (id) VALUES (4)"));
  EXPECT_TRUE(writes("INSERT INTO other SELECT * FROM s"));  // conservative
  EXPECT_FALSE(writes("INSERT INTO sales VALUES (1)"));
  EXPECT_FALSE(writes("INSERT INTO other.s VALUES (1)"));
  EXPECT_TRUE(writes("UPDATE t SET s = 1"));  // conservative: a column named like the table
  EXPECT_FALSE(writes("UPDATE t SET x.s = 1"));
  EXPECT_FALSE(writes("ALTER TABLE s ADD COLUMN x INT"));
  EXPECT_FALSE(writes("BEGIN"));
}

TEST(ApplierStatementsTest, DdlTargetsAreQualifiedWithTheStatementsSchema) {
  EXPECT_EQ(DdlTargets("RENAME TABLE a TO b.c, `d` TO e", "db"),
            (std::vector<TableName>{{"db", "a"}, {"b", "c"}, {"db", "d"}, {"db", "e"}}));
  EXPECT_EQ(DdlTargets("SELECT 1", "db"), std::vector<TableName>{});
}

}  // namespace
}  // namespace lockstep

namespace lockstep {
namespace {

TEST(ApplierStatementsTest, KeysAreOrderedLikeTheServersPrimaryKey) {
  const KeyOrder less;
  EXPECT_TRUE(less({"9"}, {"10"})) << "integers by value, not as text";
  EXPECT_TRUE(less({"-10"}, {"-9"}));
  EXPECT_TRUE(less({"-1"}, {"0"}));
  EXPECT_FALSE(less({"10"}, {"10"}));
  EXPECT_TRUE(less({"2", "100"}, {"10", "1"})) << "composite keys column by column";
  EXPECT_TRUE(less({"1", "9"}, {"1", "10"}));
  EXPECT_TRUE(less({"'a'"}, {"'b'"})) << "anything else as text";
}

}  // namespace
}  // namespace lockstep
