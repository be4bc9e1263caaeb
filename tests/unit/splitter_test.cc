#include "planner/sql/splitter.h"

#include <gtest/gtest.h>

namespace lockstep::sql {
namespace {

std::vector<std::string> Texts(const std::vector<Statement>& statements) {
  std::vector<std::string> out;
  for (const Statement& s : statements) out.push_back(s.text);
  return out;
}

TEST(SplitterTest, SplitsAtSemicolonsAndKeepsPositions) {
  std::vector<Statement> s = SplitStatements("ALTER TABLE a ADD x INT;\n\n  ALTER TABLE b DROP y;");
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[0].text, "ALTER TABLE a ADD x INT");
  EXPECT_EQ(s[0].pos.line, 1);
  EXPECT_EQ(s[1].text, "ALTER TABLE b DROP y");
  EXPECT_EQ(s[1].pos.line, 3);
  EXPECT_EQ(s[1].pos.column, 3);
  EXPECT_EQ(s[1].pos.offset, 28u);
}

TEST(SplitterTest, LastStatementNeedsNoDelimiter) {
  EXPECT_EQ(Texts(SplitStatements("a; b  \n")), (std::vector<std::string>{"a", "b"}));
}

TEST(SplitterTest, SemicolonsInsideQuotesAndCommentsDoNotSplit) {
  std::vector<Statement> s = SplitStatements(
      "ALTER TABLE t COMMENT 'a;b', ADD `c;d` INT COMMENT \"e;f\" -- g;h\n, ADD i INT /* j;k */;"
      "# l;m\nALTER TABLE u FORCE");
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[1].text, "ALTER TABLE u FORCE");
  EXPECT_EQ(s[1].pos.line, 3);
}

TEST(SplitterTest, EscapedQuotesDoNotEndStrings) {
  EXPECT_EQ(Texts(SplitStatements("a 'x\\';y'; b 'p'';q'; c")),
            (std::vector<std::string>{"a 'x\\';y'", "b 'p'';q'", "c"}));
}

TEST(SplitterTest, LeadingCommentsAreNotPartOfTheStatement) {
  std::vector<Statement> s = SplitStatements("-- add a column\n/* why */ ALTER TABLE t FORCE;");
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0].text, "ALTER TABLE t FORCE");
  EXPECT_EQ(s[0].pos.line, 2);
  EXPECT_EQ(s[0].pos.column, 11);
}

TEST(SplitterTest, OnlyCommentsAndEmptyStatementsGiveNothing) {
  EXPECT_TRUE(SplitStatements("-- nothing\n;;  /* at all */ ;").empty());
}

TEST(SplitterTest, ExecutableCommentsAreCode) {
  std::vector<Statement> s = SplitStatements("/*!40101 SET NAMES utf8 */;\nALTER TABLE t FORCE;");
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[0].text, "/*!40101 SET NAMES utf8 */");
}

TEST(SplitterTest, DelimiterLinesChangeTheDelimiter) {
  std::vector<Statement> s = SplitStatements(
      "DELIMITER ;;\n"
      "/*!50003 CREATE*/ /*!50003 TRIGGER tr BEFORE INSERT ON t FOR EACH ROW BEGIN SET @a=1; SET "
      "@b=2; END */;;\n"
      "DELIMITER ;\n"
      "ALTER TABLE t FORCE;\n"
      "delimiter $$\nALTER TABLE u FORCE$$\n");
  ASSERT_EQ(s.size(), 3u);
  EXPECT_NE(s[0].text.find("SET @b=2; END */"), std::string::npos);
  EXPECT_EQ(s[1].text, "ALTER TABLE t FORCE");
  EXPECT_EQ(s[1].pos.line, 4);
  EXPECT_EQ(s[2].text, "ALTER TABLE u FORCE");
}

TEST(SplitterTest, DelimiterWordInsideAStatementIsNoCommand) {
  std::vector<Statement> s = SplitStatements("ALTER TABLE t\ndelimiter ;x");
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[0].text, "ALTER TABLE t\ndelimiter");
}

TEST(SplitterTest, DelimiterWithoutValueIsAnErrorStatement) {
  std::vector<Statement> s = SplitStatements("ALTER TABLE t FORCE;\n  DELIMITER\nALTER TABLE u FORCE;");
  ASSERT_EQ(s.size(), 3u);
  EXPECT_FALSE(s[1].error.empty());
  EXPECT_EQ(s[1].pos.line, 2);
  EXPECT_EQ(s[1].pos.column, 3);
  EXPECT_TRUE(s[2].error.empty());
}

TEST(SplitterTest, UnterminatedStringRunsToTheEnd) {
  std::vector<Statement> s = SplitStatements("a; b 'x; c");
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[1].text, "b 'x; c");
}

}  // namespace
}  // namespace lockstep::sql
