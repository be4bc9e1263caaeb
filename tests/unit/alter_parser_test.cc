#include "planner/sql/alter_parser.h"

#include <gtest/gtest.h>

#include "planner/sql/statement_parser.h"

namespace lockstep::sql {
namespace {

AlterTable Parse(const std::string& sql) {
  Result<AlterTable> alter = ParseAlterTable(sql);
  EXPECT_TRUE(alter.ok()) << sql << "\n" << alter.status().ToString();
  return alter.ok() ? *alter : AlterTable{};
}

std::string ParseError(const std::string& sql) {
  Result<AlterTable> alter = ParseAlterTable(sql);
  EXPECT_FALSE(alter.ok()) << "parsed: " << sql;
  return alter.ok() ? "" : alter.status().message();
}

std::vector<ClauseKind> Kinds(const AlterTable& alter) {
  std::vector<ClauseKind> out;
  for (const AlterClause& c : alter.clauses) out.push_back(c.kind);
  return out;
}

using K = ClauseKind;

struct KindCase {
  const char* sql;
  std::vector<ClauseKind> kinds;
};

// Real ALTERs and the clause kinds they must split into.
const KindCase kKindCases[] = {
    {"ALTER TABLE t ADD COLUMN c INT", {K::kAddColumn}},
    {"ALTER TABLE t ADD c INT NOT NULL DEFAULT 0", {K::kAddColumn}},
    {"ALTER TABLE t ADD COLUMN (a INT, b VARCHAR(10))", {K::kAddColumn, K::kAddColumn}},
    {"ALTER TABLE t ADD (a INT, INDEX ia (a))", {K::kAddColumn, K::kAddIndex}},
    {"ALTER TABLE t ADD COLUMN IF NOT EXISTS c INT", {K::kAddColumn}},
    {"ALTER TABLE t DROP COLUMN c", {K::kDropColumn}},
    {"ALTER TABLE t DROP c, DROP COLUMN IF EXISTS d", {K::kDropColumn, K::kDropColumn}},
    {"ALTER TABLE t MODIFY c BIGINT", {K::kModifyColumn}},
    {"ALTER TABLE t MODIFY COLUMN c BIGINT UNSIGNED NOT NULL", {K::kModifyColumn}},
    {"ALTER TABLE t CHANGE a b INT", {K::kChangeColumn}},
    {"ALTER TABLE t CHANGE COLUMN a b INT AFTER c", {K::kChangeColumn}},
    {"ALTER TABLE t RENAME COLUMN a TO b", {K::kRenameColumn}},
    {"ALTER TABLE t RENAME INDEX a TO b, RENAME KEY c TO d", {K::kRenameIndex, K::kRenameIndex}},
    {"ALTER TABLE t RENAME TO u", {K::kRenameTable}},
    {"ALTER TABLE t RENAME AS db2.u", {K::kRenameTable}},
    {"ALTER TABLE t RENAME u", {K::kRenameTable}},
    {"ALTER TABLE t ALTER COLUMN c SET DEFAULT 5", {K::kAlterColumnDefault}},
    {"ALTER TABLE t ALTER c DROP DEFAULT", {K::kAlterColumnDefault}},
    {"ALTER TABLE t ALTER COLUMN c SET INVISIBLE", {K::kAlterColumnOther}},
    {"ALTER TABLE t ADD INDEX i (a)", {K::kAddIndex}},
    {"ALTER TABLE t ADD KEY (a, b(10))", {K::kAddIndex}},
    {"ALTER TABLE t ADD UNIQUE (a)", {K::kAddIndex}},
    {"ALTER TABLE t ADD UNIQUE INDEX u USING BTREE (a) COMMENT 'x'", {K::kAddIndex}},
    {"ALTER TABLE t ADD CONSTRAINT uk UNIQUE KEY (a)", {K::kAddIndex}},
    {"ALTER TABLE t ADD FULLTEXT INDEX ft (body)", {K::kAddIndex}},
    {"ALTER TABLE t ADD SPATIAL INDEX sp (g)", {K::kAddIndex}},
    {"ALTER TABLE t ADD PRIMARY KEY (id)", {K::kAddIndex}},
    {"ALTER TABLE t ADD INDEX IF NOT EXISTS i (a)", {K::kAddIndex}},
    {"ALTER TABLE t ADD FOREIGN KEY (pid) REFERENCES p (id)", {K::kAddForeignKey}},
    {"ALTER TABLE t ADD CONSTRAINT fk FOREIGN KEY (pid) REFERENCES db.p (id) ON DELETE SET NULL "
     "ON UPDATE CASCADE",
     {K::kAddForeignKey}},
    {"ALTER TABLE t ADD CONSTRAINT ck CHECK (a > 0)", {K::kAddCheck}},
    {"ALTER TABLE t ADD CHECK (a > 0)", {K::kAddCheck}},
    {"ALTER TABLE t DROP INDEX i, DROP KEY j", {K::kDropIndex, K::kDropIndex}},
    {"ALTER TABLE t DROP PRIMARY KEY", {K::kDropPrimaryKey}},
    {"ALTER TABLE t DROP FOREIGN KEY fk", {K::kDropForeignKey}},
    {"ALTER TABLE t DROP CONSTRAINT ck, DROP CHECK ck2", {K::kDropConstraint, K::kDropConstraint}},
    {"ALTER TABLE t ENGINE=InnoDB", {K::kTableOption}},
    {"ALTER TABLE t ENGINE InnoDB ROW_FORMAT=DYNAMIC KEY_BLOCK_SIZE=8",
     {K::kTableOption, K::kTableOption, K::kTableOption}},
    {"ALTER TABLE t AUTO_INCREMENT = 1000, COMMENT 'hello'", {K::kTableOption, K::kTableOption}},
    {"ALTER TABLE t DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin", {K::kTableOption, K::kTableOption}},
    {"ALTER TABLE t CHARACTER SET latin1", {K::kTableOption}},
    {"ALTER TABLE t CONVERT TO CHARACTER SET utf8mb4", {K::kConvertCharset}},
    {"ALTER TABLE t CONVERT TO CHARSET utf8mb4 COLLATE utf8mb4_unicode_ci", {K::kConvertCharset}},
    {"ALTER TABLE t ADD c INT, ALGORITHM=INPLACE, LOCK=NONE",
     {K::kAddColumn, K::kAlgorithm, K::kLock}},
    {"ALTER TABLE t ALGORITHM COPY", {K::kAlgorithm}},
    {"ALTER TABLE t FORCE", {K::kForce}},
    {"ALTER TABLE t ENABLE KEYS", {K::kEnableKeys}},
    {"ALTER TABLE t DISABLE KEYS", {K::kDisableKeys}},
    {"ALTER TABLE t PARTITION BY HASH(id) PARTITIONS 4", {K::kPartition}},
    {"ALTER TABLE t ENGINE=InnoDB PARTITION BY KEY(id) PARTITIONS 2", {K::kTableOption, K::kPartition}},
    {"ALTER TABLE t ADD PARTITION (PARTITION p3 VALUES LESS THAN (2000))", {K::kPartition}},
    {"ALTER TABLE t DROP PARTITION p0, p1", {K::kPartition}},
    {"ALTER TABLE t TRUNCATE PARTITION p0", {K::kPartition}},
    {"ALTER TABLE t COALESCE PARTITION 2", {K::kPartition}},
    {"ALTER TABLE t REORGANIZE PARTITION p0 INTO (PARTITION a VALUES LESS THAN (5), PARTITION b "
     "VALUES LESS THAN (10))",
     {K::kPartition}},
    {"ALTER TABLE t REMOVE PARTITIONING", {K::kPartition}},
    {"ALTER TABLE t ORDER BY a", {K::kOther}},
    {"ALTER TABLE t DISCARD TABLESPACE", {K::kOther}},
    {"ALTER TABLE t ADD SYSTEM VERSIONING", {K::kOther}},
    {"ALTER TABLE t DROP SYSTEM VERSIONING", {K::kOther}},
    {"ALTER TABLE t", {}},
    {"ALTER ONLINE TABLE t ADD c INT", {K::kAddColumn}},
    {"alter table `db`.`t` add column `c` int", {K::kAddColumn}},
    {"/*!50100 ALTER TABLE t ADD c INT */", {K::kAddColumn}},
};

TEST(AlterParserTest, ClauseKindsOfRealAlters) {
  for (const KindCase& c : kKindCases) {
    EXPECT_EQ(Kinds(Parse(c.sql)), c.kinds) << c.sql;
  }
}

TEST(AlterParserTest, HeaderFlagsAndQualifiedName) {
  AlterTable a = Parse("ALTER ONLINE IGNORE TABLE IF EXISTS `db`.`t``x` WAIT 5 FORCE");
  EXPECT_TRUE(a.online);
  EXPECT_TRUE(a.ignore);
  EXPECT_TRUE(a.if_exists);
  EXPECT_EQ(a.schema, "db");
  EXPECT_EQ(a.table, "t`x");
  EXPECT_EQ(a.QualifiedName(), "db.t`x");
  EXPECT_EQ(a.wait, "5");
  EXPECT_EQ(Parse("ALTER TABLE t NOWAIT FORCE").wait, "0");
}

TEST(AlterParserTest, ColumnDefinitionDetails) {
  AlterTable a = Parse(
      "ALTER TABLE t ADD COLUMN `price` DECIMAL(10, 2) UNSIGNED ZEROFILL NOT NULL DEFAULT '0.00' "
      "COMMENT 'it''s' AFTER `name`");
  ASSERT_EQ(a.clauses.size(), 1u);
  const AlterClause& c = a.clauses[0];
  EXPECT_EQ(c.name, "price");
  ASSERT_TRUE(c.column.has_value());
  const ColumnDef& col = *c.column;
  EXPECT_EQ(col.name, "price");
  EXPECT_EQ(col.type.name, "decimal");
  EXPECT_EQ(col.type.params, (std::vector<std::string>{"10", "2"}));
  EXPECT_TRUE(col.type.is_unsigned);
  EXPECT_TRUE(col.type.zerofill);
  EXPECT_EQ(col.nullability, Nullability::kNotNull);
  EXPECT_EQ(col.default_value, "'0.00'");
  EXPECT_EQ(col.comment, "it's");
  EXPECT_EQ(col.position.kind, ColumnPosition::Kind::kAfter);
  EXPECT_EQ(col.position.after, "name");
  EXPECT_EQ(col.type.ToString(), "decimal(10,2) unsigned zerofill");
}

TEST(AlterParserTest, ColumnTypesCharsetsAndEnums) {
  AlterTable a = Parse(
      "ALTER TABLE t MODIFY a VARCHAR(50) CHARACTER SET latin1 COLLATE latin1_bin NULL FIRST, "
      "MODIFY b ENUM('x', 'y''z', _utf8mb4'w') DEFAULT 'x', MODIFY c DOUBLE PRECISION, "
      "MODIFY d TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), "
      "MODIFY e INT AUTO_INCREMENT PRIMARY KEY, MODIFY f TEXT CHARSET utf8mb4 INVISIBLE, "
      "MODIFY g INT AS (a + 1) STORED, MODIFY h INT DEFAULT -1 CHECK (h > -5)");
  ASSERT_EQ(a.clauses.size(), 8u);
  const ColumnDef& va = *a.clauses[0].column;
  EXPECT_EQ(va.type.name, "varchar");
  EXPECT_EQ(va.type.charset, "latin1");
  EXPECT_EQ(va.type.collation, "latin1_bin");
  EXPECT_EQ(va.nullability, Nullability::kNull);
  EXPECT_EQ(va.position.kind, ColumnPosition::Kind::kFirst);
  const ColumnDef& en = *a.clauses[1].column;
  EXPECT_EQ(en.type.values, (std::vector<std::string>{"x", "y'z", "w"}));
  EXPECT_EQ(en.nullability, Nullability::kUnspecified);
  EXPECT_EQ(en.position.kind, ColumnPosition::Kind::kEnd);
  EXPECT_EQ(a.clauses[2].column->type.name, "double");
  const ColumnDef& ts = *a.clauses[3].column;
  EXPECT_EQ(ts.type.params, (std::vector<std::string>{"6"}));
  EXPECT_EQ(ts.default_value, "CURRENT_TIMESTAMP(6)");
  EXPECT_EQ(ts.on_update, "CURRENT_TIMESTAMP(6)");
  const ColumnDef& ai = *a.clauses[4].column;
  EXPECT_TRUE(ai.auto_increment);
  EXPECT_TRUE(ai.primary_key);
  EXPECT_FALSE(ai.IsNullable());
  const ColumnDef& tx = *a.clauses[5].column;
  EXPECT_EQ(tx.type.charset, "utf8mb4");
  EXPECT_EQ(tx.other_attributes, (std::vector<std::string>{"INVISIBLE"}));
  const ColumnDef& gen = *a.clauses[6].column;
  EXPECT_EQ(gen.generated, GeneratedKind::kStored);
  EXPECT_EQ(gen.generated_expression, "a + 1");
  const ColumnDef& chk = *a.clauses[7].column;
  EXPECT_EQ(chk.default_value, "-1");
  EXPECT_EQ(chk.other_attributes, (std::vector<std::string>{"CHECK (h > -5)"}));
}

TEST(AlterParserTest, ChangeKeepsOldAndNewName) {
  AlterTable a = Parse("ALTER TABLE t CHANGE COLUMN IF EXISTS `old` `new` BIGINT NOT NULL");
  const AlterClause& c = a.clauses[0];
  EXPECT_EQ(c.name, "old");
  EXPECT_EQ(c.new_name, "new");
  EXPECT_TRUE(c.if_exists);
  EXPECT_EQ(c.column->type.name, "bigint");
}

TEST(AlterParserTest, IndexDetails) {
  AlterTable a = Parse(
      "ALTER TABLE t ADD UNIQUE KEY `uk` (`a`(10), b DESC) USING HASH COMMENT 'c' KEY_BLOCK_SIZE=8, "
      "ADD PRIMARY KEY (id), ADD CONSTRAINT named UNIQUE (x), ADD INDEX ((a + b))");
  const IndexDef& uk = *a.clauses[0].index;
  EXPECT_EQ(uk.name, "uk");
  EXPECT_EQ(uk.kind, IndexKind::kUnique);
  ASSERT_EQ(uk.columns.size(), 2u);
  EXPECT_EQ(uk.columns[0].name, "a");
  EXPECT_EQ(uk.columns[0].prefix_length, 10);
  EXPECT_TRUE(uk.columns[1].descending);
  EXPECT_EQ(uk.using_method, "HASH");
  EXPECT_EQ(uk.comment, "c");
  EXPECT_EQ(uk.other_options, (std::vector<std::string>{"KEY_BLOCK_SIZE=8"}));
  EXPECT_EQ(a.clauses[1].index->kind, IndexKind::kPrimary);
  EXPECT_EQ(a.clauses[1].index->name, "PRIMARY");
  EXPECT_EQ(a.clauses[2].index->name, "named");
  EXPECT_EQ(a.clauses[3].index->columns[0].expression, "a + b");
}

TEST(AlterParserTest, ForeignKeyDetails) {
  AlterTable a = Parse(
      "ALTER TABLE t ADD CONSTRAINT `fk_p` FOREIGN KEY `ix` (`pid`, `pk`) REFERENCES `db`.`p` "
      "(`id`, `k`) ON DELETE SET NULL ON UPDATE NO ACTION");
  const ForeignKeyDef& fk = *a.clauses[0].foreign_key;
  EXPECT_EQ(fk.name, "fk_p");
  EXPECT_EQ(fk.index_name, "ix");
  EXPECT_EQ(fk.columns, (std::vector<std::string>{"pid", "pk"}));
  EXPECT_EQ(fk.ref_schema, "db");
  EXPECT_EQ(fk.ref_table, "p");
  EXPECT_EQ(fk.ref_columns, (std::vector<std::string>{"id", "k"}));
  EXPECT_EQ(fk.on_delete, "SET NULL");
  EXPECT_EQ(fk.on_update, "NO ACTION");
}

TEST(AlterParserTest, OptionsAlgorithmLockConvertAndRename) {
  AlterTable a = Parse(
      "ALTER TABLE t AUTO_INCREMENT=500, ALGORITHM = copy, LOCK=shared, CONVERT TO CHARACTER SET "
      "utf8mb4 COLLATE utf8mb4_bin, RENAME TO db2.u, COMMENT = 'a''b'");
  EXPECT_EQ(a.clauses[0].option, "AUTO_INCREMENT");
  EXPECT_EQ(a.clauses[0].value, "500");
  EXPECT_EQ(a.clauses[1].value, "COPY");
  EXPECT_EQ(a.clauses[2].value, "SHARED");
  EXPECT_EQ(a.clauses[3].value, "utf8mb4");
  EXPECT_EQ(a.clauses[3].collation, "utf8mb4_bin");
  EXPECT_EQ(a.clauses[4].new_schema, "db2");
  EXPECT_EQ(a.clauses[4].new_name, "u");
  EXPECT_EQ(a.clauses[5].option, "COMMENT");
  EXPECT_EQ(a.clauses[5].value, "a'b");
  AlterTable b = Parse("ALTER TABLE t DEFAULT CHARACTER SET = utf8mb4");
  EXPECT_EQ(b.clauses[0].option, "CHARACTER SET");
}

TEST(AlterParserTest, ClauseTextAndPositions) {
  AlterTable a = Parse("ALTER TABLE t\n  ADD COLUMN c INT,\n  DROP COLUMN d,\n  ORDER BY x");
  ASSERT_EQ(a.clauses.size(), 3u);
  EXPECT_EQ(a.clauses[0].text, "ADD COLUMN c INT");
  EXPECT_EQ(a.clauses[0].pos.line, 2);
  EXPECT_EQ(a.clauses[0].pos.column, 3);
  EXPECT_EQ(a.clauses[1].text, "DROP COLUMN d");
  EXPECT_EQ(a.clauses[1].pos.line, 3);
  EXPECT_EQ(a.clauses[2].text, "ORDER BY x");
  EXPECT_EQ(a.table_pos.column, 13);
  AlterTable list = Parse("ALTER TABLE t ADD (a INT,\n b INT)");
  EXPECT_EQ(list.clauses[1].text, "b INT");
  EXPECT_EQ(list.clauses[1].pos.line, 2);
  EXPECT_EQ(list.clauses[1].pos.column, 2);
}

TEST(AlterParserTest, UnknownClausesAreKeptNotDropped) {
  AlterTable a = Parse("ALTER TABLE t ADD c INT, FROBNICATE the (table, now), DROP d");
  ASSERT_EQ(a.clauses.size(), 3u);
  EXPECT_EQ(a.clauses[1].kind, ClauseKind::kOther);
  EXPECT_EQ(a.clauses[1].text, "FROBNICATE the (table, now)");
}

TEST(AlterParserTest, PartitionClauseTakesTheRest) {
  AlterTable a = Parse("ALTER TABLE t DROP PARTITION p0, p1");
  ASSERT_EQ(a.clauses.size(), 1u);
  EXPECT_EQ(a.clauses[0].option, "DROP PARTITION");
  EXPECT_EQ(a.clauses[0].text, "DROP PARTITION p0, p1");
}

struct ErrorCase {
  const char* sql;
  const char* error;
};

const ErrorCase kErrorCases[] = {
    {"ALTER TABLE", "1:12: unexpected end of statement, expected a table name"},
    {"ALTER TABLE t ADD COLUMN", "1:25: unexpected end of statement, expected a column name"},
    {"ALTER TABLE t ADD COLUMN c", "1:27: unexpected end of statement, expected a data type"},
    {"ALTER TABLE t ADD c INT,", "1:25: unexpected end of statement, expected another clause after ','"},
    {"ALTER TABLE t ADD c INT DEFAULT", "1:32: unexpected end of statement, expected a value"},
    {"ALTER TABLE t ADD c ENUM(1, 2)", "1:26: unexpected '1', expected a quoted value"},
    {"ALTER TABLE t ADD c VARCHAR('x')", "1:29: unexpected ''x'', expected a number"},
    {"ALTER TABLE t ADD INDEX i", "1:26: unexpected end of statement, expected '('"},
    {"ALTER TABLE t ADD INDEX i (a", "1:29: unexpected end of statement, expected ')'"},
    {"ALTER TABLE t ADD FOREIGN KEY (a) REFERENCES", "1:45: unexpected end of statement, expected the referenced table"},
    {"ALTER TABLE t ADD c INT (", "1:26: unexpected end of statement, expected a number"},
    {"ALTER TABLE t ADD c INT INVISIBLE (a", "1:35: unbalanced '(': no matching ')'"},
    {"ALTER TABLE t DROP", "1:19: unexpected end of statement, expected a name to drop"},
    {"ALTER TABLE t RENAME COLUMN a b", "1:31: unexpected 'b', expected TO"},
    {"ALTER TABLE t ALTER COLUMN c SET", "1:33: unexpected end of statement, expected DEFAULT, VISIBLE or INVISIBLE"},
    {"ALTER TABLE t ALTER COLUMN c FOO", "1:30: unexpected 'FOO', expected SET DEFAULT or DROP DEFAULT"},
    {"ALTER TABLE t CONVERT TO utf8", "1:26: unexpected 'utf8', expected CHARACTER SET after CONVERT TO"},
    {"ALTER TABLE t ALGORITHM=", "1:25: unexpected end of statement, expected a value for ALGORITHM"},
    {"ALTER TABLE t ENGINE=InnoDB 5", "1:29: unexpected '5', expected ',' or another table option"},
    {"ALTER TABLE t 'x'", "1:15: unexpected ''x'', expected an ALTER TABLE clause"},
    {"ALTER TABLE t ADD c INT, , DROP d", "1:26: unexpected ',', expected an ALTER TABLE clause"},
    {"ALTER TABLE t DROP c d", "1:22: unexpected 'd', expected ',' or the end of the statement"},
    {"ALTER TABLE t\nADD c INT DEFAULT 'x", "2:19: unterminated string (missing ')"},
    {"ALTER TABLE t ADD c INT DEFAULT 0 'oops'", "1:35: unexpected ''oops'', expected a column attribute, ',' or ')'"},
    {"ALTER TABLE t ADD INDEX (a) 5", "1:29: unexpected '5', expected an index option, ',' or ')'"},
};

TEST(AlterParserTest, MalformedAltersGivePositionedErrors) {
  for (const ErrorCase& c : kErrorCases) {
    EXPECT_EQ(ParseError(c.sql), c.error) << c.sql;
  }
}

}  // namespace
}  // namespace lockstep::sql
