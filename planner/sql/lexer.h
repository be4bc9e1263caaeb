// The lexer: MySQL/MariaDB SQL text -> tokens.
//
// It knows the dialect's quoting (backticks, '...' and "..." strings with
// backslash and doubled-quote escapes), literals (X'..', 0x.., b'..', 0b..,
// _charset'..', N'..'), numbers, operators, and comments. Comments are dropped,
// except executable comments (/*! ... */, /*!50100 ... */, /*M! ... */) whose
// content is code to the server and therefore to us.
//
// It never reads past its input: every byte sequence either lexes or yields an
// error with the position of the offending construct (where an unterminated
// string or comment starts, not where the input ends).
#pragma once

#include <string_view>
#include <vector>

#include "common/status.h"
#include "planner/sql/source_pos.h"
#include "planner/sql/token.h"

namespace lockstep::sql {

class Lexer {
 public:
  // start: where text begins in its file, so token positions point into the file
  // when a statement cut out of a larger file is lexed on its own.
  explicit Lexer(std::string_view text, SourcePos start = {});

  // All tokens, the last one of kind kEnd. On error the Status message reads
  // "line:col: what" and error_pos() tells where.
  Result<std::vector<Token>> Tokenize();
  const SourcePos& error_pos() const { return error_pos_; }

 private:
  int At(size_t i) const { return i < text_.size() ? static_cast<unsigned char>(text_[i]) : -1; }
  int Cur() const { return At(i_); }
  int Next() const { return At(i_ + 1); }
  SourcePos Pos() const;
  void Advance(size_t n = 1);
  Status Error(const SourcePos& at, const std::string& what);

  // Each returns with i_ past what it consumed.
  Status SkipCommentOrExecutableMarker(bool* skipped);
  Status LexQuoted(char quote, Token* tok);  // fills value; i_ at the opening quote
  Status LexWordOrNumber(Token* tok);
  Status LexVariable(Token* tok);
  Status LexQuotedLiteral(TokenKind kind, Token* tok);  // X'..' / b'..', i_ at the quote
  void LexOperator(Token* tok);

  std::string_view text_;
  SourcePos start_;
  size_t i_ = 0;
  int line_;
  int column_;
  bool in_executable_comment_ = false;
  SourcePos executable_comment_start_;
  SourcePos error_pos_;
  // Kind of the token before; a '.' after a name is a qualifier, not a number.
  TokenKind previous_kind_ = TokenKind::kEnd;
};

// Convenience for callers that need no error position beyond the message.
Result<std::vector<Token>> Tokenize(std::string_view text, SourcePos start = {});

// Word characters of unquoted identifiers: ASCII letters, digits, '_', '$', and
// every byte of a multi-byte UTF-8 sequence.
bool IsWordByte(int c);

}  // namespace lockstep::sql
