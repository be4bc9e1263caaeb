#include "executor/copy/key_span.h"

#include <algorithm>
#include <set>
#include <string>

#include "planner/sql/token.h"

namespace lockstep::executor {
// BIGINT UNSIGNED reaches 2^64 - 1: 128 bits hold every integer key and the
// sum of one with a span.
std::optional<__int128> ParseIntegerKey(const std::string& text) {
  size_t i = 0;
  const bool negative = !text.empty() && text[0] == '-';
  if (negative) i = 1;
  if (i == text.size() || text.size() - i > 20) return std::nullopt;
  __int128 value = 0;
  for (; i < text.size(); ++i) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
    value = value * 10 + (text[i] - '0');
  }
  return negative ? -value : value;
}

namespace {

std::string FormatInteger(__int128 value) {
  if (value == 0) return "0";
  const bool negative = value < 0;
  unsigned __int128 magnitude =
      negative ? static_cast<unsigned __int128>(-(value + 1)) + 1 : static_cast<unsigned __int128>(value);
  std::string digits;
  while (magnitude > 0) {
    digits += static_cast<char>('0' + static_cast<int>(magnitude % 10));
    magnitude /= 10;
  }
  if (negative) digits += '-';
  std::reverse(digits.begin(), digits.end());
  return digits;
}

}  // namespace

bool HasIntegerKey(const ShadowTableInfo& info, const CopyLayout& layout) {
  static const std::set<std::string> kIntegers = {"tinyint", "smallint", "mediumint", "int",
                                                  "integer", "bigint"};
  if (layout.source.key.size() != 1) return false;
  const sql::ColumnDef* column = info.source_def.FindColumn(layout.source.key[0].name);
  return column != nullptr && kIntegers.count(sql::ToLowerAscii(column->type.name)) > 0;
}

std::optional<sql::KeyTuple> KeySpanEnd(const sql::KeyTuple& after, int64_t span,
                                        const sql::KeyTuple& upper) {
  if (after.size() != 1 || upper.size() != 1 || span < 1) return std::nullopt;
  const auto from = ParseIntegerKey(after[0]);
  const auto to = ParseIntegerKey(upper[0]);
  if (!from || !to) return std::nullopt;
  const __int128 end = *from + span;
  if (end >= *to) return upper;
  return sql::KeyTuple{FormatInteger(end)};
}

}  // namespace lockstep::executor
