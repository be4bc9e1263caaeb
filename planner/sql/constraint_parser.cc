#include "planner/sql/constraint_parser.h"

#include <cstdlib>

namespace lockstep::sql {
namespace {

bool AtConstraintEnd(const TokenCursor& cur) {
  return cur.AtElementEnd() || cur.IsKeyword("partition");
}

Status ParseNameList(TokenCursor& cur, std::vector<std::string>* names) {
  LOCKSTEP_RETURN_IF_ERROR(cur.ExpectOperator("("));
  do {
    std::string name;
    LOCKSTEP_RETURN_IF_ERROR(cur.ExpectName("a column name", &name));
    names->push_back(name);
  } while (cur.AcceptOperator(","));
  return cur.ExpectOperator(")");
}

bool AcceptIfNotExists(TokenCursor& cur) { return cur.AcceptKeywords({"if", "not", "exists"}); }

// USING x, COMMENT 'x', and anything else kept as text, up to the element end.
Status ParseIndexOptions(TokenCursor& cur, IndexDef* index) {
  while (!AtConstraintEnd(cur)) {
    if (cur.AcceptKeyword("using")) {
      std::string method;
      LOCKSTEP_RETURN_IF_ERROR(cur.ExpectName("an index method (BTREE, HASH)", &method));
      index->using_method = ToUpperAscii(method);
      continue;
    }
    if (cur.AcceptKeyword("comment")) {
      if (cur.Peek().kind != TokenKind::kString) return cur.Unexpected("a quoted comment");
      index->comment = cur.Advance().value;
      continue;
    }
    if (cur.Peek().kind != TokenKind::kIdentifier) return cur.Unexpected("an index option, ',' or ')'");
    const size_t start = cur.index();
    if (cur.AcceptKeyword("not")) {
      LOCKSTEP_RETURN_IF_ERROR(cur.SkipTokenOrGroup());  // NOT IGNORED
    } else if (cur.AcceptKeywords({"with", "parser"})) {
      LOCKSTEP_RETURN_IF_ERROR(cur.SkipTokenOrGroup());
    } else {
      LOCKSTEP_RETURN_IF_ERROR(cur.SkipTokenOrGroup());
      if (cur.AcceptOperator("=")) {
        LOCKSTEP_RETURN_IF_ERROR(cur.SkipTokenOrGroup());
      } else if (cur.Peek().kind == TokenKind::kNumber || cur.Peek().kind == TokenKind::kString) {
        cur.Advance();  // KEY_BLOCK_SIZE 8
      }
    }
    index->other_options.push_back(cur.Text(start, cur.index()));
  }
  return Status::Ok();
}

// At PRIMARY/UNIQUE/INDEX/KEY/FULLTEXT/SPATIAL.
Status ParseIndex(TokenCursor& cur, const std::string& constraint_name, ConstraintDef* out) {
  IndexDef index;
  index.pos = cur.Peek().pos;
  index.constraint_name = constraint_name;
  if (cur.AcceptKeyword("primary")) {
    LOCKSTEP_RETURN_IF_ERROR(cur.ExpectKeyword("key"));
    index.kind = IndexKind::kPrimary;
    index.name = "PRIMARY";
  } else {
    if (cur.AcceptKeyword("unique")) {
      index.kind = IndexKind::kUnique;
    } else if (cur.AcceptKeyword("fulltext")) {
      index.kind = IndexKind::kFulltext;
    } else if (cur.AcceptKeyword("spatial")) {
      index.kind = IndexKind::kSpatial;
    }
    const bool keyword = cur.AcceptKeyword("index") || cur.AcceptKeyword("key");
    if (index.kind == IndexKind::kPlain && !keyword) return cur.Unexpected("INDEX or KEY");
    out->if_not_exists = AcceptIfNotExists(cur);
    if (cur.Peek().IsName() && !cur.IsKeyword("using")) {
      index.name = cur.Advance().value;
    } else if (index.kind == IndexKind::kUnique) {
      index.name = constraint_name;  // the server names the index after the constraint
    }
  }
  if (cur.AcceptKeyword("using")) {
    std::string method;
    LOCKSTEP_RETURN_IF_ERROR(cur.ExpectName("an index method (BTREE, HASH)", &method));
    index.using_method = ToUpperAscii(method);
  }
  LOCKSTEP_RETURN_IF_ERROR(ParseKeyParts(cur, &index.columns));
  LOCKSTEP_RETURN_IF_ERROR(ParseIndexOptions(cur, &index));
  out->index = std::move(index);
  return Status::Ok();
}

Status ParseReferentialAction(TokenCursor& cur, std::optional<std::string>* action) {
  if (cur.AcceptKeywords({"set", "null"})) {
    *action = "SET NULL";
  } else if (cur.AcceptKeywords({"set", "default"})) {
    *action = "SET DEFAULT";
  } else if (cur.AcceptKeywords({"no", "action"})) {
    *action = "NO ACTION";
  } else if (cur.AcceptKeyword("restrict")) {
    *action = "RESTRICT";
  } else if (cur.AcceptKeyword("cascade")) {
    *action = "CASCADE";
  } else {
    return cur.Unexpected("RESTRICT, CASCADE, SET NULL, SET DEFAULT or NO ACTION");
  }
  return Status::Ok();
}

// At FOREIGN.
Status ParseForeignKey(TokenCursor& cur, const std::string& constraint_name, ConstraintDef* out) {
  ForeignKeyDef fk;
  fk.pos = cur.Peek().pos;
  fk.name = constraint_name;
  cur.Advance();
  LOCKSTEP_RETURN_IF_ERROR(cur.ExpectKeyword("key"));
  out->if_not_exists = AcceptIfNotExists(cur);
  if (cur.Peek().IsName()) fk.index_name = cur.Advance().value;
  LOCKSTEP_RETURN_IF_ERROR(ParseNameList(cur, &fk.columns));
  LOCKSTEP_RETURN_IF_ERROR(cur.ExpectKeyword("references"));
  LOCKSTEP_RETURN_IF_ERROR(cur.ExpectName("the referenced table", &fk.ref_table));
  if (cur.AcceptOperator(".")) {
    fk.ref_schema = fk.ref_table;
    LOCKSTEP_RETURN_IF_ERROR(cur.ExpectName("the referenced table", &fk.ref_table));
  }
  LOCKSTEP_RETURN_IF_ERROR(ParseNameList(cur, &fk.ref_columns));
  while (!AtConstraintEnd(cur)) {
    if (cur.AcceptKeyword("match")) {
      LOCKSTEP_RETURN_IF_ERROR(cur.SkipTokenOrGroup());  // FULL, PARTIAL, SIMPLE
    } else if (cur.AcceptKeywords({"on", "delete"})) {
      LOCKSTEP_RETURN_IF_ERROR(ParseReferentialAction(cur, &fk.on_delete));
    } else if (cur.AcceptKeywords({"on", "update"})) {
      LOCKSTEP_RETURN_IF_ERROR(ParseReferentialAction(cur, &fk.on_update));
    } else {
      return cur.Unexpected("ON DELETE, ON UPDATE or the end of the foreign key");
    }
  }
  out->foreign_key = std::move(fk);
  return Status::Ok();
}

}  // namespace

bool StartsConstraint(const TokenCursor& cur) {
  for (const char* kw : {"constraint", "primary", "unique", "index", "key", "fulltext", "spatial",
                         "foreign", "check"}) {
    if (cur.IsKeyword(kw)) return true;
  }
  return false;
}

Status ParseConstraint(TokenCursor& cur, ConstraintDef* out) {
  std::string constraint_name;
  SourcePos start = cur.Peek().pos;
  if (cur.AcceptKeyword("constraint")) {
    if (cur.Peek().IsName() && !cur.IsKeyword("primary") && !cur.IsKeyword("unique") &&
        !cur.IsKeyword("foreign") && !cur.IsKeyword("check")) {
      constraint_name = cur.Advance().value;
    }
    if (!cur.IsKeyword("primary") && !cur.IsKeyword("unique") && !cur.IsKeyword("foreign") &&
        !cur.IsKeyword("check")) {
      return cur.Unexpected("PRIMARY KEY, UNIQUE, FOREIGN KEY or CHECK after CONSTRAINT");
    }
  }
  if (cur.IsKeyword("foreign")) {
    LOCKSTEP_RETURN_IF_ERROR(ParseForeignKey(cur, constraint_name, out));
    out->foreign_key->pos = start;
    return Status::Ok();
  }
  if (cur.AcceptKeyword("check")) {
    if (!cur.IsOperator("(")) return cur.Unexpected("'(' and the check expression");
    const size_t open = cur.index();
    LOCKSTEP_RETURN_IF_ERROR(cur.SkipTokenOrGroup());
    CheckDef check{constraint_name, cur.Text(open + 1, cur.index() - 1), start};
    // MySQL: [NOT] ENFORCED after the expression.
    cur.AcceptKeyword("not");
    cur.AcceptKeyword("enforced");
    out->check = std::move(check);
    return Status::Ok();
  }
  LOCKSTEP_RETURN_IF_ERROR(ParseIndex(cur, constraint_name, out));
  out->index->pos = start;
  return Status::Ok();
}

Status ParseKeyParts(TokenCursor& cur, std::vector<IndexColumn>* parts) {
  LOCKSTEP_RETURN_IF_ERROR(cur.ExpectOperator("("));
  do {
    IndexColumn part;
    if (cur.IsOperator("(")) {
      const size_t open = cur.index();
      LOCKSTEP_RETURN_IF_ERROR(cur.SkipTokenOrGroup());
      part.expression = cur.Text(open + 1, cur.index() - 1);
    } else {
      LOCKSTEP_RETURN_IF_ERROR(cur.ExpectName("a column name", &part.name));
      if (cur.AcceptOperator("(")) {
        if (cur.Peek().kind != TokenKind::kNumber) return cur.Unexpected("a prefix length");
        part.prefix_length = std::atoi(cur.Advance().text.substr(0, 9).c_str());
        LOCKSTEP_RETURN_IF_ERROR(cur.ExpectOperator(")"));
      }
    }
    if (cur.AcceptKeyword("desc")) {
      part.descending = true;
    } else {
      cur.AcceptKeyword("asc");
    }
    parts->push_back(std::move(part));
  } while (cur.AcceptOperator(","));
  return cur.ExpectOperator(")");
}

}  // namespace lockstep::sql
