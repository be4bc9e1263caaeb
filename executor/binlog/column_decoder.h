// Cuts one column value out of a row image, by the column's TABLE_MAP type
// and metadata. This is lockstep's replacement for Connector/C's
// mariadb_rpl_extract_rows, which misreads CHAR/BINARY/ENUM/SET lengths,
// negative integers, negative DECIMAL, YEAR 0 and negative TIME fractions
// (REFERENCE.md section 4).
#pragma once

#include "common/status.h"
#include "executor/binlog/byte_reader.h"
#include "executor/binlog/column_type.h"
#include "executor/binlog/value.h"

namespace lockstep::binlog {

// Reads the value of `column` at the reader's position into `out` and moves
// past it. A value that runs past the end or cannot be a valid encoding is an
// error (kInternal: the event is corrupt), never a read out of bounds.
[[nodiscard]] Status DecodeColumnValue(ByteReader& reader, const ColumnInfo& column, Value* out);

// Pieces exposed for the unit tests.
//
// The text of a DECIMAL(precision, scale) in MariaDB's binary format, e.g.
// "-1234.50"; false when `size` is wrong or a digit group is out of range.
[[nodiscard]] bool DecimalToText(const uint8_t* data, size_t size, int precision, int scale,
                                 std::string* out);
// Bytes of a DECIMAL(precision, scale) in that format.
size_t DecimalBinarySize(int precision, int scale);
// Civil UTC date and time of `seconds` since the epoch.
Temporal CivilFromUnixSeconds(int64_t seconds);

}  // namespace lockstep::binlog
