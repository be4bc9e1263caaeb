#include "executor/apply/ddl_targets.h"

#include "db/artifact_names.h"
#include "planner/sql/lexer.h"

namespace lockstep {
namespace {

using sql::Token;

class TargetScanner {
 public:
  TargetScanner(const std::vector<Token>& tokens, std::string_view default_schema)
      : t_(tokens), default_schema_(default_schema) {}

  std::vector<TableName> Scan() {
    if (Is("SET") && t_[i_ + 1].IsKeyword("STATEMENT")) {
      // SET STATEMENT var = value, ... FOR <statement>
      while (!t_[i_].IsEnd() && !Is("FOR")) ++i_;
      if (t_[i_].IsEnd()) return {};
      ++i_;
    }
    if (Is("CREATE")) {
      ++i_;
      SkipWords({"OR", "REPLACE", "ONLINE", "OFFLINE", "UNIQUE", "FULLTEXT", "SPATIAL", "TEMPORARY"});
      SkipDefiner();
      if (Is("TABLE") && replace_) {
        ++i_;
        SkipWords({"IF", "NOT", "EXISTS"});
        AddName();
      } else if (Is("INDEX") || Is("TRIGGER")) {
        AddNameAfterOn();
      }
    } else if (Is("ALTER")) {
      ++i_;
      SkipWords({"ONLINE", "IGNORE"});
      if (Is("TABLE")) {
        ++i_;
        SkipWords({"IF", "EXISTS"});
        AddName();
        // EXCHANGE PARTITION p WITH TABLE x, CONVERT TABLE x TO PARTITION p:
        // x's rows change without a row event.
        for (; !t_[i_].IsEnd(); ++i_) {
          if ((Is("WITH") || Is("CONVERT")) && t_[i_ + 1].IsKeyword("TABLE")) {
            i_ += 2;
            AddName();
            if (t_[i_].IsEnd()) break;
          }
        }
      }
    } else if (Is("DROP")) {
      ++i_;
      SkipWords({"TEMPORARY"});
      if (Is("TABLE") || Is("TABLES")) {
        ++i_;
        SkipWords({"IF", "EXISTS"});
        AddNameList();
      } else if (Is("INDEX")) {
        AddNameAfterOn();
      }
    } else if (Is("RENAME")) {
      ++i_;
      if (Is("TABLE") || Is("TABLES")) {
        ++i_;
        while (!t_[i_].IsEnd()) {
          SkipWords({"IF", "EXISTS"});
          AddName();
          if (!Is("TO")) break;
          ++i_;
          AddName();
          if (!t_[i_].IsOperator(",")) break;
          ++i_;
        }
      }
    } else if (Is("TRUNCATE")) {
      ++i_;
      if (Is("TABLE")) ++i_;
      AddName();
    }
    if (temporary_) return {};  // a temporary table hides t for its session only
    return std::move(out_);
  }

 private:
  bool Is(std::string_view kw) const { return t_[i_].IsKeyword(kw); }
  void SkipWords(std::initializer_list<std::string_view> words) {
    for (bool skipped = true; skipped;) {
      skipped = false;
      for (std::string_view w : words) {
        if (Is(w)) {
          if (sql::EqualsIgnoreCase(w, "REPLACE")) replace_ = true;
          if (sql::EqualsIgnoreCase(w, "TEMPORARY")) temporary_ = true;
          ++i_;
          skipped = true;
        }
      }
    }
  }
  // DEFINER = user[@host] | CURRENT_USER[()] | CURRENT_ROLE[()]
  void SkipDefiner() {
    if (!Is("DEFINER")) return;
    ++i_;
    if (t_[i_].IsOperator("=")) ++i_;
    if (!t_[i_].IsEnd()) ++i_;                                  // the user
    if (t_[i_].kind == sql::TokenKind::kVariable) ++i_;         // @host
    if (t_[i_].IsOperator("(") && t_[i_ + 1].IsOperator(")")) i_ += 2;
  }
  void AddName() {
    if (!t_[i_].IsName()) return;
    TableName name{std::string(default_schema_), t_[i_].value};
    ++i_;
    if (t_[i_].IsOperator(".") && t_[i_ + 1].IsName()) {
      name.schema = name.table;
      name.table = t_[i_ + 1].value;
      i_ += 2;
    }
    out_.push_back(std::move(name));
  }
  // ... ON <table>: the first ON names it (CREATE/DROP INDEX, CREATE TRIGGER).
  void AddNameAfterOn() {
    while (!t_[i_].IsEnd() && !Is("ON")) ++i_;
    if (!Is("ON")) return;
    ++i_;
    AddName();
  }
  void AddNameList() {
    while (true) {
      AddName();
      if (!t_[i_].IsOperator(",")) return;
      ++i_;
    }
  }

  const std::vector<Token>& t_;
  std::string_view default_schema_;
  size_t i_ = 0;
  bool replace_ = false;
  bool temporary_ = false;
  std::vector<TableName> out_;
};

}  // namespace

std::vector<TableName> DdlTargets(std::string_view text, std::string_view default_schema) {
  sql::Lexer lexer(text);
  auto tokens = lexer.Tokenize();
  if (!tokens.ok() || tokens->empty()) return {};
  return TargetScanner(*tokens, default_schema).Scan();
}

bool StatementChangesTable(std::string_view text, std::string_view default_schema,
                           std::string_view schema, std::string_view table) {
  // A statement lockstep cannot read is taken to change t if it names it.
  if (!sql::Lexer(text).Tokenize().ok()) return text.find(table) != std::string_view::npos;
  const std::vector<TableName> targets = DdlTargets(text, default_schema);
  const TableName t{std::string(schema), std::string(table)};
  const TableName old{t.schema, OldTableName(t.table)};
  const TableName shadow{t.schema, ShadowTableName(t.table)};
  if (targets == std::vector<TableName>{t, old, shadow, t}) return false;  // the cut-over
  for (const TableName& target : targets) {
    if (target == t) return true;
  }
  return false;
}

bool StatementWritesTable(std::string_view text, std::string_view default_schema,
                          std::string_view schema, std::string_view table) {
  sql::Lexer lexer(text);
  auto tokens = lexer.Tokenize();
  if (!tokens.ok() || tokens->empty()) return false;
  const std::vector<Token>& t = *tokens;
  bool dml = false;
  for (const char* verb : {"INSERT", "UPDATE", "DELETE", "REPLACE", "LOAD"}) dml = dml || t[0].IsKeyword(verb);
  if (!dml) return false;
  for (size_t i = 0; i < t.size(); ++i) {
    if (!t[i].IsName() || t[i].value != table) continue;
    const bool qualified = i >= 2 && t[i - 1].IsOperator(".") && t[i - 2].IsName();
    const std::string_view in = qualified ? std::string_view(t[i - 2].value) : default_schema;
    if (in == schema) return true;
  }
  return false;
}

}  // namespace lockstep
