// Where something is in a SQL file: byte offset and 1-based line and column.
//
// Columns count bytes, not characters, so that they agree with byte offsets and
// with what compilers and GitHub annotations report for UTF-8 files.
#pragma once

#include <cstddef>
#include <string>

namespace lockstep::sql {

struct SourcePos {
  size_t offset = 0;  // bytes from the start of the file
  int line = 1;
  int column = 1;

  // "3:14", the form compilers use after the file name.
  std::string ToString() const { return std::to_string(line) + ":" + std::to_string(column); }
};

}  // namespace lockstep::sql
