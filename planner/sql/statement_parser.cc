#include "planner/sql/statement_parser.h"

#include "planner/sql/alter_parser.h"
#include "planner/sql/lexer.h"
#include "planner/sql/token_cursor.h"

namespace lockstep::sql {
namespace {

// The words that name what CREATE / ALTER / DROP act on.
constexpr const char* kObjectWords[] = {"table",    "index",     "view",     "trigger",
                                        "procedure", "function", "database", "schema",
                                        "event",    "user",      "sequence", "server",
                                        "tablespace", "role",    "package",  "logfile"};

// "DROP TABLE", "CREATE UNIQUE INDEX" -> "CREATE INDEX", "INSERT".
std::string VerbOf(const std::vector<Token>& tokens) {
  if (tokens.empty() || tokens[0].kind != TokenKind::kIdentifier) return "";
  const std::string first = ToUpperAscii(tokens[0].text);
  if (first != "CREATE" && first != "ALTER" && first != "DROP" && first != "RENAME" &&
      first != "TRUNCATE") {
    return first;
  }
  if (first == "TRUNCATE") return "TRUNCATE TABLE";
  // The object word comes after modifiers: OR REPLACE, TEMPORARY, DEFINER=..., ONLINE.
  for (size_t k = 1; k < tokens.size() && k < 16; ++k) {
    for (const char* word : kObjectWords) {
      if (tokens[k].IsKeyword(word)) return first + " " + ToUpperAscii(word);
    }
  }
  return first;
}

std::string RefusalReason(const std::string& verb) {
  if (verb == "DROP TABLE" || verb == "TRUNCATE TABLE") {
    return "lockstep will not run a statement that destroys a table's data";
  }
  if (verb == "RENAME TABLE") {
    return "renaming a live table breaks its clients, and lockstep's own cut-over renames tables";
  }
  if (verb == "INSERT" || verb == "UPDATE" || verb == "DELETE" || verb == "REPLACE" ||
      verb == "LOAD" || verb == "CALL" || verb == "DO" || verb == "HANDLER") {
    return "data changes do not belong in a schema migration: run in every DC they would "
           "replicate through the DRC link and be applied twice";
  }
  if (verb == "CREATE INDEX" || verb == "DROP INDEX") {
    return "write it as ALTER TABLE ... ADD INDEX / DROP INDEX so that lockstep can run it online";
  }
  if (verb == "CREATE TABLE") {
    return "lockstep changes existing tables online; create new tables through the normal "
           "deployment";
  }
  if (verb == "USE") return "qualify the table name instead: ALTER TABLE db.t ...";
  return "lockstep runs only ALTER TABLE statements";
}

}  // namespace

ParsedStatement ParseStatement(const Statement& statement) {
  ParsedStatement out;
  out.text = statement.text;
  out.pos = statement.pos;
  if (!statement.error.empty()) {
    out.kind = ParsedStatement::Kind::kSyntaxError;
    out.verb = "DELIMITER";
    out.message = statement.error;
    return out;
  }
  Lexer lexer(statement.text, statement.pos);
  Result<std::vector<Token>> tokens = lexer.Tokenize();
  if (!tokens.ok()) {
    out.kind = ParsedStatement::Kind::kSyntaxError;
    out.pos = lexer.error_pos();
    const std::string& msg = tokens.status().message();
    out.message = msg.substr(msg.find(": ") == std::string::npos ? 0 : msg.find(": ") + 2);
    return out;
  }
  if (tokens->size() == 1) return out;  // only comments: kEmpty
  out.pos = tokens->front().pos;
  out.verb = VerbOf(*tokens);
  if (out.verb.empty()) {
    out.kind = ParsedStatement::Kind::kSyntaxError;
    out.message = "unexpected " + TokenCursor::Describe(tokens->front()) + ", expected a statement";
    return out;
  }
  // "ALTER <something> TABLE" goes to the ALTER parser too, which reports the
  // stray word as a syntax error rather than refusing an "ALTER TABLE".
  if (out.verb != "ALTER TABLE") {
    out.kind = ParsedStatement::Kind::kRefused;
    out.message = out.verb + " is refused: " + RefusalReason(out.verb);
    return out;
  }
  AlterParser parser(*tokens, statement.text, statement.pos.offset);
  Result<AlterTable> alter = parser.Parse();
  if (!alter.ok()) {
    out.kind = ParsedStatement::Kind::kSyntaxError;
    out.pos = parser.error_pos();
    const std::string& msg = alter.status().message();
    out.message = msg.substr(msg.find(": ") == std::string::npos ? 0 : msg.find(": ") + 2);
    return out;
  }
  out.kind = ParsedStatement::Kind::kAlterTable;
  out.alter = std::move(alter).value();
  return out;
}

std::vector<ParsedStatement> ParseMigration(std::string_view file_text) {
  std::vector<ParsedStatement> out;
  for (const Statement& statement : SplitStatements(file_text)) {
    ParsedStatement parsed = ParseStatement(statement);
    if (parsed.kind != ParsedStatement::Kind::kEmpty) out.push_back(std::move(parsed));
  }
  return out;
}

Result<AlterTable> ParseAlterTable(std::string_view sql) {
  std::vector<ParsedStatement> statements = ParseMigration(sql);
  if (statements.empty()) return Status::InvalidArgument("1:1: no statement given");
  for (ParsedStatement& s : statements) {
    if (s.kind != ParsedStatement::Kind::kAlterTable) {
      return Status::InvalidArgument(s.pos.ToString() + ": " + s.message);
    }
  }
  if (statements.size() > 1) {
    return Status::InvalidArgument(statements[1].pos.ToString() +
                                   ": one ALTER TABLE statement expected, found another");
  }
  return std::move(*statements[0].alter);
}

}  // namespace lockstep::sql
