// How a row of the live table `t` (as the binlog gives it, by position)
// becomes a row of the shadow table `_t_new` (by name): dropped columns are
// skipped, renamed ones follow their new name, added ones take their default.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "common/status.h"
#include "executor/binlog/sql_literal.h"
#include "planner/sql/table_def.h"

namespace lockstep {

struct MappedColumn {
  size_t source_position = 0;  // index in t's row image
  std::string source_name;     // its name in t
  std::string shadow_name;     // its name in _t_new
  binlog::ColumnSpec spec;     // how to render its values (from t's definition)
};

struct RowImageMapping {
  std::vector<MappedColumn> columns;       // in t's order, only those _t_new has
  std::vector<size_t> key_positions;       // t's primary key, as indexes into `columns`
  size_t source_column_count = 0;
  // _t_new's only unique key is a primary key on exactly the key columns: an
  // existing row can then be updated in place (INSERT ... ON DUPLICATE KEY
  // UPDATE) rather than deleted and inserted again.
  bool key_is_only_unique = false;

  // `renames`: t's column name -> _t_new's (RENAME COLUMN, CHANGE), lower case.
  static Result<RowImageMapping> Build(const sql::TableDef& source, const sql::TableDef& shadow,
                                     const std::map<std::string, std::string>& renames);
};

// How values of `column` of `table` are rendered as SQL literals.
binlog::ColumnSpec SpecOf(const sql::TableDef& table, const sql::ColumnDef& column);

}  // namespace lockstep
