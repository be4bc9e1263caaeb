// A migration file -> its statements, each an ALTER TABLE, a refusal, or a
// syntax error, in file order.
//
// lockstep runs ALTER TABLE online and nothing else. Every other statement is
// refused with a reason and its position, so that lint can point at it and
// plan can stop: DROP/TRUNCATE destroy data, RENAME TABLE breaks clients and
// collides with lockstep's own cut-over rename, DML would replicate through the
// DRC link into every DC, CREATE belongs to the normal deployment.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "planner/sql/ast.h"
#include "planner/sql/splitter.h"

namespace lockstep::sql {

struct ParsedStatement {
  enum class Kind { kAlterTable, kRefused, kSyntaxError, kEmpty };
  Kind kind = Kind::kEmpty;
  // What the statement is, uppercased: "ALTER TABLE", "DROP TABLE", "INSERT",
  // "CREATE INDEX". Empty when the statement does not start with a word.
  std::string verb;
  std::string message;  // why it was refused, or the syntax error; no position in it
  SourcePos pos;        // the statement's start; for a syntax error, the offending token
  std::optional<AlterTable> alter;
  std::string text;
};

ParsedStatement ParseStatement(const Statement& statement);

// Splits and parses; statements with no code (only comments) are left out.
std::vector<ParsedStatement> ParseMigration(std::string_view file_text);

// For a single ALTER given on the command line: anything but exactly one ALTER
// TABLE is an InvalidArgument error whose message starts with "line:col: ".
Result<AlterTable> ParseAlterTable(std::string_view sql);

}  // namespace lockstep::sql
