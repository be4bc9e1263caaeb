// Renders decoded values as SQL literals for the applier's
// INSERT ... ON DUPLICATE KEY UPDATE and DELETE ... WHERE pk = ...
//
// The binlog does not carry signedness, charsets or ENUM/SET members, so the
// caller describes the column it is writing from (its definition in the
// source table at that point of the stream) in a ColumnSpec. Choices:
//
//   NULL                  NULL
//   TINYINT..BIGINT       decimal, signed or unsigned as the spec says
//   YEAR                  the number 0 or 1901-2155 (a numeric 0 stays 0000;
//                         the string '0' would become 2000)
//   DECIMAL               its exact text, unquoted: -1234.50
//   FLOAT, DOUBLE         %.17e: a DOUBLE literal that is exactly the stored
//                         value (a FLOAT widened), so it round-trips into a
//                         FLOAT or a DOUBLE column
//   BIT                   the unsigned number
//   ENUM, SET             the member names, quoted, when the spec lists the
//                         members (so a reordered member list in the new table
//                         still gets the right value); otherwise the index
//                         (ENUM, 1-based; 0 is the '' error value) or the
//                         bitmask (SET), which INSERT accepts as numbers
//   DATE, TIME, DATETIME  quoted text with as many fraction digits as the
//                         column declares: '-838:59:59.000000',
//                         '0000-00-00 00:00:00'
//   TIMESTAMP             quoted UTC text: correct in a session with
//                         time_zone '+00:00' (every lockstep Connection)
//   binary strings        X'hex'; a BINARY(n) value, which the binlog gives
//                         without its trailing 0x00 bytes, is padded back to n
//   text strings          _charset X'hex' (X'hex' when the spec has no
//                         charset): hex needs no escaping and keeps the bytes
//                         whatever the connection's charset
//   GEOMETRY              X'hex' of the internal form (SRID + WKB), which an
//                         INSERT into a geometry column accepts
#pragma once

#include <string>
#include <vector>

#include "executor/binlog/value.h"

namespace lockstep::binlog {

struct ColumnSpec {
  bool is_unsigned = false;  // integers declared UNSIGNED
  bool is_binary = false;    // BINARY, VARBINARY, BLOB types (charset binary)
  // Text columns: the column's character set ("utf8mb4", "latin1"), used as
  // the literal's introducer. Must be a charset name, it is not quoted.
  std::string charset;
  // ENUM and SET: the members in declared order.
  std::vector<std::string> elements;
};

std::string ToSqlLiteral(const Value& value, const ColumnSpec& spec);

// 'YYYY-MM-DD', '[-]HH:MM:SS[.ffffff]' or 'YYYY-MM-DD HH:MM:SS[.ffffff]'
// without quotes, for a temporal Value; "" for any other.
std::string TemporalText(const Value& value);

}  // namespace lockstep::binlog
