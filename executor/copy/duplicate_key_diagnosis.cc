#include "executor/copy/duplicate_key_diagnosis.h"

#include <mysqld_error.h>

#include "db/copy_sql.h"
#include "planner/sql/token.h"

namespace lockstep::executor {
namespace {

constexpr int kReportLimit = 10;

std::string KeyTitle(const sql::IndexDef& index) {
  std::string columns;
  for (const sql::IndexColumn& c : index.columns) {
    columns += (columns.empty() ? "" : ", ") + (c.name.empty() ? c.expression : c.name);
  }
  const std::string name = index.kind == sql::IndexKind::kPrimary ? "PRIMARY KEY" : "unique key `" + index.name + "`";
  return name + " (" + columns + ")";
}

}  // namespace

std::vector<std::string> DuplicateKeyCandidates(std::string_view message) {
  const std::string_view marker = "for key '";
  std::vector<std::string> out;
  for (size_t at = message.find(marker); at != std::string_view::npos;
       at = message.find(marker, at + 1)) {
    const size_t start = at + marker.size();
    const size_t end = message.find('\'', start);
    if (end == std::string_view::npos) break;
    std::string key(message.substr(start, end - start));
    // MySQL 8 writes 'table.key'; MariaDB only the key.
    if (const size_t dot = key.rfind('.'); dot != std::string::npos) key = key.substr(dot + 1);
    out.push_back(std::move(key));
  }
  return out;
}

bool IsDuplicateKeyError(const Status& status) {
  return status.server_errno() == ER_DUP_ENTRY || status.server_errno() == ER_DUP_ENTRY_WITH_KEY_NAME;
}

Result<DuplicateKeyDiagnosis> DiagnoseDuplicateKey(Connection& conn, const ShadowTableInfo& info,
                                                   const CopyLayout& layout, const Status& error) {
  const sql::IndexDef* index = nullptr;
  DuplicateKeyDiagnosis out;
  for (const std::string& key : DuplicateKeyCandidates(error.message())) {
    const bool primary = sql::EqualsIgnoreCase(key, "PRIMARY");
    index = primary ? info.shadow_def.PrimaryKey() : info.shadow_def.FindIndex(key);
    if (index != nullptr && index->IsUnique()) {
      out.key = key;
      break;
    }
    index = nullptr;
  }
  if (index == nullptr) return error;
  if (index->kind == sql::IndexKind::kPrimary && layout.target.key_is_primary) {
    out.kind = DuplicateKeyDiagnosis::Kind::kAlreadyCopied;
    return out;
  }

  std::vector<sql::DuplicateKeyPart> parts;
  for (const sql::IndexColumn& c : index->columns) {
    if (c.name.empty()) return error.WithContext("duplicate on a key with an expression part");
    auto old_name = info.mapping.OldName(c.name);
    if (!old_name) {
      out.kind = DuplicateKeyDiagnosis::Kind::kSourceDuplicates;
      out.report = Status::FailedPrecondition(
          "the change adds " + KeyTitle(*index) + " over `" + c.name +
          "`, a new column: existing rows all get its default and collide (" + error.message() +
          "); nothing was dropped, the copy stopped");
      return out;
    }
    parts.push_back({*old_name, c.prefix_length});
  }
  LOCKSTEP_ASSIGN_OR_RETURN(QueryResult dups, conn.Query(sql::DuplicateKeyValues(
                                                  info.schema, info.table, parts, kReportLimit)));
  if (dups.rows.empty()) {
    out.kind = DuplicateKeyDiagnosis::Kind::kTransient;
    return out;
  }
  std::string values;
  for (const auto& row : dups.rows) {
    std::string tuple;
    for (size_t i = 0; i < parts.size() && i < row.size(); ++i) {
      tuple += (i ? ", " : "") + parts[i].column + "=" + (row[i] ? "'" + *row[i] + "'" : "NULL");
    }
    values += (values.empty() ? "" : "; ") + std::string("(") + tuple + ") in " +
              row.back().value_or("?") + " rows";
  }
  out.kind = DuplicateKeyDiagnosis::Kind::kSourceDuplicates;
  out.report = Status::FailedPrecondition(
      "the change adds " + KeyTitle(*index) + " but " + info.schema + "." + info.table +
      " has rows that share its values" +
      (dups.rows.size() >= kReportLimit ? " (first " + std::to_string(kReportLimit) + ")" : "") +
      ": " + values + ". Nothing was dropped: the copy stopped. Remove the duplicates, then resume");
  return out;
}

}  // namespace lockstep::executor
