// Index, foreign key and check definitions, shared by ALTER TABLE ADD ... and
// CREATE TABLE, in the forms SHOW CREATE TABLE prints and the ones people write.
#pragma once

#include <optional>

#include "common/status.h"
#include "planner/sql/ast.h"
#include "planner/sql/token_cursor.h"

namespace lockstep::sql {

// What one [CONSTRAINT [name]] PRIMARY KEY / UNIQUE / INDEX / KEY / FULLTEXT /
// SPATIAL / FOREIGN KEY / CHECK element defines: exactly one field is set.
struct ConstraintDef {
  std::optional<IndexDef> index;
  std::optional<ForeignKeyDef> foreign_key;
  std::optional<CheckDef> check;
  bool if_not_exists = false;  // MariaDB: ADD INDEX IF NOT EXISTS ...
};

// True when the next token starts an index or constraint rather than a column.
bool StartsConstraint(const TokenCursor& cur);

// At CONSTRAINT, PRIMARY, UNIQUE, INDEX, KEY, FULLTEXT, SPATIAL, FOREIGN or CHECK;
// stops at ',' or ')' or the end (or PARTITION, which may follow an ALTER).
Status ParseConstraint(TokenCursor& cur, ConstraintDef* out);

// (`a`(10), `b` DESC, (expr)): the key parts of an index.
Status ParseKeyParts(TokenCursor& cur, std::vector<IndexColumn>* parts);

}  // namespace lockstep::sql
