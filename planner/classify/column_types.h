// Facts about column types that both the skew classifier and the native
// algorithm chooser need.
#pragma once

#include "planner/sql/ast.h"

namespace lockstep {

// Only textual columns carry a character set; for the others the table
// default is irrelevant and must not count as a change.
inline bool IsTextual(const sql::DataType& t) {
  static const char* kTextual[] = {"char", "varchar", "tinytext", "text", "mediumtext",
                                   "longtext", "enum", "set"};
  for (const char* name : kTextual) {
    if (t.name == name) return true;
  }
  return false;
}

}  // namespace lockstep
