// ChecksumColumns: how each copied column is read on each side of a chunk
// checksum, so that a correctly copied row gives the same bytes on both.
//
// Unchanged columns are read as they are. When the type changes, the old
// value is cast to the new type where MariaDB's CAST can say it (DECIMAL(M,D),
// DATETIME(n), TIME(n), DATE, integers, DOUBLE for FLOAT/DOUBLE), text is
// compared as utf8mb4 on both sides (so a charset conversion compares
// characters, not bytes), and binary values as hex. Not covered, and so
// reported as differences if they occur: CHAR <-> VARCHAR with trailing
// spaces (CHAR strips them), BINARY(n) zero padding, rounding that differs
// between CAST and the column conversion, and types CAST cannot produce
// (TINYINT ranges, ENUM member renames), which are compared as text.
#pragma once

#include <vector>

#include "db/copy_sql.h"
#include "executor/shadow/shadow_table.h"

namespace lockstep::executor {

struct ChecksumColumns {
  std::vector<sql::ChecksumValue> source;  // over t's column names
  std::vector<sql::ChecksumValue> target;  // over _t_new's, same order
};

ChecksumColumns MakeChecksumColumns(const ShadowTableInfo& info);

}  // namespace lockstep::executor
