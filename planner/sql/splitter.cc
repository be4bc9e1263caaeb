#include "planner/sql/splitter.h"

#include "planner/sql/token.h"

namespace lockstep::sql {
namespace {

// Walks the text keeping line and column, so statements know where they start.
class Cursor {
 public:
  explicit Cursor(std::string_view text) : text_(text) {}

  int At(size_t k) const { return i_ + k < text_.size() ? static_cast<unsigned char>(text_[i_ + k]) : -1; }
  int Cur() const { return At(0); }
  bool AtEnd() const { return i_ >= text_.size(); }
  size_t index() const { return i_; }
  SourcePos Pos() const { return {i_, line_, column_}; }
  bool StartsWith(std::string_view s) const { return text_.substr(i_, s.size()) == s; }
  bool AtLineStart() const {
    // Only blanks since the last newline: DELIMITER is a client command, recognised
    // only as the first word of a line.
    for (size_t k = i_; k > 0; --k) {
      const char c = text_[k - 1];
      if (c == '\n') return true;
      if (c != ' ' && c != '\t' && c != '\r') return false;
    }
    return true;
  }

  void Advance(size_t n = 1) {
    for (size_t k = 0; k < n && i_ < text_.size(); ++k, ++i_) {
      if (text_[i_] == '\n') {
        ++line_;
        column_ = 1;
      } else {
        ++column_;
      }
    }
  }
  void SkipToEndOfLine() {
    while (!AtEnd() && Cur() != '\n') Advance();
  }
  // At an opening quote: skips past the closing one, or to the end of the text.
  void SkipQuoted() {
    const int quote = Cur();
    Advance();
    while (!AtEnd()) {
      const int c = Cur();
      if (c == '\\' && quote != '`') {
        Advance(2);
      } else if (c == quote && At(1) == quote) {
        Advance(2);
      } else if (c == quote) {
        Advance();
        return;
      } else {
        Advance();
      }
    }
  }

 private:
  std::string_view text_;
  size_t i_ = 0;
  int line_ = 1;
  int column_ = 1;
};

bool IsBlank(int c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v'; }

// The trimmed statement text [begin, end).
std::string_view TrimmedSlice(std::string_view text, size_t begin, size_t end) {
  while (end > begin && IsBlank(static_cast<unsigned char>(text[end - 1]))) --end;
  return text.substr(begin, end - begin);
}

}  // namespace

std::vector<Statement> SplitStatements(std::string_view text) {
  std::vector<Statement> out;
  std::string delimiter = ";";
  Cursor cur(text);
  bool has_code = false;  // has the current statement any code yet?
  size_t code_begin = 0;
  SourcePos code_pos;
  bool in_executable_comment = false;

  auto finish = [&](size_t end) {
    if (has_code) {
      out.push_back({std::string(TrimmedSlice(text, code_begin, end)), code_pos, ""});
    }
    has_code = false;
    in_executable_comment = false;
  };
  auto mark_code = [&] {
    if (!has_code) {
      has_code = true;
      code_begin = cur.index();
      code_pos = cur.Pos();
    }
  };

  while (!cur.AtEnd()) {
    const int c = cur.Cur();
    if (IsBlank(c)) {
      cur.Advance();
      continue;
    }
    if (!has_code && cur.AtLineStart() && text.size() - cur.index() >= 9 &&
        EqualsIgnoreCase(text.substr(cur.index(), 9), "delimiter") &&
        (cur.At(9) == ' ' || cur.At(9) == '\t' || cur.At(9) == '\n' || cur.At(9) == '\r' || cur.At(9) < 0)) {
      const SourcePos at = cur.Pos();
      cur.Advance(9);
      while (cur.Cur() == ' ' || cur.Cur() == '\t') cur.Advance();
      const size_t begin = cur.index();
      while (!cur.AtEnd() && !IsBlank(cur.Cur())) cur.Advance();
      if (cur.index() == begin) {
        out.push_back({"DELIMITER", at, "DELIMITER must be followed by a delimiter string"});
      } else {
        delimiter = std::string(text.substr(begin, cur.index() - begin));
      }
      cur.SkipToEndOfLine();
      continue;
    }
    if (cur.StartsWith(delimiter) && !(in_executable_comment && cur.StartsWith("*/"))) {
      finish(cur.index());
      cur.Advance(delimiter.size());
      continue;
    }
    if (c == '\'' || c == '"' || c == '`') {
      mark_code();
      cur.SkipQuoted();
      continue;
    }
    if (c == '#' || (c == '-' && cur.At(1) == '-' && cur.At(2) <= 0x20)) {
      cur.SkipToEndOfLine();
      continue;
    }
    if (c == '/' && cur.At(1) == '*') {
      if (!in_executable_comment && (cur.At(2) == '!' || (cur.At(2) == 'M' && cur.At(3) == '!'))) {
        mark_code();
        in_executable_comment = true;
        cur.Advance(cur.At(2) == '!' ? 3 : 4);
        continue;
      }
      cur.Advance(2);
      while (!cur.AtEnd() && !cur.StartsWith("*/")) cur.Advance();
      cur.Advance(2);
      continue;
    }
    if (in_executable_comment && cur.StartsWith("*/")) {
      in_executable_comment = false;
      cur.Advance(2);
      continue;
    }
    mark_code();
    cur.Advance();
  }
  finish(text.size());
  return out;
}

}  // namespace lockstep::sql
