// Splits a migration file into statements the way the mysql client does.
//
// Statements end at the delimiter (';' unless a DELIMITER line changed it),
// except inside strings, quoted identifiers and comments. Executable comments
// (/*! ... */) are code, so a delimiter inside one does end a statement, as in
// the client. Comments before a statement are not part of its text.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "planner/sql/source_pos.h"

namespace lockstep::sql {

struct Statement {
  std::string text;  // without the delimiter and without leading comments
  SourcePos pos;     // where text starts in the file
  // Set when the client itself would fail here (a DELIMITER line without a
  // delimiter); text is then the offending line. Kept in the list so that the
  // caller reports it in order with the other statements.
  std::string error;
};

// Unterminated strings or comments are not errors here: they run to the end of
// the text, and the lexer reports them with the position where they start.
std::vector<Statement> SplitStatements(std::string_view text);

}  // namespace lockstep::sql
