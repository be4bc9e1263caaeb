// CopyLayout: the tables, key and columns of a copy from `t` into `_t_new`,
// as the SQL builders take them. Chunks follow t's primary key; the same
// key columns, under their new names, address rows in `_t_new`.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "db/connection.h"
#include "db/copy_sql.h"
#include "executor/shadow/shadow_table.h"
#include "planner/sql/ast.h"

namespace lockstep::executor {

struct CopyLayout {
  sql::RangeTable source;  // t by its primary key
  sql::RangeTable target;  // _t_new by the same columns
  std::vector<sql::ColumnCopy> columns;
};

// How values of a key column of this type are written back, or
// FailedPrecondition for types whose order the copy cannot follow by
// comparing literals: FLOAT/DOUBLE (text is rounded), ENUM/SET (sorted by
// member number, compared as strings), BIT, spatial types.
Result<sql::KeyLiteral> KeyLiteralFor(const sql::DataType& type);

// FailedPrecondition when t's primary key has a prefix part, a column of an
// unsupported type, or a column the shadow table drops.
Result<CopyLayout> MakeCopyLayout(const ShadowTableInfo& info);

// The key in the first row of `query` (MaxKey, ChunkEnd), nullopt when there
// is no row.
Result<std::optional<sql::KeyTuple>> ReadKey(Connection& conn, const std::string& query);

}  // namespace lockstep::executor
