#include "planner/sql/lexer.h"

#include <cstring>

namespace lockstep::sql {
namespace {

bool IsSpace(int c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
bool IsDigit(int c) { return c >= '0' && c <= '9'; }
bool IsHexDigit(int c) {
  return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// Multi-byte operators, longest first so that "<=>" wins over "<=".
constexpr const char* kLongOperators[] = {"<=>", "->>", "<=", ">=", "<>", "!=", ":=",
                                          "||",  "&&",  "<<", ">>", "->"};

// Printable ASCII punctuation the server may meet as an operator or separator.
bool IsOperatorByte(int c) {
  return c > 0x20 && c < 0x7f && std::strchr("()[]{},;.=<>!+-*/%&|^~?:@\\", c) != nullptr;
}

char Unescape(int c) {
  switch (c) {
    case '0': return '\0';
    case 'b': return '\b';
    case 'n': return '\n';
    case 'r': return '\r';
    case 't': return '\t';
    case 'Z': return '\x1a';
    default: return static_cast<char>(c);
  }
}

}  // namespace

bool IsWordByte(int c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || IsDigit(c) || c == '_' || c == '$' ||
         c >= 0x80;
}

Lexer::Lexer(std::string_view text, SourcePos start)
    : text_(text), start_(start), line_(start.line), column_(start.column) {}

SourcePos Lexer::Pos() const { return SourcePos{start_.offset + i_, line_, column_}; }

void Lexer::Advance(size_t n) {
  for (size_t k = 0; k < n && i_ < text_.size(); ++k, ++i_) {
    if (text_[i_] == '\n') {
      ++line_;
      column_ = 1;
    } else {
      ++column_;
    }
  }
}

Status Lexer::Error(const SourcePos& at, const std::string& what) {
  error_pos_ = at;
  return Status::InvalidArgument(at.ToString() + ": " + what);
}

Result<std::vector<Token>> Tokenize(std::string_view text, SourcePos start) {
  return Lexer(text, start).Tokenize();
}

Result<std::vector<Token>> Lexer::Tokenize() {
  std::vector<Token> tokens;
  while (true) {
    while (IsSpace(Cur())) Advance();
    if (Cur() < 0) break;
    bool skipped = false;
    LOCKSTEP_RETURN_IF_ERROR(SkipCommentOrExecutableMarker(&skipped));
    if (skipped) continue;

    Token tok;
    tok.pos = Pos();
    const size_t begin = i_;
    const int c = Cur();
    if (c == '`') {
      tok.kind = TokenKind::kQuotedIdentifier;
      LOCKSTEP_RETURN_IF_ERROR(LexQuoted('`', &tok));
    } else if (c == '\'' || c == '"') {
      tok.kind = TokenKind::kString;
      LOCKSTEP_RETURN_IF_ERROR(LexQuoted(static_cast<char>(c), &tok));
    } else if (c == '@') {
      LOCKSTEP_RETURN_IF_ERROR(LexVariable(&tok));
    } else if (c == '.' && IsDigit(Next()) && previous_kind_ != TokenKind::kIdentifier &&
               previous_kind_ != TokenKind::kQuotedIdentifier) {
      LOCKSTEP_RETURN_IF_ERROR(LexWordOrNumber(&tok));
    } else if (IsWordByte(c)) {
      LOCKSTEP_RETURN_IF_ERROR(LexWordOrNumber(&tok));
    } else if (IsOperatorByte(c)) {
      LexOperator(&tok);
    } else {
      return Error(tok.pos, "unexpected character (byte 0x" + [c] {
        const char* hex = "0123456789abcdef";
        return std::string{hex[(c >> 4) & 0xf], hex[c & 0xf]};
      }() + ")");
    }
    tok.text = std::string(text_.substr(begin, i_ - begin));
    if (tok.kind == TokenKind::kNumber || tok.kind == TokenKind::kOperator ||
        tok.kind == TokenKind::kIdentifier) {
      tok.value = tok.text;
    }
    previous_kind_ = tok.kind;
    tokens.push_back(std::move(tok));
  }
  if (in_executable_comment_) {
    return Error(executable_comment_start_, "unterminated executable comment (missing */)");
  }
  Token end;
  end.kind = TokenKind::kEnd;
  end.pos = Pos();
  tokens.push_back(std::move(end));
  return tokens;
}

Status Lexer::SkipCommentOrExecutableMarker(bool* skipped) {
  *skipped = true;
  const int c = Cur();
  // The end of an executable comment: its content was code, the marker is not.
  if (in_executable_comment_ && c == '*' && Next() == '/') {
    in_executable_comment_ = false;
    Advance(2);
    return Status::Ok();
  }
  if (c == '#' || (c == '-' && Next() == '-' && (At(i_ + 2) < 0 || At(i_ + 2) <= 0x20))) {
    // "--" starts a comment only when followed by whitespace or a control byte
    // (MySQL): "a--1" is a minus a minus one.
    while (Cur() >= 0 && Cur() != '\n') Advance();
    return Status::Ok();
  }
  if (c != '/' || Next() != '*') {
    *skipped = false;
    return Status::Ok();
  }
  const SourcePos start = Pos();
  size_t marker = 0;
  if (At(i_ + 2) == '!') marker = 3;
  if (At(i_ + 2) == 'M' && At(i_ + 3) == '!') marker = 4;
  if (marker > 0 && !in_executable_comment_) {
    // An optional server version follows: 5 digits (MySQL) or 6 (MariaDB).
    size_t digits = 0;
    while (digits < 6 && IsDigit(At(i_ + marker + digits))) ++digits;
    bool never = false;
    if (digits >= 5) {
      // A version of all nines is never reached: mariadb-dump's
      // "/*M!999999\- enable the sandbox mode */" is a plain comment to a server.
      never = text_.substr(i_ + marker, digits).find_first_not_of('9') == std::string_view::npos;
    } else {
      digits = 0;
    }
    if (!never) {
      Advance(marker + digits);
      in_executable_comment_ = true;
      executable_comment_start_ = start;
      return Status::Ok();
    }
  }
  Advance(2);
  while (true) {
    if (Cur() < 0) return Error(start, "unterminated comment (missing */)");
    if (Cur() == '*' && Next() == '/') {
      Advance(2);
      return Status::Ok();
    }
    Advance();
  }
}

Status Lexer::LexQuoted(char quote, Token* tok) {
  // Errors point at the token's start: the introducer or '@' when there is one.
  const SourcePos start = tok->pos;
  Advance();  // the opening quote
  std::string value;
  // Backslash escapes apply to strings only; identifiers have just the doubled quote.
  const bool backslash = quote != '`';
  while (true) {
    const int c = Cur();
    if (c < 0) {
      const char* what = quote == '`' ? "unterminated quoted identifier (missing `)"
                         : quote == '"' ? "unterminated string (missing \")"
                                        : "unterminated string (missing ')";
      return Error(start, what);
    }
    if (backslash && c == '\\') {
      const int e = Next();
      if (e < 0) {
        Advance();  // the next round reports the unterminated string
        continue;
      }
      // \% and \_ keep their backslash: they are LIKE-pattern escapes.
      if (e == '%' || e == '_') value += '\\';
      value += Unescape(e);
      Advance(2);
      continue;
    }
    if (c == quote) {
      if (Next() == quote) {
        value += quote;
        Advance(2);
        continue;
      }
      Advance();
      tok->value = std::move(value);
      return Status::Ok();
    }
    value += static_cast<char>(c);
    Advance();
  }
}

Status Lexer::LexQuotedLiteral(TokenKind kind, Token* tok) {
  tok->kind = kind;
  const SourcePos start = tok->pos;
  Advance();  // the quote
  std::string digits;
  while (Cur() >= 0 && Cur() != '\'') {
    digits += static_cast<char>(Cur());
    Advance();
  }
  if (Cur() < 0) return Error(start, "unterminated literal (missing ')");
  Advance();
  for (char d : digits) {
    const bool valid = kind == TokenKind::kHexLiteral ? IsHexDigit(d) : (d == '0' || d == '1');
    if (!valid) {
      return Error(start, kind == TokenKind::kHexLiteral ? "invalid hexadecimal literal"
                                                         : "invalid bit literal");
    }
  }
  if (kind == TokenKind::kHexLiteral && digits.size() % 2 != 0) {
    return Error(start, "hexadecimal literal needs an even number of digits");
  }
  tok->value = digits;
  return Status::Ok();
}

Status Lexer::LexWordOrNumber(Token* tok) {
  const size_t begin = i_;
  if (Cur() == '.') {  // .5
    tok->kind = TokenKind::kNumber;
    Advance();
    while (IsDigit(Cur())) Advance();
  } else {
    while (IsWordByte(Cur())) Advance();
  }
  const std::string_view word = text_.substr(begin, i_ - begin);

  // Prefixed literals: X'..', B'..', N'..', _charset'..'.
  if (Cur() == '\'' && word.size() == 1 && (word[0] == 'x' || word[0] == 'X')) {
    return LexQuotedLiteral(TokenKind::kHexLiteral, tok);
  }
  if (Cur() == '\'' && word.size() == 1 && (word[0] == 'b' || word[0] == 'B')) {
    return LexQuotedLiteral(TokenKind::kBitLiteral, tok);
  }
  if ((Cur() == '\'' && word.size() == 1 && (word[0] == 'n' || word[0] == 'N')) ||
      ((Cur() == '\'' || Cur() == '"') && word.size() > 1 && word[0] == '_')) {
    tok->kind = TokenKind::kString;
    tok->introducer = std::string(word);
    return LexQuoted(static_cast<char>(Cur()), tok);
  }
  if (tok->kind == TokenKind::kNumber) {  // the ".5" case
    return Status::Ok();
  }

  const bool all_digits =
      !word.empty() && word.find_first_not_of("0123456789") == std::string_view::npos;
  auto all_of = [&](size_t from, auto pred) {
    if (from >= word.size()) return false;
    for (size_t k = from; k < word.size(); ++k) {
      if (!pred(static_cast<unsigned char>(word[k]))) return false;
    }
    return true;
  };
  if (word.size() > 2 && word[0] == '0' && word[1] == 'x' && all_of(2, IsHexDigit)) {
    tok->kind = TokenKind::kHexLiteral;
    tok->value = std::string(word.substr(2));
    return Status::Ok();
  }
  if (word.size() > 2 && word[0] == '0' && word[1] == 'b' &&
      all_of(2, [](int d) { return d == '0' || d == '1'; })) {
    tok->kind = TokenKind::kBitLiteral;
    tok->value = std::string(word.substr(2));
    return Status::Ok();
  }
  // 1e5 and 1e-5: the exponent is part of the word or follows a sign.
  const size_t e = word.find_first_of("eE");
  const bool mantissa_digits =
      e != std::string_view::npos && e > 0 &&
      word.substr(0, e).find_first_not_of("0123456789") == std::string_view::npos;
  if (mantissa_digits && e + 1 < word.size() && all_of(e + 1, IsDigit)) {
    tok->kind = TokenKind::kNumber;
    return Status::Ok();
  }
  if (mantissa_digits && e + 1 == word.size() && (Cur() == '+' || Cur() == '-') && IsDigit(Next())) {
    tok->kind = TokenKind::kNumber;
    Advance();
    while (IsDigit(Cur())) Advance();
    return Status::Ok();
  }
  if (!all_digits) {
    // A word; MySQL identifiers may start with a digit (1col).
    tok->kind = TokenKind::kIdentifier;
    return Status::Ok();
  }
  tok->kind = TokenKind::kNumber;
  if (Cur() == '.' && !IsWordByte(Next())) {
    Advance();  // "1." is a number
  } else if (Cur() == '.' && IsDigit(Next())) {
    Advance();
    while (IsDigit(Cur())) Advance();
  } else {
    return Status::Ok();
  }
  if ((Cur() == 'e' || Cur() == 'E') &&
      (IsDigit(Next()) || ((Next() == '+' || Next() == '-') && IsDigit(At(i_ + 2))))) {
    Advance(2);
    while (IsDigit(Cur())) Advance();
  }
  return Status::Ok();
}

Status Lexer::LexVariable(Token* tok) {
  tok->kind = TokenKind::kVariable;
  Advance();  // '@'
  if (Cur() == '@') Advance();
  if (Cur() == '`' || Cur() == '\'' || Cur() == '"') {
    return LexQuoted(static_cast<char>(Cur()), tok);
  }
  const size_t begin = i_;
  while (IsWordByte(Cur())) Advance();
  if (i_ == begin) {
    // A lone '@' (as in user@host without quotes): an operator.
    tok->kind = TokenKind::kOperator;
    return Status::Ok();
  }
  tok->value = std::string(text_.substr(begin, i_ - begin));
  return Status::Ok();
}

void Lexer::LexOperator(Token* tok) {
  tok->kind = TokenKind::kOperator;
  for (const char* op : kLongOperators) {
    const size_t n = std::strlen(op);
    if (text_.substr(i_, n) == op) {
      Advance(n);
      return;
    }
  }
  Advance();
}

}  // namespace lockstep::sql
