#include "planner/sql/table_option_parser.h"

namespace lockstep::sql {
namespace {

// Options the server knows (MySQL 8 and MariaDB 10.11), single words.
constexpr const char* kSingleWordOptions[] = {
    "ENGINE", "TYPE", "AUTO_INCREMENT", "AVG_ROW_LENGTH", "CHECKSUM", "TABLE_CHECKSUM", "COMMENT",
    "COMPRESSION", "CONNECTION", "DELAY_KEY_WRITE", "ENCRYPTION", "ENCRYPTED", "ENCRYPTION_KEY_ID",
    "INSERT_METHOD", "KEY_BLOCK_SIZE", "MAX_ROWS", "MIN_ROWS", "PACK_KEYS", "PASSWORD",
    "ROW_FORMAT", "STATS_AUTO_RECALC", "STATS_PERSISTENT", "STATS_SAMPLE_PAGES", "TABLESPACE",
    "UNION", "PAGE_CHECKSUM", "PAGE_COMPRESSED", "PAGE_COMPRESSION_LEVEL", "TRANSACTIONAL",
    "IETF_QUOTES", "SEQUENCE", "ENGINE_ATTRIBUTE", "SECONDARY_ENGINE_ATTRIBUTE", "AUTOEXTEND_SIZE",
    "CHARSET", "COLLATE"};

bool IsSingleWordOption(const Token& tok) {
  for (const char* name : kSingleWordOptions) {
    if (tok.IsKeyword(name)) return true;
  }
  return false;
}

Status ParseOptionValue(TokenCursor& cur, TableOption* option) {
  cur.AcceptOperator("=");
  const Token& tok = cur.Peek();
  if (cur.IsOperator("(")) {  // UNION=(t1,t2)
    const size_t open = cur.index();
    LOCKSTEP_RETURN_IF_ERROR(cur.SkipTokenOrGroup());
    option->value = cur.Text(open, cur.index());
    return Status::Ok();
  }
  if (tok.IsEnd() || (tok.kind == TokenKind::kOperator && !tok.IsOperator("-"))) {
    return cur.Unexpected("a value for " + option->name);
  }
  if (tok.IsOperator("-")) {
    const size_t start = cur.index();
    cur.Advance();
    if (cur.Peek().kind != TokenKind::kNumber) return cur.Unexpected("a number");
    cur.Advance();
    option->value = cur.Text(start, cur.index());
    return Status::Ok();
  }
  option->value = tok.kind == TokenKind::kString ? tok.value : tok.text;
  if (tok.kind == TokenKind::kQuotedIdentifier) option->value = tok.value;
  cur.Advance();
  return Status::Ok();
}

}  // namespace

Result<bool> ParseTableOption(TokenCursor& cur, TableOption* option) {
  option->first_token = cur.index();
  const size_t start = cur.index();
  const bool has_default = cur.AcceptKeyword("default");
  if (cur.AcceptKeywords({"character", "set"}) || cur.AcceptKeywords({"char", "set"}) ||
      cur.AcceptKeyword("charset")) {
    option->name = "CHARACTER SET";
  } else if (cur.AcceptKeyword("collate")) {
    option->name = "COLLATE";
  } else if (has_default) {
    cur.Reset(start);  // DEFAULT alone is no table option
    return false;
  } else if (cur.IsKeywords({"data", "directory"}) || cur.IsKeywords({"index", "directory"})) {
    option->name = ToUpperAscii(cur.Peek().text) + " DIRECTORY";
    cur.Advance();
    cur.Advance();
  } else if (IsSingleWordOption(cur.Peek())) {
    option->name = ToUpperAscii(cur.Advance().text);
    if (option->name == "TYPE") option->name = "ENGINE";  // the pre-5.5 spelling
    if (option->name == "TABLE_CHECKSUM") option->name = "CHECKSUM";
  } else if (cur.Peek().IsName() && cur.IsOperator("=", 1)) {
    option->name = cur.Advance().value;  // engine-defined: `PAGE_COMPRESSED`=1
  } else {
    return false;
  }
  LOCKSTEP_RETURN_IF_ERROR(ParseOptionValue(cur, option));
  return true;
}

}  // namespace lockstep::sql
