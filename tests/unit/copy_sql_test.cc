// The executor's SQL builders (db/copy_sql.h, db/cutover_sql.h), table-style.
#include <gtest/gtest.h>

#include "db/copy_sql.h"
#include "db/cutover_sql.h"
#include "db/owner_sql.h"

namespace lockstep::sql {
namespace {

const std::vector<KeyColumn> kId = {{"id", KeyLiteral::kNumber}};
const std::vector<KeyColumn> kAB = {{"a", KeyLiteral::kNumber}, {"b", KeyLiteral::kString}};
const std::vector<KeyColumn> kABC = {
    {"a", KeyLiteral::kNumber}, {"b", KeyLiteral::kString}, {"c", KeyLiteral::kBinary}};

TEST(CopySqlTest, KeyValueLiterals) {
  struct Case { std::string value; KeyLiteral kind; std::string out; };
  for (const Case& c : std::vector<Case>{
           {"42", KeyLiteral::kNumber, "42"},
           {"-7", KeyLiteral::kNumber, "-7"},
           {"9223372036854775807", KeyLiteral::kNumber, "9223372036854775807"},
           {"12.50", KeyLiteral::kNumber, "12.50"},
           {"1e5", KeyLiteral::kNumber, "'1e5'"},        // not plainly a number: quoted
           {"1; DROP TABLE t", KeyLiteral::kNumber, "'1; DROP TABLE t'"},
           {"", KeyLiteral::kNumber, "''"},
           {"abc", KeyLiteral::kString, "'abc'"},
           {"it's", KeyLiteral::kString, "'it\\'s'"},
           {"2024-01-02 03:04:05.123456", KeyLiteral::kString, "'2024-01-02 03:04:05.123456'"},
           {std::string("\x00\xff" "A", 3), KeyLiteral::kBinary, "X'00FF41'"},
           {"", KeyLiteral::kBinary, "X''"},
       }) {
    EXPECT_EQ(KeyValueLiteral(c.value, c.kind), c.out) << c.value;
  }
}

TEST(CopySqlTest, LexicographicComparisons) {
  struct Case { std::vector<KeyColumn> key; KeyTuple values; std::string greater, at_most; };
  for (const Case& c : std::vector<Case>{
           {kId, {"5"}, "(`id` > 5)", "(`id` <= 5)"},
           {kAB, {"1", "x"},
            "(`a` > 1 OR (`a` = 1 AND `b` > 'x'))",
            "(`a` < 1 OR (`a` = 1 AND `b` <= 'x'))"},
           {kABC, {"1", "x", "\x01"},
            "(`a` > 1 OR (`a` = 1 AND `b` > 'x') OR (`a` = 1 AND `b` = 'x' AND `c` > X'01'))",
            "(`a` < 1 OR (`a` = 1 AND `b` < 'x') OR (`a` = 1 AND `b` = 'x' AND `c` <= X'01'))"},
       }) {
    EXPECT_EQ(KeyGreaterThan(c.key, c.values), c.greater);
    EXPECT_EQ(KeyAtMost(c.key, c.values), c.at_most);
  }
}

TEST(CopySqlTest, OwnerRecord) {
  EXPECT_EQ(ClaimOwner("d`b", "t'x", "0123456789abcdef0123456789abcdef", 7, "host1"),
            "INSERT IGNORE INTO `d``b`.`_lockstep_owners` (table_name, store_id, migration_id, "
            "owner_host) VALUES ('t\\'x', '0123456789abcdef0123456789abcdef', 7, 'host1')");
  EXPECT_EQ(OwnerOf("db", "t"), "SELECT store_id, migration_id, owner_host, claimed_at FROM "
                                "`db`.`_lockstep_owners` WHERE table_name = 't'");
  EXPECT_EQ(ReleaseOwner("db", "t", "ab", 3),
            "DELETE FROM `db`.`_lockstep_owners` WHERE table_name = 't' AND store_id = 'ab' AND "
            "migration_id = 3");
}

TEST(CopySqlTest, DeletesAboveAWatermark) {
  const RangeTable shadow{"db", "_t_new", kAB, true};
  const KeyTuple after{"1", "x"};
  EXPECT_EQ(DeleteAbove(shadow, &after, 5000),
            "DELETE FROM `db`.`_t_new` WHERE (`a` > 1 OR (`a` = 1 AND `b` > 'x')) LIMIT 5000");
  EXPECT_EQ(DeleteAbove(shadow, nullptr, 0), "DELETE FROM `db`.`_t_new` LIMIT 1");
  EXPECT_EQ(AnyAbove(shadow, {"2", "y"}),
            "SELECT EXISTS (SELECT 1 FROM `db`.`_t_new` WHERE (`a` > 2 OR (`a` = 2 AND `b` > 'y')))");
}

TEST(CopySqlTest, RangeStatements) {
  const RangeTable t{"db", "t", kId, true};
  const RangeTable shadow{"db", "_t_new", kId, true};
  const RangeTable shadow_no_pk{"db", "_t_new", {{"ident", KeyLiteral::kNumber}}, false};
  const KeyTuple after{"10"}, upper{"20"};
  const KeyRange from_start{nullptr, &upper};
  const KeyRange between{&after, &upper};
  const std::vector<ColumnCopy> cols = {{"id", "id"}, {"old name", "new`name"}};
  struct Case { std::string got, want; };
  for (const Case& c : std::vector<Case>{
           {MaxKey(t), "SELECT `id` FROM `db`.`t` FORCE INDEX (PRIMARY) ORDER BY `id` DESC LIMIT 1 "
                       "LOCK IN SHARE MODE"},
           {ChunkEnd(t, between, 999),
            "SELECT `id` FROM `db`.`t` FORCE INDEX (PRIMARY) WHERE (`id` > 10) AND (`id` <= 20) "
            "ORDER BY `id` LIMIT 1 OFFSET 999"},
           {ChunkEnd(t, from_start, -3),
            "SELECT `id` FROM `db`.`t` FORCE INDEX (PRIMARY) WHERE (`id` <= 20) ORDER BY `id` "
            "LIMIT 1 OFFSET 0"},
           {CopyRange(t, shadow, cols, InsertMode::kIgnore, between),
            "INSERT IGNORE INTO `db`.`_t_new` (`id`, `new``name`) SELECT `src`.`id`, "
            "`src`.`old name` FROM `db`.`t` AS `src` FORCE INDEX (PRIMARY) WHERE (`src`.`id` > 10) "
            "AND (`src`.`id` <= 20) ORDER BY `src`.`id`"},
           {CopyRange(t, shadow, cols, InsertMode::kStrict, from_start),
            "INSERT INTO `db`.`_t_new` (`id`, `new``name`) SELECT `src`.`id`, `src`.`old name` "
            "FROM `db`.`t` AS `src` FORCE INDEX (PRIMARY) WHERE (`src`.`id` <= 20) ORDER BY `src`.`id`"},
           {CopyRange(t, shadow_no_pk, {{"id", "ident"}}, InsertMode::kSkipExisting, from_start),
            "INSERT INTO `db`.`_t_new` (`ident`) SELECT `src`.`id` FROM `db`.`t` AS `src` "
            "FORCE INDEX (PRIMARY) WHERE (`src`.`id` <= 20) AND NOT EXISTS (SELECT 1 FROM "
            "`db`.`_t_new` AS `dst` WHERE `dst`.`ident` = `src`.`id`) ORDER BY `src`.`id`"},
           {DeleteRange(shadow, between),
            "DELETE FROM `db`.`_t_new` WHERE (`id` > 10) AND (`id` <= 20)"},
           {DuplicateKeyValues("db", "t", {{"email", std::nullopt}, {"name", 10}}, 10),
            "SELECT `email`, LEFT(`name`, 10), COUNT(*) AS `duplicates` FROM `db`.`t` WHERE "
            "`email` IS NOT NULL AND `name` IS NOT NULL GROUP BY `email`, LEFT(`name`, 10) "
            "HAVING COUNT(*) > 1 LIMIT 10"},
       }) {
    EXPECT_EQ(c.got, c.want);
  }
}

TEST(CopySqlTest, ChecksumExpressions) {
  using Cast = ChecksumValue::Cast;
  using Form = ChecksumValue::Form;
  struct Case { ChecksumValue value; std::string want; };
  for (const Case& c : std::vector<Case>{
           {{"a", Cast::kNone, 0, 0, Form::kAsIs}, "`a`"},
           {{"a", Cast::kDecimal, 12, 4, Form::kAsIs}, "CAST(`a` AS DECIMAL(12,4))"},
           {{"a", Cast::kDecimal, 500, 90, Form::kAsIs}, "CAST(`a` AS DECIMAL(65,38))"},  // clamped
           {{"a", Cast::kDatetime, 0, 6, Form::kAsIs}, "CAST(`a` AS DATETIME(6))"},
           {{"a", Cast::kTime, 0, 9, Form::kAsIs}, "CAST(`a` AS TIME(6))"},
           {{"a", Cast::kDate, 0, 0, Form::kAsIs}, "CAST(`a` AS DATE)"},
           {{"a", Cast::kSigned, 0, 0, Form::kAsIs}, "CAST(`a` AS SIGNED)"},
           {{"a", Cast::kDouble, 0, 0, Form::kAsIs}, "CAST(`a` AS DOUBLE)"},
           {{"a", Cast::kNone, 0, 0, Form::kUtf8mb4}, "CONVERT(`a` USING utf8mb4)"},
           {{"a", Cast::kNone, 0, 0, Form::kHex}, "HEX(`a`)"},
       }) {
    EXPECT_EQ(ChecksumValueExpression(c.value), c.want);
  }
  const KeyTuple upper{"20"};
  EXPECT_EQ(RangeChecksum({"db", "t", kId, true},
                          {{"id", Cast::kNone, 0, 0, Form::kAsIs}, {"v", Cast::kNone, 0, 0, Form::kHex}},
                          {nullptr, &upper}),
            "SELECT COUNT(*) AS row_count, COALESCE(BIT_XOR(CRC32(CONCAT_WS('#', `id`, HEX(`v`), "
            "CONCAT(ISNULL(`id`), ISNULL(`v`))))), 0) AS crc FROM `db`.`t` FORCE INDEX (PRIMARY) "
            "WHERE (`id` <= 20)");
}

TEST(CopySqlTest, CutoverStatements) {
  struct Case { std::string got, want; };
  for (const Case& c : std::vector<Case>{
           {LockTableForWrite("db", "t", 500),
            "SET STATEMENT max_statement_time = 0.500 FOR LOCK TABLES `db`.`t` WRITE"},
           {LockTableForWrite("db", "t", 0),
            "SET STATEMENT max_statement_time = 0.001 FOR LOCK TABLES `db`.`t` WRITE"},
           {CutoverRename("db", "t", "_t_old", "_t_new"),
            "RENAME TABLE `db`.`t` TO `db`.`_t_old`, `db`.`_t_new` TO `db`.`t`"},
           {SetAutoIncrement("db", "_t_new", 1001), "ALTER TABLE `db`.`_t_new` AUTO_INCREMENT = 1001"},
           {SetAutoIncrementWithin("db", "_t_new", 7, 250),
            "SET STATEMENT max_statement_time = 0.250 FOR ALTER TABLE `db`.`_t_new` AUTO_INCREMENT = 7"},
           {LockTableAndSentry("db", "t", "_t_old", TableLockMode::kRead, 1500),
            "SET STATEMENT max_statement_time = 1.500 FOR LOCK TABLES `db`.`t` READ, `db`.`_t_old` WRITE"},
           {LockTableAndSentry("db", "t", "_t_old", TableLockMode::kWrite, 20),
            "SET STATEMENT max_statement_time = 0.020 FOR LOCK TABLES `db`.`t` WRITE, `db`.`_t_old` WRITE"},
           {PendingExclusiveProbe("db", "t"),
            "SET STATEMENT lock_wait_timeout = 0 FOR SELECT 1 FROM `db`.`t` LIMIT 0"},
           {SetMaxStatementTime(2500), "SET SESSION max_statement_time = 2.500"},
           {CreateSentry("db", "_t_old"),
            "CREATE TABLE `db`.`_t_old` (lockstep_sentry TINYINT) ENGINE=InnoDB COMMENT 'lockstep "
            "cut-over sentry'"},
           {DropTable("d`b", "_t_old"), "DROP TABLE `d``b`.`_t_old`"},
           {DropTableWithin("db", "_t_old", 40),
            "SET STATEMENT max_statement_time = 0.040 FOR DROP TABLE `db`.`_t_old`"},
           {SetWaitTimeout(0), "SET SESSION wait_timeout = 1"},
           {CreateTableLike("db", "_t_new", "t"), "CREATE TABLE `db`.`_t_new` LIKE `db`.`t`"},
           {ThreadState(42), "SELECT STATE, INFO FROM information_schema.PROCESSLIST WHERE ID = 42"},
           {KillQuery(42), "KILL QUERY 42"},
           {TableAutoIncrement("d'b", "t"),
            "SELECT AUTO_INCREMENT FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'd\\'b' AND "
            "TABLE_NAME = 't'"},
       }) {
    EXPECT_EQ(c.got, c.want);
  }
}

}  // namespace
}  // namespace lockstep::sql
