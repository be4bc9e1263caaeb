#include "planner/sql/column_parser.h"

namespace lockstep::sql {
namespace {

// Multi-word and long-form type names mapped to the name the server uses.
std::string CanonicalTypeName(TokenCursor& cur, std::string first) {
  if (first == "double" && cur.AcceptKeyword("precision")) return "double";
  if (first == "national") {
    if (cur.AcceptKeyword("varchar")) return "varchar";
    if (cur.AcceptKeyword("char") || cur.AcceptKeyword("character")) {
      return cur.AcceptKeyword("varying") ? "varchar" : "char";
    }
    return first;
  }
  if (first == "nchar") return cur.AcceptKeyword("varying") ? "varchar" : "char";
  if (first == "nvarchar") return "varchar";
  if ((first == "char" || first == "character") && cur.AcceptKeyword("varying")) return "varchar";
  if (first == "character") return "char";
  if (first == "long") {
    if (cur.AcceptKeyword("varbinary")) return "mediumblob";
    cur.AcceptKeyword("varchar");
    return "mediumtext";
  }
  return first;
}

// CHARACTER SET x / CHARSET x / CHAR SET x; false when none of these is next.
Result<bool> ParseCharset(TokenCursor& cur, std::string* charset) {
  if (!cur.AcceptKeywords({"character", "set"}) && !cur.AcceptKeyword("charset") &&
      !cur.AcceptKeywords({"char", "set"})) {
    return false;
  }
  LOCKSTEP_RETURN_IF_ERROR(cur.ExpectNameOrString("a character set name", charset));
  return true;
}

// The attributes that belong to the type: sign, zerofill, charset, collation.
Result<bool> ParseTypeAttribute(TokenCursor& cur, DataType* type) {
  if (cur.AcceptKeyword("unsigned")) {
    type->is_unsigned = true;
  } else if (cur.AcceptKeyword("signed")) {
    type->is_unsigned = false;
  } else if (cur.AcceptKeyword("zerofill")) {
    type->zerofill = true;
  } else if (cur.AcceptKeyword("binary") || cur.AcceptKeyword("byte")) {
    type->binary = true;
  } else if (cur.AcceptKeyword("ascii")) {
    type->charset = "latin1";
  } else if (cur.AcceptKeyword("unicode")) {
    type->charset = "ucs2";
  } else if (cur.AcceptKeyword("collate")) {
    std::string collation;
    LOCKSTEP_RETURN_IF_ERROR(cur.ExpectNameOrString("a collation name", &collation));
    type->collation = collation;
  } else {
    std::string charset;
    LOCKSTEP_ASSIGN_OR_RETURN(bool found, ParseCharset(cur, &charset));
    if (!found) return false;
    type->charset = charset;
  }
  return true;
}

Status ParseTypeParameters(TokenCursor& cur, DataType* type) {
  const bool takes_values = type->name == "enum" || type->name == "set";
  cur.Advance();  // '('
  while (true) {
    const Token& tok = cur.Peek();
    if (takes_values && tok.kind == TokenKind::kString) {
      type->values.push_back(tok.value);
    } else if (!takes_values && tok.kind == TokenKind::kNumber) {
      type->params.push_back(tok.text);
    } else {
      return cur.Unexpected(takes_values ? "a quoted value" : "a number");
    }
    cur.Advance();
    if (cur.AcceptOperator(")")) return Status::Ok();
    LOCKSTEP_RETURN_IF_ERROR(cur.ExpectOperator(","));
  }
}

// REFERENCES tbl (cols) [MATCH x] [ON DELETE|UPDATE action]...: the server ignores
// an inline reference on a column, so it is only kept as text.
Status SkipInlineReference(TokenCursor& cur) {
  cur.Advance();  // REFERENCES
  std::string ignored;
  LOCKSTEP_RETURN_IF_ERROR(cur.ExpectName("a table name", &ignored));
  if (cur.AcceptOperator(".")) LOCKSTEP_RETURN_IF_ERROR(cur.ExpectName("a table name", &ignored));
  if (cur.IsOperator("(")) LOCKSTEP_RETURN_IF_ERROR(cur.SkipTokenOrGroup());
  while (true) {
    if (cur.AcceptKeyword("match")) {
      LOCKSTEP_RETURN_IF_ERROR(cur.SkipTokenOrGroup());
    } else if (cur.IsKeyword("on") && (cur.IsKeyword("delete", 1) || cur.IsKeyword("update", 1))) {
      cur.Advance();
      cur.Advance();
      if (cur.AcceptKeyword("set") || cur.AcceptKeyword("no")) {
        LOCKSTEP_RETURN_IF_ERROR(cur.SkipTokenOrGroup());  // NULL, DEFAULT, ACTION
      } else {
        LOCKSTEP_RETURN_IF_ERROR(cur.SkipTokenOrGroup());  // RESTRICT, CASCADE
      }
    } else {
      return Status::Ok();
    }
  }
}

// One column attribute; false when the next token starts none (the caller then
// keeps it as an unknown attribute).
Result<bool> ParseColumnAttribute(TokenCursor& cur, ColumnDef* column) {
  const size_t start = cur.index();
  if (cur.AcceptKeywords({"not", "null"})) {
    column->nullability = Nullability::kNotNull;
  } else if (cur.AcceptKeyword("null")) {
    column->nullability = Nullability::kNull;
  } else if (cur.AcceptKeyword("default")) {
    std::string value;
    LOCKSTEP_RETURN_IF_ERROR(ParseValueText(cur, &value));
    column->default_value = value;
  } else if (cur.AcceptKeywords({"on", "update"})) {
    std::string value;
    LOCKSTEP_RETURN_IF_ERROR(ParseValueText(cur, &value));
    column->on_update = value;
  } else if (cur.AcceptKeyword("auto_increment")) {
    column->auto_increment = true;
  } else if (cur.AcceptKeywords({"primary", "key"})) {
    column->primary_key = true;
  } else if (cur.AcceptKeyword("unique")) {
    if (!cur.AcceptKeyword("key")) cur.AcceptKeyword("index");
    column->unique_key = true;
  } else if (cur.AcceptKeyword("key")) {
    column->primary_key = true;  // a lone KEY in a column definition means PRIMARY KEY
  } else if (cur.AcceptKeyword("comment")) {
    if (cur.Peek().kind != TokenKind::kString) return cur.Unexpected("a quoted comment");
    column->comment = cur.Advance().value;
  } else if (cur.IsKeyword("generated") || cur.IsKeyword("as")) {
    if (cur.AcceptKeyword("generated")) LOCKSTEP_RETURN_IF_ERROR(cur.ExpectKeyword("always"));
    LOCKSTEP_RETURN_IF_ERROR(cur.ExpectKeyword("as"));
    if (cur.AcceptKeyword("row")) {
      // MariaDB system versioning: AS ROW START / ROW END, filled by the server.
      if (!cur.AcceptKeyword("start") && !cur.AcceptKeyword("end")) return cur.Unexpected("START or END");
      column->other_attributes.push_back(cur.Text(start, cur.index()));
      return true;
    }
    if (!cur.IsOperator("(")) return cur.Unexpected("'(' and the generated column's expression");
    const size_t open = cur.index();
    LOCKSTEP_RETURN_IF_ERROR(cur.SkipTokenOrGroup());
    column->generated_expression = cur.Text(open + 1, cur.index() - 1);
    column->generated = GeneratedKind::kVirtual;
  } else if (cur.AcceptKeyword("virtual")) {
    column->generated = GeneratedKind::kVirtual;
  } else if (cur.AcceptKeyword("stored") || cur.AcceptKeyword("persistent")) {
    column->generated = GeneratedKind::kStored;
  } else if (cur.IsKeyword("check") || cur.IsKeyword("constraint")) {
    if (cur.AcceptKeyword("constraint") && !cur.IsKeyword("check")) {
      std::string ignored;
      LOCKSTEP_RETURN_IF_ERROR(cur.ExpectName("a constraint name", &ignored));
    }
    LOCKSTEP_RETURN_IF_ERROR(cur.ExpectKeyword("check"));
    if (!cur.IsOperator("(")) return cur.Unexpected("'(' and the check expression");
    LOCKSTEP_RETURN_IF_ERROR(cur.SkipTokenOrGroup());
    column->other_attributes.push_back(cur.Text(start, cur.index()));
  } else if (cur.AcceptKeywords({"with", "system", "versioning"}) ||
             cur.AcceptKeywords({"without", "system", "versioning"})) {
    column->other_attributes.push_back(cur.Text(start, cur.index()));
  } else if (cur.IsKeyword("references")) {
    LOCKSTEP_RETURN_IF_ERROR(SkipInlineReference(cur));
    column->other_attributes.push_back(cur.Text(start, cur.index()));
  } else {
    LOCKSTEP_ASSIGN_OR_RETURN(bool positioned, ParseColumnPosition(cur, &column->position));
    if (positioned) return true;
    return ParseTypeAttribute(cur, &column->type);
  }
  return true;
}

}  // namespace

Status ParseDataType(TokenCursor& cur, DataType* type) {
  if (cur.Peek().kind != TokenKind::kIdentifier) return cur.Unexpected("a data type");
  type->name = CanonicalTypeName(cur, ToLowerAscii(cur.Advance().text));
  if (cur.IsOperator("(")) LOCKSTEP_RETURN_IF_ERROR(ParseTypeParameters(cur, type));
  while (true) {
    LOCKSTEP_ASSIGN_OR_RETURN(bool more, ParseTypeAttribute(cur, type));
    if (!more) return Status::Ok();
  }
}

Status ParseColumnDefinition(TokenCursor& cur, ColumnDef* column) {
  column->pos = cur.Peek().pos;
  LOCKSTEP_RETURN_IF_ERROR(cur.ExpectName("a column name", &column->name));
  LOCKSTEP_RETURN_IF_ERROR(ParseDataType(cur, &column->type));
  // PARTITION BY may follow the last ALTER clause without a comma.
  while (!cur.AtElementEnd() && !cur.IsKeyword("partition")) {
    LOCKSTEP_ASSIGN_OR_RETURN(bool known, ParseColumnAttribute(cur, column));
    if (known) continue;
    // Kept as written: INVISIBLE, COMPRESSED=zlib, SRID 4326, WITH SYSTEM VERSIONING...
    // Attributes are words; a stray literal or operator is a mistake, not an attribute.
    if (cur.Peek().kind != TokenKind::kIdentifier) return cur.Unexpected("a column attribute, ',' or ')'");
    const size_t start = cur.index();
    LOCKSTEP_RETURN_IF_ERROR(cur.SkipTokenOrGroup());
    if (cur.AcceptOperator("=")) LOCKSTEP_RETURN_IF_ERROR(cur.SkipTokenOrGroup());
    else if (cur.IsOperator("(")) LOCKSTEP_RETURN_IF_ERROR(cur.SkipTokenOrGroup());
    column->other_attributes.push_back(cur.Text(start, cur.index()));
  }
  return Status::Ok();
}

Status ParseValueText(TokenCursor& cur, std::string* text) {
  const size_t start = cur.index();
  while (cur.IsOperator("-") || cur.IsOperator("+") || cur.IsOperator("~")) cur.Advance();
  const Token& tok = cur.Peek();
  if (cur.IsOperator("(")) {
    LOCKSTEP_RETURN_IF_ERROR(cur.SkipTokenOrGroup());
  } else if (tok.kind == TokenKind::kString) {
    cur.Advance();
    while (cur.Peek().kind == TokenKind::kString) cur.Advance();  // 'a' 'b' is 'ab'
  } else if (tok.kind == TokenKind::kNumber || tok.kind == TokenKind::kHexLiteral ||
             tok.kind == TokenKind::kBitLiteral || tok.kind == TokenKind::kVariable) {
    cur.Advance();
  } else if (cur.IsKeywords({"next", "value", "for"})) {
    for (int k = 0; k < 3; ++k) cur.Advance();
    std::string ignored;
    LOCKSTEP_RETURN_IF_ERROR(cur.ExpectName("a sequence name", &ignored));
    if (cur.AcceptOperator(".")) LOCKSTEP_RETURN_IF_ERROR(cur.ExpectName("a sequence name", &ignored));
  } else if (tok.IsName()) {
    cur.Advance();
    while (cur.IsOperator(".") && cur.Peek(1).IsName()) {  // db.func()
      cur.Advance();
      cur.Advance();
    }
    if (cur.Peek().kind == TokenKind::kString) {
      cur.Advance();  // DATE '2024-01-01'
    } else if (cur.IsOperator("(")) {
      LOCKSTEP_RETURN_IF_ERROR(cur.SkipTokenOrGroup());
    }
  } else {
    return cur.Unexpected("a value");
  }
  *text = cur.Text(start, cur.index());
  return Status::Ok();
}

Result<bool> ParseColumnPosition(TokenCursor& cur, ColumnPosition* position) {
  if (cur.AcceptKeyword("first")) {
    position->kind = ColumnPosition::Kind::kFirst;
    return true;
  }
  if (cur.AcceptKeyword("after")) {
    position->kind = ColumnPosition::Kind::kAfter;
    LOCKSTEP_RETURN_IF_ERROR(cur.ExpectName("a column name after AFTER", &position->after));
    return true;
  }
  return false;
}

}  // namespace lockstep::sql
