// Column definitions and data types, shared by ALTER TABLE (ADD, MODIFY, CHANGE)
// and CREATE TABLE, including the exact form SHOW CREATE TABLE prints.
#pragma once

#include <string>

#include "common/status.h"
#include "planner/sql/ast.h"
#include "planner/sql/token_cursor.h"

namespace lockstep::sql {

// At the type name: `int(11) unsigned`, `varchar(50) CHARACTER SET latin1`,
// `enum('a','b')`, `double precision`.
Status ParseDataType(TokenCursor& cur, DataType* type);

// At the column name: name, type, then attributes up to ',' or ')' or the end.
// Unknown attributes are kept as text in other_attributes, never dropped.
Status ParseColumnDefinition(TokenCursor& cur, ColumnDef* column);

// The text of a DEFAULT / ON UPDATE value: a literal (signed, with an
// introducer), NULL, a function call, NEXT VALUE FOR seq, or a (parenthesised
// expression). Leaves cur after it.
Status ParseValueText(TokenCursor& cur, std::string* text);

// FIRST or AFTER col, when there; returns false when neither is next.
Result<bool> ParseColumnPosition(TokenCursor& cur, ColumnPosition* position);

}  // namespace lockstep::sql
