// One lexical token of MySQL/MariaDB SQL.
#pragma once

#include <string>
#include <string_view>

#include "planner/sql/source_pos.h"

namespace lockstep::sql {

enum class TokenKind {
  kIdentifier,        // unquoted word; keywords are identifiers too (SQL keywords are contextual)
  kQuotedIdentifier,  // `name`
  kString,            // 'text' or "text", optionally with an introducer: _utf8mb4'x', N'x'
  kNumber,            // 42, 1.5, .5, 1e-3
  kHexLiteral,        // X'0A' or 0x0A
  kBitLiteral,        // b'101' or 0b101
  kVariable,          // @name, @@name, @`name`, @'name'
  kOperator,          // punctuation: ( ) , ; . = <=> := ...
  kEnd,               // after the last token; carries the position of the end of input
};

const char* TokenKindName(TokenKind kind);

struct Token {
  TokenKind kind = TokenKind::kEnd;
  // The token as written in the source (quotes, introducer and escapes included).
  std::string text;
  // What the token means: an identifier without quotes, a string unescaped, a
  // variable name without '@'. Equal to text for numbers and operators.
  std::string value;
  // The character set introducer of a string ("_utf8mb4", "N"); empty when none.
  std::string introducer;
  SourcePos pos;

  // An unquoted word equal to kw ignoring ASCII case. Quoted identifiers are
  // never keywords: `select` is a column name.
  bool IsKeyword(std::string_view kw) const;
  bool IsOperator(std::string_view op) const { return kind == TokenKind::kOperator && text == op; }
  bool IsEnd() const { return kind == TokenKind::kEnd; }
  // Something that can name a column or table: an unquoted word or a `quoted` one.
  bool IsName() const { return kind == TokenKind::kIdentifier || kind == TokenKind::kQuotedIdentifier; }
  size_t end_offset() const { return pos.offset + text.size(); }
};

// ASCII case-insensitive equality; SQL keywords and MySQL column names compare this way.
bool EqualsIgnoreCase(std::string_view a, std::string_view b);
std::string ToLowerAscii(std::string_view s);
std::string ToUpperAscii(std::string_view s);

}  // namespace lockstep::sql
