// What a TABLE_MAP event says about one column: its binlog type and the
// per-type metadata that the row images need to be cut into values.
//
// The binlog does not say everything about a column: without
// binlog_row_metadata=FULL there is no signedness, no charset and no name.
// The decoder therefore keeps integers as raw bytes and strings as bytes; the
// caller adds what it knows of the table (see sql_literal.h: ColumnSpec).
#pragma once

#include <cstdint>
#include <string>

namespace lockstep::binlog {

// MariaDB's enum_field_types codes as they appear in a TABLE_MAP event, after
// resolving MYSQL_TYPE_STRING's real type (CHAR/BINARY, ENUM or SET) from its
// metadata.
enum class ColumnType : uint8_t {
  kDecimalOld = 0,  // pre-5.0 DECIMAL: never written by 10.11, refused
  kTiny = 1,
  kShort = 2,
  kLong = 3,
  kFloat = 4,
  kDouble = 5,
  kNull = 6,
  kTimestamp = 7,   // old format: 4 bytes of seconds
  kLongLong = 8,
  kInt24 = 9,
  kDate = 10,
  kTime = 11,       // old format: 3 bytes HHMMSS
  kDateTime = 12,   // old format: 8 bytes YYYYMMDDhhmmss
  kYear = 13,
  kNewDate = 14,
  kVarchar = 15,    // VARCHAR and VARBINARY
  kBit = 16,
  kTimestamp2 = 17,
  kDateTime2 = 18,
  kTime2 = 19,
  kJson = 245,      // MySQL's JSON; MariaDB's JSON is LONGTEXT and arrives as kBlob
  kNewDecimal = 246,
  kEnum = 247,
  kSet = 248,
  kTinyBlob = 249,
  kMediumBlob = 250,
  kLongBlob = 251,
  kBlob = 252,      // every TEXT and BLOB; the prefix width is in the metadata
  kVarString = 253,
  kString = 254,    // CHAR and BINARY (after resolving the real type)
  kGeometry = 255,
};

const char* ColumnTypeName(ColumnType type);

// True for the types whose values are integers of 1-8 bytes on the wire
// (TINYINT..BIGINT), whose signedness the binlog does not carry.
bool IsIntegerType(ColumnType type);

// One column of a TABLE_MAP, with its metadata decoded. Which fields mean
// something depends on `type`; the others stay 0.
struct ColumnInfo {
  ColumnType type = ColumnType::kNull;
  // kString (CHAR/BINARY), kVarchar: the most bytes a value can hold; it also
  // decides the width of the length prefix (1 byte below 256, else 2).
  // kEnum, kSet: the bytes of the stored value (ENUM 1-2, SET 1-8).
  // kFloat, kDouble: the pack length (4 or 8).
  uint32_t max_length = 0;
  // kBlob, kGeometry, kJson: bytes of the length prefix (1-4).
  uint8_t length_bytes = 0;
  // kNewDecimal: digits in all and after the point.
  uint8_t precision = 0;
  uint8_t scale = 0;
  // kTime2, kDateTime2, kTimestamp2: digits of fractional seconds (0-6).
  uint8_t fsp = 0;
  // kBit: the declared width in bits (1-64).
  uint16_t bits = 0;
  // From the TABLE_MAP's null bitmap.
  bool nullable = false;

  bool operator==(const ColumnInfo&) const = default;
};

// How many metadata bytes a binlog type code uses in a TABLE_MAP (0, 1 or 2),
// or -1 for a type lockstep cannot decode.
int MetadataSize(uint8_t binlog_type);

// Fills `out` from a type code and its metadata bytes; false when the
// metadata does not describe a valid column (a corrupt event).
bool DecodeColumnInfo(uint8_t binlog_type, const uint8_t* meta, ColumnInfo* out);

}  // namespace lockstep::binlog
