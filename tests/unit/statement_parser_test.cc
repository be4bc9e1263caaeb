#include "planner/sql/statement_parser.h"

#include <gtest/gtest.h>

namespace lockstep::sql {
namespace {

using Kind = ParsedStatement::Kind;

struct RefusalCase {
  const char* sql;
  const char* verb;
};

// Everything lockstep will not run online, and the verb it is reported as.
const RefusalCase kRefusals[] = {
    {"RENAME TABLE t TO u", "RENAME TABLE"},
    {"DROP TABLE t", "DROP TABLE"},
    {"DROP TABLE IF EXISTS t", "DROP TABLE"},
    {"DROP TEMPORARY TABLE t", "DROP TABLE"},
    {"TRUNCATE TABLE t", "TRUNCATE TABLE"},
    {"TRUNCATE t", "TRUNCATE TABLE"},
    {"CREATE TABLE t (a INT)", "CREATE TABLE"},
    {"CREATE OR REPLACE TABLE t (a INT)", "CREATE TABLE"},
    {"CREATE UNIQUE INDEX i ON t (a)", "CREATE INDEX"},
    {"DROP INDEX i ON t", "DROP INDEX"},
    {"CREATE DEFINER=`root`@`localhost` TRIGGER tr BEFORE INSERT ON t FOR EACH ROW SET @a=1",
     "CREATE TRIGGER"},
    {"CREATE VIEW v AS SELECT 1", "CREATE VIEW"},
    {"INSERT INTO t VALUES (1)", "INSERT"},
    {"UPDATE t SET a = 1", "UPDATE"},
    {"DELETE FROM t", "DELETE"},
    {"REPLACE INTO t VALUES (1)", "REPLACE"},
    {"SELECT 1", "SELECT"},
    {"SET NAMES utf8mb4", "SET"},
    {"USE db", "USE"},
    {"ALTER VIEW v AS SELECT 2", "ALTER VIEW"},
    {"ALTER DATABASE d CHARACTER SET utf8mb4", "ALTER DATABASE"},
    {"ALTER SEQUENCE s RESTART 1", "ALTER SEQUENCE"},
    {"/*!40101 SET character_set_client = utf8 */", "SET"},
};

TEST(StatementParserTest, RefusesWhatIsNotAlterTable) {
  for (const RefusalCase& c : kRefusals) {
    std::vector<ParsedStatement> s = ParseMigration(c.sql);
    ASSERT_EQ(s.size(), 1u) << c.sql;
    EXPECT_EQ(s[0].kind, Kind::kRefused) << c.sql;
    EXPECT_EQ(s[0].verb, c.verb) << c.sql;
    EXPECT_EQ(s[0].message.rfind(std::string(c.verb) + " is refused: ", 0), 0u) << s[0].message;
    EXPECT_EQ(s[0].pos.line, 1);
    // The position is the first token's: inside an executable comment, after its marker.
    EXPECT_EQ(s[0].pos.column, c.sql[0] == '/' ? 10 : 1);
  }
}

TEST(StatementParserTest, RefusalsCarryTheStatementPosition) {
  std::vector<ParsedStatement> s = ParseMigration(
      "ALTER TABLE t ADD c INT;\n"
      "-- then\n"
      "   DROP TABLE u;\n"
      "ALTER TABLE t DROP c;  INSERT INTO t VALUES (1);");
  ASSERT_EQ(s.size(), 4u);
  EXPECT_EQ(s[0].kind, Kind::kAlterTable);
  EXPECT_EQ(s[1].kind, Kind::kRefused);
  EXPECT_EQ(s[1].pos.line, 3);
  EXPECT_EQ(s[1].pos.column, 4);
  EXPECT_EQ(s[2].kind, Kind::kAlterTable);
  EXPECT_EQ(s[3].kind, Kind::kRefused);
  EXPECT_EQ(s[3].pos.line, 4);
  EXPECT_EQ(s[3].pos.column, 24);
  EXPECT_EQ(s[3].message,
            "INSERT is refused: data changes do not belong in a schema migration: run in every DC "
            "they would replicate through the DRC link and be applied twice");
}

TEST(StatementParserTest, AcceptsOnlineAndIgnoreVariants) {
  std::vector<ParsedStatement> s =
      ParseMigration("ALTER ONLINE TABLE t FORCE; ALTER IGNORE TABLE t ADD UNIQUE (a)");
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[0].kind, Kind::kAlterTable);
  EXPECT_TRUE(s[0].alter->online);
  EXPECT_EQ(s[1].kind, Kind::kAlterTable);
  EXPECT_TRUE(s[1].alter->ignore);
  EXPECT_EQ(s[1].verb, "ALTER TABLE");
}

TEST(StatementParserTest, SyntaxErrorsPointAtTheToken) {
  std::vector<ParsedStatement> s = ParseMigration("ALTER TABLE t FORCE;\nALTER TABLE t ADD INDEX (a;");
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[1].kind, Kind::kSyntaxError);
  EXPECT_EQ(s[1].pos.line, 2);
  EXPECT_EQ(s[1].pos.column, 27);
  EXPECT_EQ(s[1].message, "unexpected end of statement, expected ')'");
}

TEST(StatementParserTest, StrayWordBeforeTableIsASyntaxErrorNotARefusal) {
  std::vector<ParsedStatement> s = ParseMigration("ALTER QUICK TABLE t FORCE");
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0].kind, Kind::kSyntaxError);
  EXPECT_EQ(s[0].pos.column, 7);
  EXPECT_EQ(s[0].message, "unexpected 'QUICK', expected TABLE");
}

TEST(StatementParserTest, LexerErrorsAreSyntaxErrors) {
  std::vector<ParsedStatement> s = ParseMigration("ALTER TABLE t COMMENT 'x");
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0].kind, Kind::kSyntaxError);
  EXPECT_EQ(s[0].pos.column, 23);
  EXPECT_EQ(s[0].message, "unterminated string (missing ')");
}

TEST(StatementParserTest, NonWordStartIsASyntaxError) {
  std::vector<ParsedStatement> s = ParseMigration("(SELECT 1)");
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0].kind, Kind::kSyntaxError);
  EXPECT_EQ(s[0].message, "unexpected '(', expected a statement");
}

TEST(StatementParserTest, DelimiterWithoutValueIsASyntaxError) {
  std::vector<ParsedStatement> s = ParseMigration("DELIMITER\n");
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0].kind, Kind::kSyntaxError);
}

TEST(StatementParserTest, CommentOnlyStatementsAreLeftOut) {
  EXPECT_TRUE(ParseMigration("/*!40101 */; -- x\n").empty());
}

TEST(StatementParserTest, ParseAlterTableWantsExactlyOne) {
  EXPECT_TRUE(ParseAlterTable("ALTER TABLE t FORCE;").ok());
  Result<AlterTable> two = ParseAlterTable("ALTER TABLE t FORCE; ALTER TABLE u FORCE");
  ASSERT_FALSE(two.ok());
  EXPECT_EQ(two.status().message(), "1:22: one ALTER TABLE statement expected, found another");
  Result<AlterTable> drop = ParseAlterTable("\n  DROP TABLE t");
  ASSERT_FALSE(drop.ok());
  EXPECT_EQ(drop.status().message().substr(0, 27), "2:3: DROP TABLE is refused:");
  EXPECT_FALSE(ParseAlterTable("  -- nothing").ok());
}

}  // namespace
}  // namespace lockstep::sql
