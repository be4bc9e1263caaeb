#include "planner/sql/token_cursor.h"

#include <cassert>

namespace lockstep::sql {

TokenCursor::TokenCursor(const std::vector<Token>& tokens, std::string_view source, size_t base_offset)
    : tokens_(tokens), source_(source), base_offset_(base_offset) {
  assert(!tokens_.empty() && tokens_.back().IsEnd());
}

const Token& TokenCursor::Peek(size_t ahead) const {
  const size_t last = tokens_.size() - 1;
  const size_t k = i_ + ahead;
  return tokens_[k < last ? k : last];
}

const Token& TokenCursor::Advance() {
  const Token& tok = Peek();
  if (i_ + 1 < tokens_.size()) ++i_;
  return tok;
}

bool TokenCursor::IsKeywords(std::initializer_list<std::string_view> kws) const {
  size_t k = 0;
  for (std::string_view kw : kws) {
    if (!IsKeyword(kw, k++)) return false;
  }
  return true;
}

bool TokenCursor::AcceptKeyword(std::string_view kw) {
  if (!IsKeyword(kw)) return false;
  Advance();
  return true;
}

bool TokenCursor::AcceptKeywords(std::initializer_list<std::string_view> kws) {
  if (!IsKeywords(kws)) return false;
  for (size_t k = 0; k < kws.size(); ++k) Advance();
  return true;
}

bool TokenCursor::AcceptOperator(std::string_view op) {
  if (!IsOperator(op)) return false;
  Advance();
  return true;
}

Status TokenCursor::ExpectKeyword(std::string_view kw) {
  if (AcceptKeyword(kw)) return Status::Ok();
  return Unexpected(ToUpperAscii(kw));
}

Status TokenCursor::ExpectOperator(std::string_view op) {
  if (AcceptOperator(op)) return Status::Ok();
  return Unexpected("'" + std::string(op) + "'");
}

Status TokenCursor::ExpectName(std::string_view what, std::string* name) {
  if (!Peek().IsName()) return Unexpected(what);
  *name = Advance().value;
  return Status::Ok();
}

Status TokenCursor::ExpectNameOrString(std::string_view what, std::string* value) {
  if (!Peek().IsName() && Peek().kind != TokenKind::kString) return Unexpected(what);
  *value = Advance().value;
  return Status::Ok();
}

bool TokenCursor::AtElementEnd() const {
  return AtEnd() || IsOperator(",") || IsOperator(")");
}

Status TokenCursor::SkipTokenOrGroup() {
  if (AtEnd()) return Unexpected("more of the statement");
  if (!IsOperator("(")) {
    Advance();
    return Status::Ok();
  }
  const Token& open = Advance();
  int depth = 1;
  while (depth > 0) {
    if (AtEnd()) return ErrorAt(open, "unbalanced '(': no matching ')'");
    if (IsOperator("(")) ++depth;
    if (IsOperator(")")) --depth;
    Advance();
  }
  return Status::Ok();
}

Status TokenCursor::SkipToElementEnd() {
  while (!AtElementEnd()) LOCKSTEP_RETURN_IF_ERROR(SkipTokenOrGroup());
  return Status::Ok();
}

std::string TokenCursor::Text(size_t from, size_t to) const {
  if (to <= from || from >= tokens_.size()) return "";
  const Token& first = tokens_[from];
  const Token& last = tokens_[(to < tokens_.size() ? to : tokens_.size()) - 1];
  const size_t begin = first.pos.offset - base_offset_;
  const size_t end = last.end_offset() - base_offset_;
  if (begin > source_.size() || end > source_.size() || end < begin) return "";
  return std::string(source_.substr(begin, end - begin));
}

Status TokenCursor::ErrorAt(const Token& at, const std::string& what) {
  error_pos_ = at.pos;
  return Status::InvalidArgument(at.pos.ToString() + ": " + what);
}

Status TokenCursor::Unexpected(std::string_view expected) {
  return ErrorAt(Peek(), "unexpected " + Describe(Peek()) + ", expected " + std::string(expected));
}

std::string TokenCursor::Describe(const Token& tok) {
  if (tok.IsEnd()) return "end of statement";
  std::string text = tok.text;
  if (text.size() > 40) text = text.substr(0, 37) + "...";
  return "'" + text + "'";
}

}  // namespace lockstep::sql
