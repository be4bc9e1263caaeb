// ColumnMapping: which column of the shadow table each column of the table
// is copied into. By name, after the ALTER's renames; dropped columns are not
// copied; added columns take their defaults; generated columns of the
// shadow table are computed by the server and never written.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "executor/shadow/shadow_spec.h"
#include "planner/sql/table_def.h"

namespace lockstep::executor {

struct ColumnPair {
  std::string old_name;
  std::string new_name;
};

struct ColumnMapping {
  std::vector<ColumnPair> copied;      // in the table's column order
  std::vector<std::string> dropped;    // old columns with no new column
  std::vector<std::string> added;      // new columns nothing is copied into
  std::vector<std::string> generated;  // new generated columns

  std::optional<std::string> NewName(std::string_view old_name) const;
  std::optional<std::string> OldName(std::string_view new_name) const;
};

// Fails when a rename names a column that is not there, or two old columns
// land in one new column.
Result<ColumnMapping> MapColumns(const sql::TableDef& old_def, const sql::TableDef& new_def,
                                 const ShadowSpec& spec);

}  // namespace lockstep::executor
