#include "planner/sql/schema_dump_parser.h"

#include <vector>

#include "planner/sql/create_table_parser.h"
#include "planner/sql/lexer.h"
#include "planner/sql/splitter.h"
#include "planner/sql/token_cursor.h"

namespace lockstep::sql {
namespace {

// CREATE [OR REPLACE] [DEFINER=...] TRIGGER [IF NOT EXISTS] [db.]name
// {BEFORE|AFTER} event ON [db.]table: returns false when it is no trigger.
bool ReadTrigger(const std::vector<Token>& tokens, std::string* schema, std::string* table,
                 std::string* name) {
  size_t k = 1;
  while (k < tokens.size() && k < 16 && !tokens[k].IsKeyword("trigger")) ++k;
  if (k >= tokens.size() || !tokens[k].IsKeyword("trigger")) return false;
  ++k;
  if (k + 2 < tokens.size() && tokens[k].IsKeyword("if") && tokens[k + 1].IsKeyword("not")) k += 3;
  if (k < tokens.size() && tokens[k].IsName()) *name = tokens[k++].value;
  if (k + 1 < tokens.size() && tokens[k].IsOperator(".") && tokens[k + 1].IsName()) {
    *name = tokens[k + 1].value;
    k += 2;
  }
  // BEFORE INSERT / AFTER UPDATE OF ... (MariaDB allows several events): find ON.
  while (k < tokens.size() && k < 40 && !tokens[k].IsKeyword("on")) ++k;
  if (k + 1 >= tokens.size() || !tokens[k + 1].IsName()) return false;
  *table = tokens[k + 1].value;
  if (k + 3 < tokens.size() && tokens[k + 2].IsOperator(".") && tokens[k + 3].IsName()) {
    *schema = *table;
    *table = tokens[k + 3].value;
  }
  return true;
}

}  // namespace

Result<Schema> ParseSchemaDump(std::string_view text) {
  Schema schema;
  std::string current_db;  // from USE, as mariadb-dump --databases writes
  for (const Statement& statement : SplitStatements(text)) {
    if (!statement.error.empty()) {
      return Status::InvalidArgument(statement.pos.ToString() + ": " + statement.error);
    }
    LOCKSTEP_ASSIGN_OR_RETURN(std::vector<Token> tokens, Tokenize(statement.text, statement.pos));
    if (tokens.size() < 3) continue;
    if (tokens[0].IsKeyword("use") && tokens[1].IsName()) {
      current_db = tokens[1].value;
      continue;
    }
    if (!tokens[0].IsKeyword("create")) continue;
    size_t k = 1;
    if (tokens[k].IsKeyword("or") && tokens[k + 1].IsKeyword("replace")) k += 2;
    if (k < tokens.size() && tokens[k].IsKeyword("temporary")) ++k;
    if (k < tokens.size() && tokens[k].IsKeyword("table")) {
      CreateTableParser parser(tokens, statement.text, statement.pos.offset);
      LOCKSTEP_ASSIGN_OR_RETURN(TableDef table, parser.Parse());
      if (table.schema.empty()) table.schema = current_db;
      schema.AddTable(std::move(table));
      continue;
    }
    std::string trigger_schema, table, trigger;
    if (ReadTrigger(tokens, &trigger_schema, &table, &trigger)) {
      schema.AddTrigger(trigger_schema.empty() ? current_db : trigger_schema, table, trigger);
    }
  }
  return schema;
}

}  // namespace lockstep::sql
