// Can the server make this change itself, without lockstep's shadow copy?
//
// Temporary tables cannot answer this (MariaDB 10.11 accepts ALGORITHM=INSTANT
// for any ALTER of a temporary table and refuses INPLACE for all), and the
// planner writes nothing else, so the answer comes from what was measured on
// InnoDB in 10.11 (docs/native-algorithms.md). A wrong guess is safe: the
// executor runs the change with an explicit ALGORITHM=..., LOCK=NONE, which
// the server refuses at once (error 1845/1846) rather than copying or locking.
#pragma once

#include <string>

#include "planner/plan/plan.h"
#include "planner/sql/ast.h"
#include "planner/sql/table_def.h"

namespace lockstep {

struct NativeAlgorithm {
  // kInstant: metadata only. kInplace: online (LOCK=NONE), may rebuild the
  // table in place. kCopy: the server would copy; lockstep must do it.
  Strategy strategy = Strategy::kCopy;
  std::string reason;
};

NativeAlgorithm ChooseNativeAlgorithm(const sql::TableDef& before, const sql::TableDef& after,
                                      const sql::AlterTable& alter);

}  // namespace lockstep
