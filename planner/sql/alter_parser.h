// The ALTER TABLE parser: one statement's tokens -> AlterTable.
//
// Clauses are split at top-level commas and each is identified (ADD COLUMN,
// DROP INDEX, table options, partitioning, ...). A clause it does not know is
// kept as an kOther clause with its text, so that the classifier treats it as
// unsafe; it is never dropped. A malformed known clause is a syntax error with
// the position of the offending token.
#pragma once

#include <string_view>
#include <vector>

#include "common/status.h"
#include "planner/sql/ast.h"
#include "planner/sql/token.h"
#include "planner/sql/token_cursor.h"

namespace lockstep::sql {

class AlterParser {
 public:
  // tokens: the whole statement from the Lexer, starting at ALTER; source and
  // base_offset as for TokenCursor.
  AlterParser(const std::vector<Token>& tokens, std::string_view source, size_t base_offset);

  // On error the Status message reads "line:col: what"; error_pos() tells where.
  Result<AlterTable> Parse();
  const SourcePos& error_pos() const { return cur_.error_pos(); }

 private:
  Status ParseHeader(AlterTable* alter);
  // One clause between commas; may append several (ADD (a INT, b INT), options).
  Status ParseClause(std::vector<AlterClause>* out);
  Status ParseAdd(AlterClause clause, std::vector<AlterClause>* out);
  Status ParseAddList(const AlterClause& clause, std::vector<AlterClause>* out);
  Status ParseDrop(AlterClause* clause);
  Status ParseModify(AlterClause* clause);
  Status ParseChange(AlterClause* clause);
  Status ParseRename(AlterClause* clause);
  Status ParseAlterColumnOrIndex(AlterClause* clause);
  Status ParseConvert(AlterClause* clause);
  Status ParseAlgorithmOrLock(AlterClause* clause);
  Status ParseTableOptions(AlterClause clause, std::vector<AlterClause>* out);
  // PARTITION BY, ADD/DROP/... PARTITION, REMOVE PARTITIONING: to the statement end.
  Status ParsePartition(AlterClause* clause);
  bool AtPartitionClause() const;
  Status ParseOther(AlterClause* clause);
  // Sets clause.text from its first token to the current one.
  void Finish(AlterClause* clause, size_t first_token) const;

  TokenCursor cur_;
};

}  // namespace lockstep::sql
