#include "planner/sql/alter_parser.h"

#include "planner/sql/column_parser.h"
#include "planner/sql/constraint_parser.h"
#include "planner/sql/table_option_parser.h"

namespace lockstep::sql {
namespace {

bool AcceptIfExists(TokenCursor& cur) { return cur.AcceptKeywords({"if", "exists"}); }
bool AcceptIfNotExists(TokenCursor& cur) { return cur.AcceptKeywords({"if", "not", "exists"}); }

// The partition operations of ALTER TABLE, by their first two words.
constexpr const char* kPartitionVerbs[] = {"add",     "drop",   "truncate", "coalesce", "reorganize",
                                           "exchange", "analyze", "check",   "optimize", "rebuild",
                                           "repair",  "discard", "import",  "convert"};

// ADD INDEX / FOREIGN KEY / CHECK: the clause kind and its definition.
void SetConstraint(ConstraintDef def, AlterClause* clause) {
  clause->if_not_exists = clause->if_not_exists || def.if_not_exists;
  if (def.index) {
    clause->kind = ClauseKind::kAddIndex;
    clause->name = def.index->name;
    clause->index = std::move(def.index);
  } else if (def.foreign_key) {
    clause->kind = ClauseKind::kAddForeignKey;
    clause->name = def.foreign_key->name;
    clause->foreign_key = std::move(def.foreign_key);
  } else {
    clause->kind = ClauseKind::kAddCheck;
    clause->name = def.check->name;
    clause->check = std::move(def.check);
  }
}

}  // namespace

AlterParser::AlterParser(const std::vector<Token>& tokens, std::string_view source, size_t base_offset)
    : cur_(tokens, source, base_offset) {}

Result<AlterTable> AlterParser::Parse() {
  AlterTable alter;
  LOCKSTEP_RETURN_IF_ERROR(ParseHeader(&alter));
  while (!cur_.AtEnd()) {
    LOCKSTEP_RETURN_IF_ERROR(ParseClause(&alter.clauses));
    if (cur_.AtEnd()) break;
    if (AtPartitionClause()) continue;  // PARTITION BY follows the last clause without a comma
    if (!cur_.AcceptOperator(",")) return cur_.Unexpected("',' or the end of the statement");
    if (cur_.AtEnd()) return cur_.Unexpected("another clause after ','");
  }
  return alter;
}

Status AlterParser::ParseHeader(AlterTable* alter) {
  alter->pos = cur_.Peek().pos;
  LOCKSTEP_RETURN_IF_ERROR(cur_.ExpectKeyword("alter"));
  alter->online = cur_.AcceptKeyword("online");
  alter->ignore = cur_.AcceptKeyword("ignore");
  LOCKSTEP_RETURN_IF_ERROR(cur_.ExpectKeyword("table"));
  alter->if_exists = AcceptIfExists(cur_);
  alter->table_pos = cur_.Peek().pos;
  LOCKSTEP_RETURN_IF_ERROR(cur_.ExpectName("a table name", &alter->table));
  if (cur_.AcceptOperator(".")) {
    alter->schema = alter->table;
    LOCKSTEP_RETURN_IF_ERROR(cur_.ExpectName("a table name after '.'", &alter->table));
  }
  if (cur_.AcceptKeyword("nowait")) {
    alter->wait = "0";
  } else if (cur_.AcceptKeyword("wait")) {
    if (cur_.Peek().kind != TokenKind::kNumber) return cur_.Unexpected("seconds after WAIT");
    alter->wait = cur_.Advance().text;
  }
  return Status::Ok();
}

void AlterParser::Finish(AlterClause* clause, size_t first_token) const {
  clause->text = cur_.Text(first_token, cur_.index());
}

bool AlterParser::AtPartitionClause() const {
  if (cur_.IsKeywords({"partition", "by"}) || cur_.IsKeywords({"remove", "partitioning"}) ||
      cur_.IsKeywords({"upgrade", "partitioning"})) {
    return true;
  }
  for (const char* verb : kPartitionVerbs) {
    if (cur_.IsKeyword(verb) && (cur_.IsKeyword("partition", 1) ||
                                 (std::string_view(verb) == "convert" && cur_.IsKeyword("table", 1)))) {
      return true;
    }
  }
  return false;
}

Status AlterParser::ParseClause(std::vector<AlterClause>* out) {
  AlterClause clause;
  clause.pos = cur_.Peek().pos;
  const size_t first = cur_.index();
  if (AtPartitionClause()) {
    LOCKSTEP_RETURN_IF_ERROR(ParsePartition(&clause));
  } else if (cur_.AcceptKeyword("add")) {
    return ParseAdd(std::move(clause), out);
  } else if (cur_.AcceptKeyword("drop")) {
    LOCKSTEP_RETURN_IF_ERROR(ParseDrop(&clause));
  } else if (cur_.AcceptKeyword("modify")) {
    LOCKSTEP_RETURN_IF_ERROR(ParseModify(&clause));
  } else if (cur_.AcceptKeyword("change")) {
    LOCKSTEP_RETURN_IF_ERROR(ParseChange(&clause));
  } else if (cur_.AcceptKeyword("rename")) {
    LOCKSTEP_RETURN_IF_ERROR(ParseRename(&clause));
  } else if (cur_.AcceptKeyword("alter")) {
    LOCKSTEP_RETURN_IF_ERROR(ParseAlterColumnOrIndex(&clause));
  } else if (cur_.IsKeywords({"convert", "to"})) {
    LOCKSTEP_RETURN_IF_ERROR(ParseConvert(&clause));
  } else if (cur_.IsKeyword("algorithm") || cur_.IsKeyword("lock")) {
    LOCKSTEP_RETURN_IF_ERROR(ParseAlgorithmOrLock(&clause));
  } else if (cur_.AcceptKeyword("force")) {
    clause.kind = ClauseKind::kForce;
  } else if (cur_.AcceptKeywords({"enable", "keys"})) {
    clause.kind = ClauseKind::kEnableKeys;
  } else if (cur_.AcceptKeywords({"disable", "keys"})) {
    clause.kind = ClauseKind::kDisableKeys;
  } else {
    return ParseTableOptions(std::move(clause), out);
  }
  Finish(&clause, first);
  out->push_back(std::move(clause));
  return Status::Ok();
}

Status AlterParser::ParseAdd(AlterClause clause, std::vector<AlterClause>* out) {
  const size_t first = cur_.index() - 1;  // ADD
  if (cur_.IsKeywords({"system", "versioning"}) || cur_.IsKeywords({"period", "for"})) {
    LOCKSTEP_RETURN_IF_ERROR(ParseOther(&clause));
    Finish(&clause, first);
    out->push_back(std::move(clause));
    return Status::Ok();
  }
  const bool column_keyword = cur_.AcceptKeyword("column");
  clause.if_not_exists = AcceptIfNotExists(cur_);
  if (cur_.IsOperator("(")) return ParseAddList(clause, out);
  if (!column_keyword && StartsConstraint(cur_)) {
    ConstraintDef def;
    LOCKSTEP_RETURN_IF_ERROR(ParseConstraint(cur_, &def));
    SetConstraint(std::move(def), &clause);
  } else {
    clause.kind = ClauseKind::kAddColumn;
    ColumnDef column;
    LOCKSTEP_RETURN_IF_ERROR(ParseColumnDefinition(cur_, &column));
    clause.name = column.name;
    clause.column = std::move(column);
  }
  Finish(&clause, first);
  out->push_back(std::move(clause));
  return Status::Ok();
}

// ADD [COLUMN] (a INT, b INT, INDEX (a)): one clause per element, each with its
// own text and position so findings point at the element.
Status AlterParser::ParseAddList(const AlterClause& clause, std::vector<AlterClause>* out) {
  cur_.Advance();  // '('
  do {
    AlterClause element = clause;
    element.pos = cur_.Peek().pos;
    const size_t first = cur_.index();
    if (StartsConstraint(cur_)) {
      ConstraintDef def;
      LOCKSTEP_RETURN_IF_ERROR(ParseConstraint(cur_, &def));
      SetConstraint(std::move(def), &element);
    } else {
      element.kind = ClauseKind::kAddColumn;
      ColumnDef column;
      LOCKSTEP_RETURN_IF_ERROR(ParseColumnDefinition(cur_, &column));
      element.name = column.name;
      element.column = std::move(column);
    }
    Finish(&element, first);
    out->push_back(std::move(element));
  } while (cur_.AcceptOperator(","));
  return cur_.ExpectOperator(")");
}

Status AlterParser::ParseDrop(AlterClause* clause) {
  if (cur_.AcceptKeywords({"primary", "key"})) {
    clause->kind = ClauseKind::kDropPrimaryKey;
    return Status::Ok();
  }
  if (cur_.IsKeywords({"system", "versioning"}) || cur_.IsKeywords({"period", "for"})) {
    return ParseOther(clause);
  }
  if (cur_.AcceptKeyword("index") || cur_.AcceptKeyword("key")) {
    clause->kind = ClauseKind::kDropIndex;
  } else if (cur_.AcceptKeywords({"foreign", "key"})) {
    clause->kind = ClauseKind::kDropForeignKey;
  } else if (cur_.AcceptKeyword("constraint") || cur_.AcceptKeyword("check")) {
    clause->kind = ClauseKind::kDropConstraint;
  } else {
    cur_.AcceptKeyword("column");
    clause->kind = ClauseKind::kDropColumn;
  }
  clause->if_exists = AcceptIfExists(cur_);
  LOCKSTEP_RETURN_IF_ERROR(cur_.ExpectName("a name to drop", &clause->name));
  // DROP COLUMN x RESTRICT|CASCADE: accepted and ignored by the server.
  if (clause->kind == ClauseKind::kDropColumn && !cur_.AcceptKeyword("restrict")) {
    cur_.AcceptKeyword("cascade");
  }
  return Status::Ok();
}

Status AlterParser::ParseModify(AlterClause* clause) {
  clause->kind = ClauseKind::kModifyColumn;
  cur_.AcceptKeyword("column");
  clause->if_exists = AcceptIfExists(cur_);
  ColumnDef column;
  LOCKSTEP_RETURN_IF_ERROR(ParseColumnDefinition(cur_, &column));
  clause->name = column.name;
  clause->column = std::move(column);
  return Status::Ok();
}

Status AlterParser::ParseChange(AlterClause* clause) {
  clause->kind = ClauseKind::kChangeColumn;
  cur_.AcceptKeyword("column");
  clause->if_exists = AcceptIfExists(cur_);
  LOCKSTEP_RETURN_IF_ERROR(cur_.ExpectName("the column to change", &clause->name));
  ColumnDef column;
  LOCKSTEP_RETURN_IF_ERROR(ParseColumnDefinition(cur_, &column));
  clause->new_name = column.name;
  clause->column = std::move(column);
  return Status::Ok();
}

Status AlterParser::ParseRename(AlterClause* clause) {
  if (cur_.AcceptKeyword("column")) {
    clause->kind = ClauseKind::kRenameColumn;
    clause->if_exists = AcceptIfExists(cur_);
  } else if (cur_.AcceptKeyword("index") || cur_.AcceptKeyword("key")) {
    clause->kind = ClauseKind::kRenameIndex;
  }
  if (clause->kind == ClauseKind::kRenameColumn || clause->kind == ClauseKind::kRenameIndex) {
    LOCKSTEP_RETURN_IF_ERROR(cur_.ExpectName("the name to rename", &clause->name));
    LOCKSTEP_RETURN_IF_ERROR(cur_.ExpectKeyword("to"));
    return cur_.ExpectName("the new name", &clause->new_name);
  }
  clause->kind = ClauseKind::kRenameTable;
  if (!cur_.AcceptKeyword("to")) cur_.AcceptKeyword("as");
  LOCKSTEP_RETURN_IF_ERROR(cur_.ExpectName("the new table name", &clause->new_name));
  if (cur_.AcceptOperator(".")) {
    clause->new_schema = clause->new_name;
    LOCKSTEP_RETURN_IF_ERROR(cur_.ExpectName("the new table name", &clause->new_name));
  }
  return Status::Ok();
}

Status AlterParser::ParseAlterColumnOrIndex(AlterClause* clause) {
  if (cur_.AcceptKeyword("index") || cur_.AcceptKeyword("key")) {
    clause->kind = ClauseKind::kAlterIndex;
    LOCKSTEP_RETURN_IF_ERROR(cur_.ExpectName("an index name", &clause->name));
    return cur_.SkipToElementEnd();  // [NOT] IGNORED, VISIBLE, INVISIBLE
  }
  if (cur_.IsKeyword("check") || cur_.IsKeyword("constraint")) return ParseOther(clause);
  cur_.AcceptKeyword("column");
  clause->if_exists = AcceptIfExists(cur_);
  LOCKSTEP_RETURN_IF_ERROR(cur_.ExpectName("a column name", &clause->name));
  if (cur_.AcceptKeywords({"set", "default"})) {
    clause->kind = ClauseKind::kAlterColumnDefault;
    std::string value;
    LOCKSTEP_RETURN_IF_ERROR(ParseValueText(cur_, &value));
    clause->value = value;
    return Status::Ok();
  }
  if (cur_.AcceptKeywords({"drop", "default"})) {
    clause->kind = ClauseKind::kAlterColumnDefault;
    return Status::Ok();
  }
  if (cur_.AcceptKeyword("set") || cur_.AcceptKeyword("drop")) {
    clause->kind = ClauseKind::kAlterColumnOther;  // SET VISIBLE / SET INVISIBLE / DROP NOT NULL
    if (cur_.AtElementEnd()) return cur_.Unexpected("DEFAULT, VISIBLE or INVISIBLE");
    return cur_.SkipToElementEnd();
  }
  return cur_.Unexpected("SET DEFAULT or DROP DEFAULT");
}

Status AlterParser::ParseConvert(AlterClause* clause) {
  cur_.Advance();  // CONVERT
  cur_.Advance();  // TO
  clause->kind = ClauseKind::kConvertCharset;
  if (!cur_.AcceptKeywords({"character", "set"}) && !cur_.AcceptKeyword("charset") &&
      !cur_.AcceptKeywords({"char", "set"})) {
    return cur_.Unexpected("CHARACTER SET after CONVERT TO");
  }
  std::string charset;
  LOCKSTEP_RETURN_IF_ERROR(cur_.ExpectNameOrString("a character set name", &charset));
  clause->value = charset;
  if (cur_.AcceptKeyword("collate")) {
    LOCKSTEP_RETURN_IF_ERROR(cur_.ExpectNameOrString("a collation name", &clause->collation));
  }
  return Status::Ok();
}

Status AlterParser::ParseAlgorithmOrLock(AlterClause* clause) {
  clause->kind = cur_.IsKeyword("algorithm") ? ClauseKind::kAlgorithm : ClauseKind::kLock;
  clause->option = ToUpperAscii(cur_.Advance().text);
  cur_.AcceptOperator("=");
  std::string value;
  LOCKSTEP_RETURN_IF_ERROR(cur_.ExpectName("a value for " + clause->option, &value));
  clause->value = ToUpperAscii(value);
  return Status::Ok();
}

// Options may follow each other without commas: ENGINE=InnoDB ROW_FORMAT=DYNAMIC;
// each becomes its own clause.
Status AlterParser::ParseTableOptions(AlterClause clause, std::vector<AlterClause>* out) {
  const Token& start = cur_.Peek();
  SourcePos pos = start.pos;
  TableOption option;
  LOCKSTEP_ASSIGN_OR_RETURN(bool known, ParseTableOption(cur_, &option));
  if (!known) {
    if (start.kind != TokenKind::kIdentifier) return cur_.Unexpected("an ALTER TABLE clause");
    const size_t first = cur_.index();
    LOCKSTEP_RETURN_IF_ERROR(ParseOther(&clause));
    Finish(&clause, first);
    out->push_back(std::move(clause));
    return Status::Ok();
  }
  while (true) {
    AlterClause element = clause;
    element.kind = ClauseKind::kTableOption;
    element.pos = pos;
    element.option = option.name;
    element.value = option.value;
    Finish(&element, option.first_token);
    out->push_back(std::move(element));
    if (cur_.AtElementEnd() || AtPartitionClause()) return Status::Ok();
    pos = cur_.Peek().pos;
    LOCKSTEP_ASSIGN_OR_RETURN(known, ParseTableOption(cur_, &option));
    if (!known) return cur_.Unexpected("',' or another table option");
  }
}

Status AlterParser::ParsePartition(AlterClause* clause) {
  clause->kind = ClauseKind::kPartition;
  clause->option = ToUpperAscii(cur_.Peek().text) + " " + ToUpperAscii(cur_.Peek(1).text);
  while (!cur_.AtEnd()) LOCKSTEP_RETURN_IF_ERROR(cur_.SkipTokenOrGroup());
  return Status::Ok();
}

Status AlterParser::ParseOther(AlterClause* clause) {
  clause->kind = ClauseKind::kOther;
  return cur_.SkipToElementEnd();
}

}  // namespace lockstep::sql
