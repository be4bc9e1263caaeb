// One decoded column value of a row image.
//
// A Value keeps what the binlog says and nothing it does not: an integer is
// its raw little-endian bytes and their width (signedness is not in the
// TABLE_MAP without binlog_row_metadata=FULL, so the caller picks AsSigned()
// or AsUnsigned() from its own table definition); a string is bytes in
// whatever charset the column has; DECIMAL is its exact text; temporals are
// broken into fields. ToSqlLiteral (sql_literal.h) renders it for the applier.
#pragma once

#include <cstdint>
#include <string>

#include "executor/binlog/column_type.h"

namespace lockstep::binlog {

// DATE, TIME, DATETIME and TIMESTAMP values as fields. A TIMESTAMP is given in
// UTC (the binlog holds seconds since the epoch); a zero date is all zeros.
struct Temporal {
  bool negative = false;  // TIME only
  uint32_t year = 0;
  uint32_t month = 0;
  uint32_t day = 0;
  uint32_t hour = 0;  // TIME: 0-838
  uint32_t minute = 0;
  uint32_t second = 0;
  uint32_t micros = 0;  // 0-999999 whatever the declared precision

  bool operator==(const Temporal&) const = default;
};

class Value {
 public:
  Value() = default;  // a NULL of unknown type

  static Value Null(ColumnType type);
  // TINYINT..BIGINT, YEAR, ENUM, SET, BIT: `raw` holds the value zero-extended
  // from `width` bytes (BIT: from its big-endian bytes).
  static Value Integer(ColumnType type, uint64_t raw, uint8_t width);
  static Value Float(float v);
  static Value Double(double v);
  // CHAR/VARCHAR/BINARY/VARBINARY/TEXT/BLOB/JSON/GEOMETRY bytes, or the text of
  // a DECIMAL. `declared_length` is the column's maximum in bytes (CHAR and
  // BINARY: the length a BINARY(n) value is padded back to with 0x00).
  static Value Bytes(ColumnType type, std::string bytes, uint32_t declared_length = 0);
  // DATE, TIME, DATETIME, TIMESTAMP with `fsp` fractional digits (0-6).
  static Value Time(ColumnType type, const Temporal& t, uint8_t fsp);

  ColumnType type() const { return type_; }
  bool is_null() const { return null_; }

  // Integers: the bytes the value had on the wire (1, 2, 3, 4 or 8; BIT: 1-8).
  uint8_t width() const { return width_; }
  // Integers: zero-extended from width() bytes.
  uint64_t AsUnsigned() const { return raw_; }
  // Integers: sign-extended from width() bytes (-1 for a TINYINT 0xff).
  int64_t AsSigned() const;
  // FLOAT and DOUBLE (a FLOAT widened exactly).
  double AsDouble() const { return dbl_; }
  bool is_float() const { return type_ == ColumnType::kFloat; }

  // Strings, blobs, DECIMAL text.
  const std::string& bytes() const { return bytes_; }
  uint32_t declared_length() const { return declared_length_; }

  const Temporal& temporal() const { return temporal_; }
  uint8_t fsp() const { return fsp_; }

  // For test messages and logs: "INT(4 bytes)=0xffffffff", "CHAR='abc'", ...
  // Strings are cut to 64 bytes.
  std::string DebugString() const;

  bool operator==(const Value& other) const;

 private:
  ColumnType type_ = ColumnType::kNull;
  bool null_ = true;
  uint8_t width_ = 0;
  uint8_t fsp_ = 0;
  uint32_t declared_length_ = 0;
  uint64_t raw_ = 0;
  double dbl_ = 0;
  Temporal temporal_;
  std::string bytes_;
};

}  // namespace lockstep::binlog
