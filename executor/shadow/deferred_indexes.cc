#include "executor/shadow/deferred_indexes.h"

#include <algorithm>

#include "db/sql.h"
#include "planner/sql/token.h"

namespace lockstep::executor {
namespace {

// The line of `text` at `offset`, without its indent and trailing comma.
std::string DefinitionLineAt(const std::string& text, size_t offset) {
  if (offset >= text.size()) return "";
  const size_t newline_before = text.rfind('\n', offset);
  const size_t begin = newline_before == std::string::npos ? 0 : newline_before + 1;
  size_t end = text.find('\n', offset);
  if (end == std::string::npos) end = text.size();
  std::string line = text.substr(begin, end - begin);
  line.erase(0, line.find_first_not_of(' '));
  while (!line.empty() && (line.back() == ',' || line.back() == ' ')) line.pop_back();
  return line;
}

}  // namespace

std::vector<DeferredIndex> DeferrableIndexes(const sql::TableDef& final_def,
                                             const std::string& final_sql) {
  // Only InnoDB adds keys online (ALGORITHM=INPLACE, LOCK=NONE).
  if (sql::ToLowerAscii(final_def.options.engine) != "innodb") return {};
  if (!final_def.foreign_keys.empty() || final_def.system_versioned) return {};
  // Next to a FULLTEXT or SPATIAL key the server may not add keys with
  // LOCK=NONE: keep such tables on the plain path.
  if (std::any_of(final_def.indexes.begin(), final_def.indexes.end(), [](const sql::IndexDef& i) {
        return i.kind == sql::IndexKind::kFulltext || i.kind == sql::IndexKind::kSpatial;
      })) {
    return {};
  }
  if (std::any_of(final_def.columns.begin(), final_def.columns.end(), [](const sql::ColumnDef& c) {
        return c.generated != sql::GeneratedKind::kNone;
      })) {
    return {};
  }
  std::vector<DeferredIndex> out;
  for (const sql::IndexDef& index : final_def.indexes) {
    if (index.kind != sql::IndexKind::kPlain || index.name.empty()) continue;
    if (index.using_method && sql::ToLowerAscii(*index.using_method) != "btree") continue;
    if (std::any_of(index.columns.begin(), index.columns.end(),
                    [](const sql::IndexColumn& c) { return c.name.empty(); })) {
      continue;
    }
    // SHOW CREATE prints one key per line; what it prints is what re-adds it.
    std::string definition = DefinitionLineAt(final_sql, index.pos.offset);
    if (definition.rfind("KEY ", 0) != 0) continue;
    out.push_back({index.name, std::move(definition)});
  }
  return out;
}

std::vector<std::string> DropIndexClauses(const std::vector<DeferredIndex>& indexes) {
  std::vector<std::string> out;
  for (const auto& index : indexes) out.push_back("DROP INDEX " + sql::QuoteIdentifier(index.name));
  return out;
}

std::vector<std::string> AddIndexClauses(const std::vector<DeferredIndex>& indexes) {
  std::vector<std::string> out;
  for (const auto& index : indexes) out.push_back("ADD " + index.definition);
  return out;
}

std::string IndexNames(const std::vector<DeferredIndex>& indexes) {
  std::string out;
  for (const auto& index : indexes) out += (out.empty() ? "" : ", ") + sql::QuoteIdentifier(index.name);
  return out;
}

}  // namespace lockstep::executor
