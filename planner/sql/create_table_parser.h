// The CREATE TABLE parser: one statement's tokens -> TableDef.
//
// It must read MariaDB 10.11's SHOW CREATE TABLE output exactly, since the
// planner diffs two of them to learn what an ALTER changes; it also reads
// hand-written CREATE TABLE statements of schema files. CREATE TABLE ... LIKE
// and ... AS SELECT carry no definition and are errors.
#pragma once

#include <string_view>
#include <vector>

#include "common/status.h"
#include "planner/sql/table_def.h"
#include "planner/sql/token.h"
#include "planner/sql/token_cursor.h"

namespace lockstep::sql {

class CreateTableParser {
 public:
  // tokens: the whole statement from the Lexer, starting at CREATE; source and
  // base_offset as for TokenCursor.
  CreateTableParser(const std::vector<Token>& tokens, std::string_view source, size_t base_offset);

  // On error the Status message reads "line:col: what"; error_pos() tells where.
  Result<TableDef> Parse();
  const SourcePos& error_pos() const { return cur_.error_pos(); }

 private:
  Status ParseHeader(TableDef* table);
  Status ParseElement(TableDef* table);
  Status ParseOptions(TableDef* table);

  TokenCursor cur_;
};

// Lexes and parses one CREATE TABLE statement (SHOW CREATE TABLE output).
Result<TableDef> ParseCreateTable(std::string_view sql, SourcePos start = {});

}  // namespace lockstep::sql
