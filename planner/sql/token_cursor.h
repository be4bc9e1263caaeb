// A read position in a statement's tokens, with the small helpers every
// recursive-descent parser here needs: keyword tests, expectations that turn
// into positioned errors, and the source text of a token range.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "planner/sql/source_pos.h"
#include "planner/sql/token.h"

namespace lockstep::sql {

class TokenCursor {
 public:
  // tokens: from the Lexer, ending with kEnd. source: the text they were lexed
  // from, whose first byte is at file offset base_offset.
  TokenCursor(const std::vector<Token>& tokens, std::string_view source, size_t base_offset);

  // Never past the final kEnd token, however far ahead.
  const Token& Peek(size_t ahead = 0) const;
  const Token& Advance();
  bool AtEnd() const { return Peek().IsEnd(); }
  size_t index() const { return i_; }
  void Reset(size_t index) { i_ = index; }

  bool IsKeyword(std::string_view kw, size_t ahead = 0) const { return Peek(ahead).IsKeyword(kw); }
  bool IsOperator(std::string_view op, size_t ahead = 0) const { return Peek(ahead).IsOperator(op); }
  // True when the next tokens are these keywords, in order.
  bool IsKeywords(std::initializer_list<std::string_view> kws) const;
  bool AcceptKeyword(std::string_view kw);
  bool AcceptKeywords(std::initializer_list<std::string_view> kws);
  bool AcceptOperator(std::string_view op);

  Status ExpectKeyword(std::string_view kw);
  Status ExpectOperator(std::string_view op);
  // An identifier, quoted or not; what names the thing in the error message.
  Status ExpectName(std::string_view what, std::string* name);
  // A name or a string: charset, collation and engine names may be quoted either way.
  Status ExpectNameOrString(std::string_view what, std::string* value);

  // At ',' or ')' or the end: where a list element (column, clause) stops.
  bool AtElementEnd() const;
  // Skips one token, or a whole parenthesised group when at '('.
  Status SkipTokenOrGroup();
  // Skips to the element end (see AtElementEnd), over nested groups.
  Status SkipToElementEnd();

  // The source text from token `from` up to, not including, token `to`.
  std::string Text(size_t from, size_t to) const;

  // A positioned error at token `at`: "line:col: what". Remembers the position.
  Status ErrorAt(const Token& at, const std::string& what);
  // "unexpected 'x', expected <expected>" at the current token.
  Status Unexpected(std::string_view expected);
  const SourcePos& error_pos() const { return error_pos_; }

  // How a token reads in an error message: 'foo', or "end of statement".
  static std::string Describe(const Token& tok);

 private:
  const std::vector<Token>& tokens_;
  std::string_view source_;
  size_t base_offset_;
  size_t i_ = 0;
  SourcePos error_pos_;
};

}  // namespace lockstep::sql
