// Pure pieces of the shadow table: the spec from a parsed ALTER, the column
// mapping, when INSERT IGNORE is safe, the copy layout, checksum columns.
#include <gtest/gtest.h>

#include "executor/copy/copy_layout.h"
#include "executor/shadow/column_mapping.h"
#include "executor/shadow/copy_safety.h"
#include "executor/shadow/deferred_indexes.h"
#include "executor/shadow/shadow_spec.h"
#include "executor/shadow/shadow_table.h"
#include "executor/verify/checksum_columns.h"
#include "planner/sql/create_table_parser.h"
#include "planner/sql/statement_parser.h"

namespace lockstep::executor {
namespace {

ShadowSpec Spec(const std::string& alter) {
  auto parsed = sql::ParseAlterTable(alter);
  EXPECT_TRUE(parsed.ok()) << parsed.status().ToString();
  auto spec = ShadowSpecFromAlter(*parsed, "db");
  EXPECT_TRUE(spec.ok()) << spec.status().ToString();
  return spec.ok() ? *spec : ShadowSpec{};
}

sql::TableDef Table(const std::string& create) {
  auto def = sql::ParseCreateTable(create);
  EXPECT_TRUE(def.ok()) << def.status().ToString();
  return def.ok() ? *def : sql::TableDef{};
}

TEST(ShadowSpecTest, ClausesRenamesAndDrops) {
  ShadowSpec s = Spec("ALTER TABLE t ADD COLUMN c INT, ALGORITHM=INPLACE, LOCK=NONE, "
                      "RENAME COLUMN a TO b, CHANGE x y BIGINT, DROP COLUMN d, MODIFY e TEXT");
  EXPECT_EQ(s.schema, "db");
  EXPECT_EQ(s.table, "t");
  EXPECT_EQ(s.alter_clauses, (std::vector<std::string>{"ADD COLUMN c INT", "RENAME COLUMN a TO b",
                                                       "CHANGE x y BIGINT", "DROP COLUMN d",
                                                       "MODIFY e TEXT"}));
  EXPECT_EQ(s.TargetOf("a"), "b");
  EXPECT_EQ(s.TargetOf("X"), "y");  // names compare ignoring case
  EXPECT_EQ(s.TargetOf("d"), std::nullopt);
  EXPECT_EQ(s.TargetOf("e"), "e");
}

TEST(ShadowSpecTest, RenameChainsAndCaseOnlyChanges) {
  ShadowSpec s = Spec("ALTER TABLE db2.t RENAME COLUMN a TO b, RENAME COLUMN b TO c, CHANGE k K INT");
  EXPECT_EQ(s.schema, "db2");
  EXPECT_EQ(s.TargetOf("a"), "c");
  EXPECT_EQ(s.renames.size(), 1u);
  // Dropped and added back under the same name: a new, empty column.
  ShadowSpec readded = Spec("ALTER TABLE t DROP COLUMN v, ADD COLUMN v INT");
  EXPECT_EQ(readded.TargetOf("v"), std::nullopt);
}

TEST(ShadowSpecTest, AddListElementsGetTheirAddBack) {
  ShadowSpec s = Spec("ALTER TABLE t ADD (p INT, q INT, INDEX iq (q))");
  EXPECT_EQ(s.alter_clauses, (std::vector<std::string>{"ADD p INT", "ADD q INT", "ADD INDEX iq (q)"}));
}

TEST(ShadowSpecTest, RefusesWhatMustNotTouchTheShadow) {
  for (const std::string alter : {"ALTER TABLE t RENAME TO t2", "ALTER IGNORE TABLE t ADD UNIQUE (a)"}) {
    auto parsed = sql::ParseAlterTable(alter);
    ASSERT_TRUE(parsed.ok()) << alter;
    EXPECT_TRUE(ShadowSpecFromAlter(*parsed, "db").status().IsInvalidArgument()) << alter;
  }
}

const char* kOld =
    "CREATE TABLE `t` (\n  `id` int(11) NOT NULL AUTO_INCREMENT,\n  `a` int(11) DEFAULT NULL,\n"
    "  `x` varchar(20) DEFAULT NULL,\n  `d` date DEFAULT NULL,\n  `gone` int(11) DEFAULT NULL,\n"
    "  PRIMARY KEY (`id`),\n  UNIQUE KEY `ux` (`x`)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4";

TEST(ColumnMappingTest, ByNameAfterRenames) {
  sql::TableDef old_def = Table(kOld);
  sql::TableDef new_def = Table(
      "CREATE TABLE `t` (\n  `id` int(11) NOT NULL AUTO_INCREMENT,\n  `b` int(11) DEFAULT NULL,\n"
      "  `x` varchar(20) DEFAULT NULL,\n  `d` date DEFAULT NULL,\n  `fresh` int(11) DEFAULT 7,\n"
      "  `g` int(11) GENERATED ALWAYS AS (`b` + 1) VIRTUAL,\n  PRIMARY KEY (`id`),\n"
      "  UNIQUE KEY `ux` (`x`)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4");
  ShadowSpec spec = Spec("ALTER TABLE t RENAME COLUMN a TO b, DROP COLUMN gone, ADD fresh INT DEFAULT 7, "
                         "ADD g INT AS (b + 1)");
  auto m = MapColumns(old_def, new_def, spec);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  std::vector<std::string> pairs;
  for (const auto& p : m->copied) pairs.push_back(p.old_name + ">" + p.new_name);
  EXPECT_EQ(pairs, (std::vector<std::string>{"id>id", "a>b", "x>x", "d>d"}));
  EXPECT_EQ(m->dropped, std::vector<std::string>{"gone"});
  EXPECT_EQ(m->added, std::vector<std::string>{"fresh"});
  EXPECT_EQ(m->generated, std::vector<std::string>{"g"});
  EXPECT_EQ(m->OldName("B"), "a");

  ShadowSpec bad = Spec("ALTER TABLE t RENAME COLUMN nope TO b");
  EXPECT_TRUE(MapColumns(old_def, new_def, bad).status().IsInvalidArgument());
}

TEST(CopySafetyTest, IgnoreOnlyWhenNothingElseCanBeIgnored) {
  struct Case { std::string name, alter, new_table; bool ignore; std::string reason; };
  const std::string head =
      "CREATE TABLE `t` (\n  `id` int(11) NOT NULL AUTO_INCREMENT,\n  `a` int(11) DEFAULT NULL,\n";
  const std::string tail = "  `d` date DEFAULT NULL,\n  `gone` int(11) DEFAULT NULL,\n  PRIMARY KEY (`id`),\n";
  const std::string ux = "  UNIQUE KEY `ux` (`x`)";
  const std::string x = "  `x` varchar(20) DEFAULT NULL,\n";
  const std::string end = "\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4";
  for (const Case& c : std::vector<Case>{
           {"same table", "ALTER TABLE t FORCE", kOld, true, ""},
           {"plain index", "ALTER TABLE t ADD INDEX ia (a)",
            head + x + tail + ux + ",\n  KEY `ia` (`a`)" + end, true, ""},
           {"new unique key", "ALTER TABLE t ADD UNIQUE KEY ua (a)",
            head + x + tail + ux + ",\n  UNIQUE KEY `ua` (`a`)" + end, false, "adds unique key `ua`"},
           {"unique key on renamed column is not new", "ALTER TABLE t CHANGE x x2 varchar(20)",
            head + "  `x2` varchar(20) DEFAULT NULL,\n" + tail + "  UNIQUE KEY `ux` (`x2`)" + end, true, ""},
           {"widened type", "ALTER TABLE t MODIFY a bigint",
            "CREATE TABLE `t` (\n  `id` int(11) NOT NULL AUTO_INCREMENT,\n  `a` bigint(20) DEFAULT NULL,\n" +
                x + tail + ux + end, false, "changes the type of `a`"},
           {"charset change", "ALTER TABLE t MODIFY x varchar(20) CHARACTER SET latin1",
            head + "  `x` varchar(20) CHARACTER SET latin1 COLLATE latin1_swedish_ci DEFAULT NULL,\n" +
                tail + ux + end, false, "changes the type of `x`"},
           {"not null", "ALTER TABLE t MODIFY a int NOT NULL",
            "CREATE TABLE `t` (\n  `id` int(11) NOT NULL AUTO_INCREMENT,\n  `a` int(11) NOT NULL,\n" +
                x + tail + ux + end, false, "makes `a` NOT NULL"},
           {"check", "ALTER TABLE t ADD CONSTRAINT c CHECK (a > 0)",
            head + x + tail + ux + ",\n  CONSTRAINT `c` CHECK (`a` > 0)" + end, false, "adds CHECK"},
           // A strict INSERT stops on a row that fits no partition (1526);
           // INSERT IGNORE dropped it.
           {"partitioned anew", "ALTER TABLE t FORCE",
            head + x + tail + ux + end + "\n PARTITION BY RANGE (`id`)\n(PARTITION `p0` VALUES LESS THAN "
            "(100) ENGINE = InnoDB)", false, "fit no partition"},
       }) {
    sql::TableDef old_def = Table(kOld);
    sql::TableDef new_def = Table(c.new_table);
    auto mapping = MapColumns(old_def, new_def, Spec(c.alter));
    ASSERT_TRUE(mapping.ok()) << c.name << ": " << mapping.status().ToString();
    CopySafety safety = AnalyzeCopySafety(old_def, new_def, *mapping);
    EXPECT_EQ(safety.ignore_allowed, c.ignore) << c.name;
    if (!c.reason.empty()) {
      ASSERT_FALSE(safety.strict_reasons.empty()) << c.name;
      EXPECT_NE(safety.strict_reasons[0].find(c.reason), std::string::npos)
          << c.name << ": " << safety.strict_reasons[0];
    }
  }
}

ShadowTableInfo Info(const std::string& old_sql, const std::string& new_sql, const std::string& alter) {
  ShadowTableInfo info;
  info.schema = "db";
  info.table = "t";
  info.shadow_table = "_t_new";
  info.source_def = Table(old_sql);
  info.shadow_def = Table(new_sql);
  auto m = MapColumns(info.source_def, info.shadow_def, Spec(alter));
  EXPECT_TRUE(m.ok()) << m.status().ToString();
  if (m.ok()) info.mapping = *m;
  return info;
}

TEST(CopyLayoutTest, KeyFromThePrimaryKeyUnderNewNames) {
  const std::string old_sql =
      "CREATE TABLE `t` (\n  `a` bigint(20) NOT NULL,\n  `b` varbinary(16) NOT NULL,\n"
      "  `c` datetime(6) NOT NULL,\n  `v` text,\n  PRIMARY KEY (`a`,`b`,`c`)\n) ENGINE=InnoDB";
  const std::string new_sql =
      "CREATE TABLE `t` (\n  `a` bigint(20) NOT NULL,\n  `b2` varbinary(16) NOT NULL,\n"
      "  `c` datetime(6) NOT NULL,\n  `v` text,\n  PRIMARY KEY (`a`,`b2`,`c`)\n) ENGINE=InnoDB";
  auto layout = MakeCopyLayout(Info(old_sql, new_sql, "ALTER TABLE t CHANGE b b2 varbinary(16) NOT NULL"));
  ASSERT_TRUE(layout.ok()) << layout.status().ToString();
  ASSERT_EQ(layout->source.key.size(), 3u);
  EXPECT_EQ(layout->source.key[1].name, "b");
  EXPECT_EQ(layout->target.key[1].name, "b2");
  EXPECT_EQ(layout->source.key[0].literal, sql::KeyLiteral::kNumber);
  EXPECT_EQ(layout->source.key[1].literal, sql::KeyLiteral::kBinary);
  EXPECT_EQ(layout->source.key[2].literal, sql::KeyLiteral::kString);
  EXPECT_TRUE(layout->target.key_is_primary);
  EXPECT_EQ(layout->columns.size(), 4u);
}

TEST(CopyLayoutTest, RefusesKeysItCannotChunk) {
  struct Case { std::string pk_column; };
  for (const Case& c : std::vector<Case>{{"`k` double NOT NULL"}, {"`k` enum('b','a') NOT NULL"},
                                         {"`k` bit(8) NOT NULL"}, {"`k` float NOT NULL"}}) {
    const std::string table =
        "CREATE TABLE `t` (\n  " + c.pk_column + ",\n  PRIMARY KEY (`k`)\n) ENGINE=InnoDB";
    EXPECT_EQ(MakeCopyLayout(Info(table, table, "ALTER TABLE t FORCE")).status().code(),
              StatusCode::kFailedPrecondition) << c.pk_column;
  }
  const std::string old_sql = "CREATE TABLE `t` (\n  `k` int(11) NOT NULL,\n  PRIMARY KEY (`k`)\n)";
  const std::string new_sql = "CREATE TABLE `t` (\n  `z` int(11) NOT NULL,\n  PRIMARY KEY (`z`)\n)";
  EXPECT_EQ(MakeCopyLayout(Info(old_sql, new_sql, "ALTER TABLE t DROP k, ADD z INT NOT NULL PRIMARY KEY"))
                .status().code(), StatusCode::kFailedPrecondition);
}

TEST(ChecksumColumnsTest, CastsOldValuesToTheNewType) {
  const std::string old_sql =
      "CREATE TABLE `t` (\n  `id` int(11) NOT NULL,\n  `p` decimal(10,2) DEFAULT NULL,\n"
      "  `s` varchar(10) CHARACTER SET latin1 COLLATE latin1_swedish_ci DEFAULT NULL,\n"
      "  `w` datetime DEFAULT NULL,\n  `n` varchar(5) DEFAULT NULL,\n  `same` text,\n  PRIMARY KEY (`id`)\n)";
  const std::string new_sql =
      "CREATE TABLE `t` (\n  `id` bigint(20) NOT NULL,\n  `p` decimal(12,4) DEFAULT NULL,\n"
      "  `s` varchar(10) DEFAULT NULL,\n  `w` datetime(3) DEFAULT NULL,\n  `n` int(11) DEFAULT NULL,\n"
      "  `same` text,\n  PRIMARY KEY (`id`)\n)";
  ChecksumColumns c = MakeChecksumColumns(Info(old_sql, new_sql, "ALTER TABLE t FORCE"));
  std::vector<std::string> src, dst;
  for (const auto& v : c.source) src.push_back(sql::ChecksumValueExpression(v));
  for (const auto& v : c.target) dst.push_back(sql::ChecksumValueExpression(v));
  EXPECT_EQ(src, (std::vector<std::string>{"`id`", "CAST(`p` AS DECIMAL(12,4))",
                                           "CONVERT(`s` USING utf8mb4)", "CAST(`w` AS DATETIME(3))",
                                           "CAST(`n` AS SIGNED)", "`same`"}));
  EXPECT_EQ(dst, (std::vector<std::string>{"`id`", "`p`", "CONVERT(`s` USING utf8mb4)",
                                           "CAST(`w` AS DATETIME(3))", "`n`", "`same`"}));
}

TEST(ShadowTableTest, NormalizedDefinitionIgnoresNameAndCounter) {
  const std::string a =
      "CREATE TABLE `_t_new` (\n  `id` int(11) NOT NULL AUTO_INCREMENT,\n  PRIMARY KEY (`id`)\n"
      ") ENGINE=InnoDB AUTO_INCREMENT=1234 DEFAULT CHARSET=utf8mb4";
  const std::string b =
      "CREATE TEMPORARY TABLE `probe` (\n  `id` int(11) NOT NULL AUTO_INCREMENT,\n  PRIMARY KEY (`id`)\n"
      ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4";
  EXPECT_EQ(NormalizedDefinition(a, "t"), NormalizedDefinition(b, "t"));
  EXPECT_EQ(NormalizedDefinition(a, "t").find("AUTO_INCREMENT=1234"), std::string::npos);
  EXPECT_NE(NormalizedDefinition(a, "t").find("AUTO_INCREMENT,"), std::string::npos);
}

TEST(DeferredIndexesTest, OnlyPlainKeysOnNamedColumnsAsTheServerPrintsThem) {
  const std::string create =
      "CREATE TABLE `t` (\n"
      "  `id` int(11) NOT NULL,\n"
      "  `k` int(11) NOT NULL,\n"
      "  `c` varchar(64) DEFAULT NULL,\n"
      "  PRIMARY KEY (`id`),\n"
      "  UNIQUE KEY `uk` (`c`),\n"
      "  KEY `k_1` (`k`),\n"
      "  KEY `kc` (`k`,`c`(10)) COMMENT 'two parts',\n"
      "  KEY `kh` (`k`) USING HASH\n"
      ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4";
  const auto deferred = DeferrableIndexes(Table(create), create);
  ASSERT_EQ(deferred.size(), 2u);
  EXPECT_EQ(deferred[0].name, "k_1");
  EXPECT_EQ(deferred[0].definition, "KEY `k_1` (`k`)");
  EXPECT_EQ(deferred[1].definition, "KEY `kc` (`k`,`c`(10)) COMMENT 'two parts'");
  EXPECT_EQ(DropIndexClauses(deferred),
            (std::vector<std::string>{"DROP INDEX `k_1`", "DROP INDEX `kc`"}));
  EXPECT_EQ(AddIndexClauses(deferred),
            (std::vector<std::string>{"ADD KEY `k_1` (`k`)", "ADD KEY `kc` (`k`,`c`(10)) COMMENT 'two parts'"}));
  EXPECT_EQ(IndexNames(deferred), "`k_1`, `kc`");
}

TEST(DeferredIndexesTest, NoneWithForeignKeysFulltextKeysOrGeneratedColumns) {
  const std::string with_fulltext =
      "CREATE TABLE `t` (\n"
      "  `id` int(11) NOT NULL,\n"
      "  `k` int(11) NOT NULL,\n"
      "  `doc` text DEFAULT NULL,\n"
      "  PRIMARY KEY (`id`),\n"
      "  KEY `k` (`k`),\n"
      "  FULLTEXT KEY `ft` (`doc`)\n"
      ") ENGINE=InnoDB";
  EXPECT_TRUE(DeferrableIndexes(Table(with_fulltext), with_fulltext).empty());
  const std::string with_fk =
      "CREATE TABLE `t` (\n"
      "  `id` int(11) NOT NULL,\n"
      "  `p` int(11) DEFAULT NULL,\n"
      "  PRIMARY KEY (`id`),\n"
      "  KEY `p` (`p`),\n"
      "  CONSTRAINT `fk` FOREIGN KEY (`p`) REFERENCES `parent` (`id`)\n"
      ") ENGINE=InnoDB";
  EXPECT_TRUE(DeferrableIndexes(Table(with_fk), with_fk).empty());
  const std::string generated =
      "CREATE TABLE `t` (\n"
      "  `id` int(11) NOT NULL,\n"
      "  `a` int(11) DEFAULT NULL,\n"
      "  `b` int(11) GENERATED ALWAYS AS (`a` + 1) VIRTUAL,\n"
      "  PRIMARY KEY (`id`),\n"
      "  KEY `a` (`a`)\n"
      ") ENGINE=InnoDB";
  EXPECT_TRUE(DeferrableIndexes(Table(generated), generated).empty());
}

}  // namespace
}  // namespace lockstep::executor
