// SQL text of the executor's row copy and chunk checksum: key ranges, the
// chunk INSERT ... SELECT, range deletes, range checksums, duplicate reports.
//
// Like sql.h, the only place these statements are spelled: identifiers are
// quoted here, key values are written back as literals here (numbers bare
// only when they are numbers, binary values as hex), and type casts are
// chosen from an enum with integer parameters, never from free text.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lockstep::sql {

// How a key column's value (the server's text form) is written back.
enum class KeyLiteral {
  kNumber,  // integers and DECIMAL: bare, so a BIGINT is never compared as a double
  kString,  // character, temporal, UUID/INET types: quoted, compared in the column's collation
  kBinary,  // BINARY/VARBINARY/BLOB: X'hex', byte for byte
};

struct KeyColumn {
  std::string name;
  KeyLiteral literal = KeyLiteral::kString;
};

// One value per key column, in the server's text form.
using KeyTuple = std::vector<std::string>;

// A table read or written by key ranges.
struct RangeTable {
  std::string schema;
  std::string table;
  std::vector<KeyColumn> key;  // the chunking key, in this table's column names
  bool key_is_primary = true;  // the key is the table's PRIMARY KEY: FORCE INDEX (PRIMARY)
};

// A key range (after, upper]: `after` absent means from the first row.
struct KeyRange {
  const KeyTuple* after = nullptr;
  const KeyTuple* upper = nullptr;  // required
};

std::string KeyValueLiteral(std::string_view value, KeyLiteral kind);

// Lexicographic comparisons of the key with a tuple, spelled as a flat OR of
// ANDs: MariaDB 10.11 scans the whole index for a row constructor
// `(a, b) > (1, 2)` but range-scans this form (measured with EXPLAIN).
// "(`a` > 1 OR (`a` = 1 AND `b` > 'x'))"
std::string KeyGreaterThan(const std::vector<KeyColumn>& key, const KeyTuple& values);
std::string KeyAtMost(const std::vector<KeyColumn>& key, const KeyTuple& values);
// The WHERE condition of a range.
std::string KeyRangeCondition(const std::vector<KeyColumn>& key, const KeyRange& range);

// The largest key of the table, read with a locking read: it waits for a
// transaction still committing a row at the top, whose binlog event may
// already be behind the applier's start position (gh-ost #1141).
std::string MaxKey(const RangeTable& table);
// The key `offset` rows into (after, upper], in key order: a chunk's end.
std::string ChunkEnd(const RangeTable& table, const KeyRange& range, int64_t offset);

enum class InsertMode {
  kIgnore,        // INSERT IGNORE: rows already present are kept (only when nothing else can be ignored)
  kStrict,        // INSERT: any duplicate or conversion error fails the statement
  kSkipExisting,  // INSERT ... WHERE NOT EXISTS (same key in the target): a strict retry
};

struct ColumnCopy {
  std::string source;  // column of the source table
  std::string target;  // column of the target table
};

// INSERT [IGNORE] INTO target (cols) SELECT cols FROM source FORCE INDEX (PRIMARY)
// WHERE range [AND NOT EXISTS (...)] ORDER BY key. `target` names the key
// columns in its own names (needed for kSkipExisting).
std::string CopyRange(const RangeTable& source, const RangeTable& target,
                      const std::vector<ColumnCopy>& columns, InsertMode mode,
                      const KeyRange& range);
std::string DeleteRange(const RangeTable& table, const KeyRange& range);
// At most `limit` rows whose key is above `after` (null: any row).
std::string DeleteAbove(const RangeTable& table, const KeyTuple* after, int64_t limit);
// One row: whether the table has a row whose key is above `after`.
std::string AnyAbove(const RangeTable& table, const KeyTuple& after);
// SELECT COUNT(*) FROM table WHERE range LOCK IN SHARE MODE: under REPEATABLE
// READ it holds the rows and the gaps of the range against writers, so a
// checksum of a hot chunk compares both tables at one moment.
std::string LockRangeShared(const RangeTable& table, const KeyRange& range);

// How one column is read for a checksum: cast to the type the new table
// stores, then put in a form whose bytes compare equal across charsets.
struct ChecksumValue {
  enum class Cast { kNone, kSigned, kUnsigned, kDecimal, kDouble, kDate, kDatetime, kTime };
  enum class Form { kAsIs, kUtf8mb4, kHex };
  std::string column;
  Cast cast = Cast::kNone;
  int precision = 0;  // kDecimal: M
  int scale = 0;      // kDecimal: D; kDatetime/kTime: fractional digits
  Form form = Form::kAsIs;
};
std::string ChecksumValueExpression(const ChecksumValue& value);

// One row: rows, BIT_XOR of CRC32 over the values and their NULL markers
// (CONCAT_WS skips NULLs, so (NULL,'a') and ('a',NULL) would collide).
std::string RangeChecksum(const RangeTable& table, const std::vector<ChecksumValue>& values,
                          const KeyRange& range);

struct DuplicateKeyPart {
  std::string column;
  std::optional<int> prefix_length;
};
// Values of `parts` that more than one row shares (NULLs never collide in a
// unique key, so rows with a NULL part are left out), with their counts.
std::string DuplicateKeyValues(std::string_view schema, std::string_view table,
                               const std::vector<DuplicateKeyPart>& parts, int limit);

}  // namespace lockstep::sql
