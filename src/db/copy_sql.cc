#include "db/copy_sql.h"

#include <algorithm>

#include "db/sql.h"

namespace lockstep::sql {
namespace {

bool IsNumber(std::string_view v) {
  size_t i = 0;
  if (i < v.size() && v[i] == '-') ++i;
  const size_t digits_start = i;
  while (i < v.size() && v[i] >= '0' && v[i] <= '9') ++i;
  if (i == digits_start) return false;
  if (i < v.size() && v[i] == '.') {
    const size_t frac_start = ++i;
    while (i < v.size() && v[i] >= '0' && v[i] <= '9') ++i;
    if (i == frac_start) return false;
  }
  return i == v.size();
}

std::string Hex(std::string_view bytes) {
  static const char* kDigits = "0123456789ABCDEF";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out += kDigits[c >> 4];
    out += kDigits[c & 0xF];
  }
  return out;
}

// `alias`.`name`, or `name` when there is no alias.
std::string Col(std::string_view alias, std::string_view name) {
  return alias.empty() ? QuoteIdentifier(name) : QuoteIdentifier(alias) + "." + QuoteIdentifier(name);
}

// Flat lexicographic comparison: for each i, (k0 = v0 AND ... AND ki OP vi),
// where OP is `strict` except for the last column, which uses `last`.
std::string Lexicographic(std::string_view alias, const std::vector<KeyColumn>& key,
                          const KeyTuple& values, const char* strict, const char* last) {
  std::string out = "(";
  const size_t n = std::min(key.size(), values.size());
  for (size_t i = 0; i < n; ++i) {
    if (i > 0) out += " OR ";
    std::string term;
    for (size_t j = 0; j < i; ++j) {
      term += Col(alias, key[j].name) + " = " + KeyValueLiteral(values[j], key[j].literal) + " AND ";
    }
    term += Col(alias, key[i].name) + (i + 1 == n ? last : strict) +
            KeyValueLiteral(values[i], key[i].literal);
    out += i > 0 ? "(" + term + ")" : term;
  }
  return out + ")";
}

std::string RangeCondition(std::string_view alias, const std::vector<KeyColumn>& key,
                           const KeyRange& range) {
  std::string out;
  if (range.after != nullptr) out = Lexicographic(alias, key, *range.after, " > ", " > ") + " AND ";
  return out + Lexicographic(alias, key, *range.upper, " < ", " <= ");
}

std::string KeyList(std::string_view alias, const std::vector<KeyColumn>& key,
                    const char* suffix = "") {
  std::string out;
  for (size_t i = 0; i < key.size(); ++i) {
    out += (i ? ", " : "") + Col(alias, key[i].name) + suffix;
  }
  return out;
}

std::string From(const RangeTable& t, std::string_view alias = "") {
  std::string out = QualifiedName(t.schema, t.table);
  if (!alias.empty()) out += " AS " + QuoteIdentifier(alias);
  if (t.key_is_primary) out += " FORCE INDEX (PRIMARY)";
  return out;
}

}  // namespace

std::string KeyValueLiteral(std::string_view value, KeyLiteral kind) {
  switch (kind) {
    case KeyLiteral::kNumber:
      // Anything that is not plainly a number is quoted: never spliced.
      return IsNumber(value) ? std::string(value) : QuoteString(value);
    case KeyLiteral::kBinary:
      return "X'" + Hex(value) + "'";
    case KeyLiteral::kString:
      break;
  }
  return QuoteString(value);
}

std::string KeyGreaterThan(const std::vector<KeyColumn>& key, const KeyTuple& values) {
  return Lexicographic("", key, values, " > ", " > ");
}

std::string KeyAtMost(const std::vector<KeyColumn>& key, const KeyTuple& values) {
  return Lexicographic("", key, values, " < ", " <= ");
}

std::string KeyRangeCondition(const std::vector<KeyColumn>& key, const KeyRange& range) {
  return RangeCondition("", key, range);
}

std::string MaxKey(const RangeTable& table) {
  return "SELECT " + KeyList("", table.key) + " FROM " + From(table) + " ORDER BY " +
         KeyList("", table.key, " DESC") + " LIMIT 1 LOCK IN SHARE MODE";
}

std::string ChunkEnd(const RangeTable& table, const KeyRange& range, int64_t offset) {
  return "SELECT " + KeyList("", table.key) + " FROM " + From(table) + " WHERE " +
         RangeCondition("", table.key, range) + " ORDER BY " + KeyList("", table.key) +
         " LIMIT 1 OFFSET " + std::to_string(std::max<int64_t>(offset, 0));
}

std::string CopyRange(const RangeTable& source, const RangeTable& target,
                      const std::vector<ColumnCopy>& columns, InsertMode mode,
                      const KeyRange& range) {
  std::string into, select;
  for (size_t i = 0; i < columns.size(); ++i) {
    into += (i ? ", " : "") + QuoteIdentifier(columns[i].target);
    select += (i ? ", " : "") + Col("src", columns[i].source);
  }
  std::string out = mode == InsertMode::kIgnore ? "INSERT IGNORE INTO " : "INSERT INTO ";
  out += QualifiedName(target.schema, target.table) + " (" + into + ") SELECT " + select +
         " FROM " + From(source, "src") + " WHERE " + RangeCondition("src", source.key, range);
  if (mode == InsertMode::kSkipExisting) {
    std::string same;
    const size_t n = std::min(source.key.size(), target.key.size());
    for (size_t i = 0; i < n; ++i) {
      same += (i ? " AND " : "") + Col("dst", target.key[i].name) + " = " +
              Col("src", source.key[i].name);
    }
    out += " AND NOT EXISTS (SELECT 1 FROM " + QualifiedName(target.schema, target.table) +
           " AS `dst` WHERE " + same + ")";
  }
  return out + " ORDER BY " + KeyList("src", source.key);
}

std::string LockRangeShared(const RangeTable& table, const KeyRange& range) {
  return "SELECT COUNT(*) FROM " + QualifiedName(table.schema, table.table) +
         " FORCE INDEX (PRIMARY) WHERE " + KeyRangeCondition(table.key, range) +
         " LOCK IN SHARE MODE";
}

std::string DeleteRange(const RangeTable& table, const KeyRange& range) {
  return "DELETE FROM " + QualifiedName(table.schema, table.table) + " WHERE " +
         RangeCondition("", table.key, range);
}

std::string DeleteAbove(const RangeTable& table, const KeyTuple* after, int64_t limit) {
  return "DELETE FROM " + QualifiedName(table.schema, table.table) +
         (after ? " WHERE " + KeyGreaterThan(table.key, *after) : std::string()) + " LIMIT " +
         std::to_string(std::max<int64_t>(limit, 1));
}

std::string AnyAbove(const RangeTable& table, const KeyTuple& after) {
  return "SELECT EXISTS (SELECT 1 FROM " + QualifiedName(table.schema, table.table) + " WHERE " +
         KeyGreaterThan(table.key, after) + ")";
}

std::string ChecksumValueExpression(const ChecksumValue& v) {
  std::string e = QuoteIdentifier(v.column);
  const int precision = std::clamp(v.precision, 1, 65);
  const int scale = std::clamp(v.scale, 0, 38);
  const int fsp = std::clamp(v.scale, 0, 6);
  switch (v.cast) {
    case ChecksumValue::Cast::kNone: break;
    case ChecksumValue::Cast::kDecimal:
      e = "CAST(" + e + " AS DECIMAL(" + std::to_string(precision) + "," +
          std::to_string(std::min(scale, precision)) + "))";
      break;
    case ChecksumValue::Cast::kSigned: e = "CAST(" + e + " AS SIGNED)"; break;
    case ChecksumValue::Cast::kUnsigned: e = "CAST(" + e + " AS UNSIGNED)"; break;
    case ChecksumValue::Cast::kDouble: e = "CAST(" + e + " AS DOUBLE)"; break;
    case ChecksumValue::Cast::kDate: e = "CAST(" + e + " AS DATE)"; break;
    case ChecksumValue::Cast::kDatetime:
      e = "CAST(" + e + " AS DATETIME(" + std::to_string(fsp) + "))";
      break;
    case ChecksumValue::Cast::kTime: e = "CAST(" + e + " AS TIME(" + std::to_string(fsp) + "))"; break;
  }
  switch (v.form) {
    case ChecksumValue::Form::kAsIs: break;
    case ChecksumValue::Form::kUtf8mb4: e = "CONVERT(" + e + " USING utf8mb4)"; break;
    case ChecksumValue::Form::kHex: e = "HEX(" + e + ")"; break;
  }
  return e;
}

std::string RangeChecksum(const RangeTable& table, const std::vector<ChecksumValue>& values,
                          const KeyRange& range) {
  std::string exprs, nulls;
  for (size_t i = 0; i < values.size(); ++i) {
    exprs += ", " + ChecksumValueExpression(values[i]);
    nulls += (i ? ", " : "") + std::string("ISNULL(") + QuoteIdentifier(values[i].column) + ")";
  }
  if (nulls.empty()) nulls = "''";
  return "SELECT COUNT(*) AS row_count, COALESCE(BIT_XOR(CRC32(CONCAT_WS('#'" + exprs +
         ", CONCAT(" + nulls + ")))), 0) AS crc FROM " + From(table) + " WHERE " +
         RangeCondition("", table.key, range);
}

std::string DuplicateKeyValues(std::string_view schema, std::string_view table,
                               const std::vector<DuplicateKeyPart>& parts, int limit) {
  std::string values, not_null;
  for (size_t i = 0; i < parts.size(); ++i) {
    std::string v = QuoteIdentifier(parts[i].column);
    if (parts[i].prefix_length) {
      v = "LEFT(" + v + ", " + std::to_string(std::max(*parts[i].prefix_length, 1)) + ")";
    }
    values += (i ? ", " : "") + v;
    not_null += (i ? " AND " : "") + QuoteIdentifier(parts[i].column) + " IS NOT NULL";
  }
  return "SELECT " + values + ", COUNT(*) AS `duplicates` FROM " + QualifiedName(schema, table) +
         " WHERE " + not_null + " GROUP BY " + values + " HAVING COUNT(*) > 1 LIMIT " +
         std::to_string(std::max(limit, 1));
}

}  // namespace lockstep::sql
