#include "planner/sql/create_table_parser.h"

#include <cerrno>
#include <cstdlib>

#include "planner/sql/column_parser.h"
#include "planner/sql/constraint_parser.h"
#include "planner/sql/lexer.h"
#include "planner/sql/table_option_parser.h"

namespace lockstep::sql {

CreateTableParser::CreateTableParser(const std::vector<Token>& tokens, std::string_view source,
                                     size_t base_offset)
    : cur_(tokens, source, base_offset) {}

Result<TableDef> CreateTableParser::Parse() {
  TableDef table;
  LOCKSTEP_RETURN_IF_ERROR(ParseHeader(&table));
  if (cur_.IsKeyword("like") || (cur_.IsOperator("(") && cur_.IsKeyword("like", 1))) {
    return cur_.ErrorAt(cur_.Peek(), "CREATE TABLE ... LIKE has no definition to read");
  }
  if (!cur_.IsOperator("(")) return cur_.Unexpected("'(' and the table's columns");
  cur_.Advance();
  do {
    LOCKSTEP_RETURN_IF_ERROR(ParseElement(&table));
  } while (cur_.AcceptOperator(","));
  LOCKSTEP_RETURN_IF_ERROR(cur_.ExpectOperator(")"));
  LOCKSTEP_RETURN_IF_ERROR(ParseOptions(&table));
  cur_.AcceptOperator(";");  // tolerated when the text was not split into statements
  if (!cur_.AtEnd()) return cur_.Unexpected("a table option or the end of the statement");
  return table;
}

Status CreateTableParser::ParseHeader(TableDef* table) {
  table->pos = cur_.Peek().pos;
  LOCKSTEP_RETURN_IF_ERROR(cur_.ExpectKeyword("create"));
  cur_.AcceptKeywords({"or", "replace"});
  table->temporary = cur_.AcceptKeyword("temporary");
  LOCKSTEP_RETURN_IF_ERROR(cur_.ExpectKeyword("table"));
  cur_.AcceptKeywords({"if", "not", "exists"});
  LOCKSTEP_RETURN_IF_ERROR(cur_.ExpectName("a table name", &table->name));
  if (cur_.AcceptOperator(".")) {
    table->schema = table->name;
    LOCKSTEP_RETURN_IF_ERROR(cur_.ExpectName("a table name after '.'", &table->name));
  }
  return Status::Ok();
}

Status CreateTableParser::ParseElement(TableDef* table) {
  if (cur_.IsKeywords({"period", "for"})) {
    return cur_.SkipToElementEnd();  // system-versioning periods: no column, no index
  }
  if (StartsConstraint(cur_)) {
    ConstraintDef def;
    LOCKSTEP_RETURN_IF_ERROR(ParseConstraint(cur_, &def));
    if (def.index) table->indexes.push_back(std::move(*def.index));
    if (def.foreign_key) table->foreign_keys.push_back(std::move(*def.foreign_key));
    if (def.check) table->checks.push_back(std::move(*def.check));
    if (!cur_.AtElementEnd()) return cur_.Unexpected("',' or ')'");
    return Status::Ok();
  }
  ColumnDef column;
  LOCKSTEP_RETURN_IF_ERROR(ParseColumnDefinition(cur_, &column));
  if (!cur_.AtElementEnd()) return cur_.Unexpected("',' or ')'");
  // Inline keys are table keys; SHOW CREATE TABLE never prints them this way,
  // hand-written schema files do.
  if (column.primary_key) {
    IndexDef pk;
    pk.name = "PRIMARY";
    pk.kind = IndexKind::kPrimary;
    pk.columns.push_back({column.name, std::nullopt, false, ""});
    pk.pos = column.pos;
    table->indexes.push_back(std::move(pk));
  }
  if (column.unique_key) {
    IndexDef uk;
    uk.name = column.name;  // the server names it after the column
    uk.kind = IndexKind::kUnique;
    uk.columns.push_back({column.name, std::nullopt, false, ""});
    uk.pos = column.pos;
    table->indexes.push_back(std::move(uk));
  }
  table->columns.push_back(std::move(column));
  return Status::Ok();
}

Status CreateTableParser::ParseOptions(TableDef* table) {
  TableOptions& options = table->options;
  while (!cur_.AtEnd()) {
    if (cur_.IsKeywords({"partition", "by"})) {
      const size_t first = cur_.index();
      while (!cur_.AtEnd()) LOCKSTEP_RETURN_IF_ERROR(cur_.SkipTokenOrGroup());
      table->partitioning = cur_.Text(first, cur_.index());
      return Status::Ok();
    }
    if (cur_.AcceptKeywords({"with", "system", "versioning"})) {
      table->system_versioned = true;  // MariaDB prints it after the options
      continue;
    }
    const Token& at = cur_.Peek();
    TableOption option;
    LOCKSTEP_ASSIGN_OR_RETURN(bool known, ParseTableOption(cur_, &option));
    if (!known) return Status::Ok();  // Parse() reports what follows
    if (option.name == "ENGINE") {
      options.engine = option.value;
    } else if (option.name == "CHARACTER SET") {
      options.charset = option.value;
    } else if (option.name == "COLLATE") {
      options.collation = option.value;
    } else if (option.name == "ROW_FORMAT") {
      options.row_format = option.value;
    } else if (option.name == "COMMENT") {
      options.comment = option.value;
    } else if (option.name == "AUTO_INCREMENT") {
      errno = 0;
      char* end = nullptr;
      const unsigned long long n = std::strtoull(option.value.c_str(), &end, 10);
      if (errno != 0 || end == option.value.c_str() || *end != '\0' || option.value[0] == '-') {
        return cur_.ErrorAt(at, "AUTO_INCREMENT needs a non-negative integer");
      }
      options.auto_increment = n;
    } else {
      options.other.emplace_back(option.name, option.value);
    }
    cur_.AcceptOperator(",");  // options may be separated by commas
  }
  return Status::Ok();
}

Result<TableDef> ParseCreateTable(std::string_view sql, SourcePos start) {
  LOCKSTEP_ASSIGN_OR_RETURN(std::vector<Token> tokens, Tokenize(sql, start));
  CreateTableParser parser(tokens, sql, start.offset);
  return parser.Parse();
}

}  // namespace lockstep::sql
