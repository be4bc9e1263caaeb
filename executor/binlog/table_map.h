// A TABLE_MAP event: which table the following row events are about, and the
// binlog type and metadata of each of its columns, by position.
//
// Column names, signedness and charsets are only in the optional metadata
// that binlog_row_metadata=FULL adds; lockstep does not rely on them (the
// applier knows the table's definition) and skips that part.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "executor/binlog/column_type.h"

namespace lockstep::binlog {

struct TableMap {
  uint64_t table_id = 0;
  std::string schema;
  std::string table;
  std::vector<ColumnInfo> columns;
};

// The table id and names of a TABLE_MAP body (the event after its 19-byte
// header, without checksum), without decoding the columns: enough to filter.
struct TableMapHeader {
  uint64_t table_id = 0;
  std::string_view schema;
  std::string_view table;
};
[[nodiscard]] Result<TableMapHeader> ParseTableMapHeader(std::string_view body);

// The whole TABLE_MAP body, columns included.
[[nodiscard]] Result<TableMap> ParseTableMap(std::string_view body);

}  // namespace lockstep::binlog
