#include "planner/sql/lexer.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace lockstep::sql {
namespace {

std::vector<Token> Lex(const std::string& text) {
  Result<std::vector<Token>> tokens = Tokenize(text);
  EXPECT_TRUE(tokens.ok()) << tokens.status().ToString();
  return tokens.ok() ? *tokens : std::vector<Token>{};
}

// The error of lexing text; its position is checked through the message.
std::string LexError(const std::string& text, SourcePos* pos = nullptr) {
  Lexer lexer(text);
  Result<std::vector<Token>> tokens = lexer.Tokenize();
  EXPECT_FALSE(tokens.ok()) << "lexed without error: " << text;
  if (pos != nullptr) *pos = lexer.error_pos();
  return tokens.ok() ? "" : tokens.status().message();
}

TEST(LexerTest, EmptyInputIsJustEnd) {
  std::vector<Token> t = Lex("");
  ASSERT_EQ(t.size(), 1u);
  EXPECT_TRUE(t[0].IsEnd());
  EXPECT_EQ(t[0].pos.line, 1);
  EXPECT_EQ(t[0].pos.column, 1);
}

TEST(LexerTest, WordsAndPositions) {
  std::vector<Token> t = Lex("ALTER TABLE\n  t1 ADD");
  ASSERT_EQ(t.size(), 5u);
  EXPECT_EQ(t[0].kind, TokenKind::kIdentifier);
  EXPECT_TRUE(t[0].IsKeyword("alter"));
  EXPECT_EQ(t[1].pos.offset, 6u);
  EXPECT_EQ(t[2].text, "t1");
  EXPECT_EQ(t[2].pos.line, 2);
  EXPECT_EQ(t[2].pos.column, 3);
  EXPECT_EQ(t[2].pos.offset, 14u);
  EXPECT_EQ(t[3].pos.column, 6);
  EXPECT_TRUE(t[4].IsEnd());
  EXPECT_EQ(t[4].pos.offset, 20u);
}

TEST(LexerTest, StartPositionShiftsEveryToken) {
  Result<std::vector<Token>> t = Tokenize("a\nb", SourcePos{100, 7, 5});
  ASSERT_TRUE(t.ok());
  EXPECT_EQ((*t)[0].pos.offset, 100u);
  EXPECT_EQ((*t)[0].pos.line, 7);
  EXPECT_EQ((*t)[0].pos.column, 5);
  EXPECT_EQ((*t)[1].pos.offset, 102u);
  EXPECT_EQ((*t)[1].pos.line, 8);
  EXPECT_EQ((*t)[1].pos.column, 1);
}

TEST(LexerTest, BacktickIdentifierWithDoubledBacktick) {
  std::vector<Token> t = Lex("`my``col` `select`");
  ASSERT_EQ(t.size(), 3u);
  EXPECT_EQ(t[0].kind, TokenKind::kQuotedIdentifier);
  EXPECT_EQ(t[0].value, "my`col");
  EXPECT_EQ(t[0].text, "`my``col`");
  // A quoted keyword is a name, never a keyword.
  EXPECT_FALSE(t[1].IsKeyword("select"));
  EXPECT_TRUE(t[1].IsName());
}

TEST(LexerTest, StringsWithEscapes) {
  std::vector<Token> t = Lex(R"('it''s' 'a\'b\n' "say ""hi""" 'x\%y' 'back\\')");
  ASSERT_EQ(t.size(), 6u);
  EXPECT_EQ(t[0].kind, TokenKind::kString);
  EXPECT_EQ(t[0].value, "it's");
  EXPECT_EQ(t[1].value, "a'b\n");
  EXPECT_EQ(t[2].value, "say \"hi\"");
  EXPECT_EQ(t[3].value, "x\\%y");  // LIKE escapes keep their backslash
  EXPECT_EQ(t[4].value, "back\\");
}

TEST(LexerTest, IntroducersAndPrefixedLiterals) {
  std::vector<Token> t = Lex("_utf8mb4'abc' N'n' X'0aFF' x'' 0x1F b'101' 0b11 B'0'");
  ASSERT_EQ(t.size(), 9u);
  EXPECT_EQ(t[0].kind, TokenKind::kString);
  EXPECT_EQ(t[0].introducer, "_utf8mb4");
  EXPECT_EQ(t[0].value, "abc");
  EXPECT_EQ(t[0].text, "_utf8mb4'abc'");
  EXPECT_EQ(t[1].introducer, "N");
  EXPECT_EQ(t[2].kind, TokenKind::kHexLiteral);
  EXPECT_EQ(t[2].value, "0aFF");
  EXPECT_EQ(t[3].kind, TokenKind::kHexLiteral);
  EXPECT_EQ(t[4].kind, TokenKind::kHexLiteral);
  EXPECT_EQ(t[4].value, "1F");
  EXPECT_EQ(t[5].kind, TokenKind::kBitLiteral);
  EXPECT_EQ(t[5].value, "101");
  EXPECT_EQ(t[6].kind, TokenKind::kBitLiteral);
  EXPECT_EQ(t[7].kind, TokenKind::kBitLiteral);
}

TEST(LexerTest, Numbers) {
  std::vector<Token> t = Lex("42 1.5 .5 1e10 2E-3 3.25e+2 1. 7");
  ASSERT_EQ(t.size(), 9u);
  for (size_t i = 0; i < 8; ++i) EXPECT_EQ(t[i].kind, TokenKind::kNumber) << t[i].text;
  EXPECT_EQ(t[4].text, "2E-3");
  EXPECT_EQ(t[5].text, "3.25e+2");
}

TEST(LexerTest, WordsStartingWithDigitsAreIdentifiers) {
  std::vector<Token> t = Lex("1col 0xZZ 12e");
  EXPECT_EQ(t[0].kind, TokenKind::kIdentifier);
  EXPECT_EQ(t[1].kind, TokenKind::kIdentifier);
  EXPECT_EQ(t[2].kind, TokenKind::kIdentifier);
}

TEST(LexerTest, QualifiedNameIsNotADecimal) {
  std::vector<Token> t = Lex("t.5col db.t");
  ASSERT_EQ(t.size(), 7u);
  EXPECT_EQ(t[0].text, "t");
  EXPECT_TRUE(t[1].IsOperator("."));
  EXPECT_EQ(t[2].text, "5col");
}

TEST(LexerTest, Operators) {
  std::vector<Token> t = Lex("a<=>b<=c>=d<>e!=f:=g->h->>i(,);=");
  std::vector<std::string> ops;
  for (const Token& tok : t) {
    if (tok.kind == TokenKind::kOperator) ops.push_back(tok.text);
  }
  EXPECT_EQ(ops, (std::vector<std::string>{"<=>", "<=", ">=", "<>", "!=", ":=", "->", "->>", "(",
                                           ",", ")", ";", "="}));
}

TEST(LexerTest, Variables) {
  std::vector<Token> t = Lex("@x @@session.sql_mode @`a b` 'root'@'localhost'");
  EXPECT_EQ(t[0].kind, TokenKind::kVariable);
  EXPECT_EQ(t[0].value, "x");
  EXPECT_EQ(t[1].kind, TokenKind::kVariable);
  EXPECT_EQ(t[1].value, "session");
  EXPECT_EQ(t[4].kind, TokenKind::kVariable);
  EXPECT_EQ(t[4].value, "a b");
  EXPECT_EQ(t[5].kind, TokenKind::kString);
  EXPECT_EQ(t[6].kind, TokenKind::kVariable);
  EXPECT_EQ(t[6].value, "localhost");
}

TEST(LexerTest, CommentsAreDropped) {
  std::vector<Token> t = Lex("a -- dash comment\nb # hash\nc /* block\n */ d");
  ASSERT_EQ(t.size(), 5u);
  EXPECT_EQ(t[1].text, "b");
  EXPECT_EQ(t[3].text, "d");
  EXPECT_EQ(t[3].pos.line, 4);
}

TEST(LexerTest, DoubleDashNeedsASpace) {
  std::vector<Token> t = Lex("5--1");
  ASSERT_EQ(t.size(), 5u);  // 5 - - 1
  EXPECT_TRUE(t[1].IsOperator("-"));
  EXPECT_EQ(Lex("a --").size(), 2u);  // at the end of input it is a comment
}

TEST(LexerTest, ExecutableCommentsAreCode) {
  std::vector<Token> t = Lex("/*!40101 SET x=1 */ /*!ENGINE*/ /*M!100100 a */");
  std::vector<std::string> words;
  for (const Token& tok : t) words.push_back(tok.text);
  EXPECT_EQ(words, (std::vector<std::string>{"SET", "x", "=", "1", "ENGINE", "a", ""}));
}

TEST(LexerTest, SandboxCommentOfMariadbDumpIsAComment) {
  std::vector<Token> t = Lex("/*M!999999\\- enable the sandbox mode */ SET");
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(t[0].text, "SET");
}

TEST(LexerTest, UnterminatedConstructsReportWhereTheyStart) {
  SourcePos pos;
  EXPECT_EQ(LexError("a 'abc", &pos), "1:3: unterminated string (missing ')");
  EXPECT_EQ(pos.column, 3);
  EXPECT_EQ(LexError("a\n \"abc"), "2:2: unterminated string (missing \")");
  EXPECT_EQ(LexError("x `abc"), "1:3: unterminated quoted identifier (missing `)");
  EXPECT_EQ(LexError("x /* abc"), "1:3: unterminated comment (missing */)");
  EXPECT_EQ(LexError("x /*!40101 abc"), "1:3: unterminated executable comment (missing */)");
  EXPECT_EQ(LexError("x /*M!100100 abc"), "1:3: unterminated executable comment (missing */)");
  EXPECT_EQ(LexError("x X'0a"), "1:3: unterminated literal (missing ')");
  EXPECT_EQ(LexError("x b'01"), "1:3: unterminated literal (missing ')");
  EXPECT_EQ(LexError("x _utf8mb4'abc"), "1:3: unterminated string (missing ')");
  EXPECT_EQ(LexError("'abc\\"), "1:1: unterminated string (missing ')");
  EXPECT_EQ(LexError("@'abc"), "1:1: unterminated string (missing ')");
}

TEST(LexerTest, InvalidLiteralsAndBytes) {
  EXPECT_EQ(LexError("X'0G'"), "1:1: invalid hexadecimal literal");
  EXPECT_EQ(LexError("X'abc'"), "1:1: hexadecimal literal needs an even number of digits");
  EXPECT_EQ(LexError("b'012'"), "1:1: invalid bit literal");
  EXPECT_EQ(LexError(std::string("a \x01 b")), "1:3: unexpected character (byte 0x01)");
  EXPECT_EQ(LexError(std::string("a\0b", 3)), "1:2: unexpected character (byte 0x00)");
}

TEST(LexerTest, Utf8BytesAreWordBytes) {
  std::vector<Token> t = Lex("caf\xc3\xa9 `\xe2\x82\xac`");
  ASSERT_EQ(t.size(), 3u);
  EXPECT_EQ(t[0].kind, TokenKind::kIdentifier);
  EXPECT_EQ(t[0].text, "caf\xc3\xa9");
  EXPECT_EQ(t[1].value, "\xe2\x82\xac");
}

}  // namespace
}  // namespace lockstep::sql
