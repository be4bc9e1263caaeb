#include "planner/sql/clause_text.h"

#include <cctype>
#include <string_view>

#include "planner/sql/token.h"

namespace lockstep::sql {
namespace {

bool StartsWithWord(std::string_view text, std::string_view word) {
  size_t i = 0;
  while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
  if (text.size() - i < word.size()) return false;
  if (!EqualsIgnoreCase(text.substr(i, word.size()), word)) return false;
  const size_t end = i + word.size();
  return end == text.size() ||
         !(std::isalnum(static_cast<unsigned char>(text[end])) || text[end] == '_');
}

bool IsAddKind(ClauseKind kind) {
  return kind == ClauseKind::kAddColumn || kind == ClauseKind::kAddIndex ||
         kind == ClauseKind::kAddForeignKey || kind == ClauseKind::kAddCheck;
}

}  // namespace

std::string ClauseSql(const AlterClause& clause) {
  if (IsAddKind(clause.kind) && !StartsWithWord(clause.text, "ADD")) return "ADD " + clause.text;
  return clause.text;
}

std::vector<std::string> EffectClauseSql(const AlterTable& alter) {
  std::vector<std::string> out;
  for (const auto& c : alter.clauses) {
    if (c.kind == ClauseKind::kAlgorithm || c.kind == ClauseKind::kLock) continue;
    out.push_back(ClauseSql(c));
  }
  return out;
}

}  // namespace lockstep::sql
