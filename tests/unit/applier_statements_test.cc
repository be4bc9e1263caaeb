// How the change applier writes the shadow table: an upsert only where the
// primary key is _t_new's one unique key (anything else could update the
// wrong row), and the statements' text.
#include <gtest/gtest.h>

#include "db/apply_sql.h"
#include "executor/apply/change_applier.h"
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
  EXPECT_TRUE(StatementChangesTable("ALTER TABLE s ADD COLUMN x INT", "s"));
  EXPECT_TRUE(StatementChangesTable("alter table `app`.`s` drop column n", "s"));
  EXPECT_TRUE(StatementChangesTable("DROP TABLE app.s", "s"));
  EXPECT_TRUE(StatementChangesTable("RENAME TABLE s TO s2", "s"));
  EXPECT_TRUE(StatementChangesTable("TRUNCATE s", "s"));
  // Other tables whose names contain the table's.
  EXPECT_FALSE(StatementChangesTable("DROP TRIGGER apply.s_fails", "s"));
  EXPECT_FALSE(StatementChangesTable("DROP TABLE sales", "s"));
  EXPECT_FALSE(StatementChangesTable("ALTER TABLE users ADD INDEX (name)", "s"));
  // Not DDL, and lockstep's own statements.
  EXPECT_FALSE(StatementChangesTable("INSERT INTO s VALUES (1)", "s"));
  EXPECT_FALSE(StatementChangesTable("RENAME TABLE `t` TO `_t_old`, `_t_new` TO `t`", "t"));
  EXPECT_FALSE(StatementChangesTable("DROP TABLE IF EXISTS `app`.`_t_new`", "t"));
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
