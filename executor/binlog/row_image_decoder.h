// Decodes the rows part of a WRITE/UPDATE/DELETE_ROWS event into RowChanges,
// using the columns of the TABLE_MAP that precedes it.
//
// Layout (after the post-header): the column count, the columns-present
// bitmap (UPDATE: a second one for the after image), then the rows, each
// image being a NULL bitmap over the present columns followed by the values
// of the present non-NULL columns. UPDATE rows come as before/after pairs.
#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "executor/binlog/binlog_event.h"
#include "executor/binlog/table_map.h"

namespace lockstep::binlog {

class RowImageDecoder {
 public:
  // `rows_part` starts at the column count. `compressed`: the row data after
  // the bitmaps is in MariaDB's compressed form (the *_COMPRESSED events).
  // Appends one RowChange per row (per before/after pair) to `out`.
  [[nodiscard]] static Status Decode(RowChangeKind kind, std::string_view rows_part,
                                     bool compressed,
                                     const std::shared_ptr<const TableMap>& table,
                                     std::vector<RowChange>* out);
};

}  // namespace lockstep::binlog
