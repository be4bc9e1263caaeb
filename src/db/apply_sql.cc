#include "db/apply_sql.h"

#include <algorithm>

#include "db/sql.h"

namespace lockstep::sql {
namespace {

std::string Tuple(const std::vector<std::string>& items, bool quote_identifiers) {
  std::string out = "(";
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) out += ",";
    out += quote_identifiers ? QuoteIdentifier(items[i]) : items[i];
  }
  return out + ")";
}

}  // namespace

std::string DeleteByKeys(std::string_view schema, std::string_view table,
                         const std::vector<std::string>& key_columns,
                         const std::vector<std::vector<std::string>>& keys) {
  std::string out = "DELETE FROM " + QualifiedName(schema, table) + " WHERE ";
  if (key_columns.size() == 1) {
    // A plain IN list: the range optimizer uses the key for it in every version.
    out += QuoteIdentifier(key_columns[0]) + " IN (";
    for (size_t i = 0; i < keys.size(); ++i) out += (i ? "," : "") + keys[i][0];
    return out + ")";
  }
  out += Tuple(key_columns, true) + " IN (";
  for (size_t i = 0; i < keys.size(); ++i) out += (i ? "," : "") + Tuple(keys[i], false);
  return out + ")";
}

std::string InsertRows(std::string_view schema, std::string_view table,
                       const std::vector<std::string>& columns,
                       const std::vector<std::vector<std::string>>& rows) {
  std::string out = "INSERT INTO " + QualifiedName(schema, table) + " " + Tuple(columns, true) +
                    " VALUES ";
  for (size_t i = 0; i < rows.size(); ++i) out += (i ? "," : "") + Tuple(rows[i], false);
  return out;
}

std::string UpsertRows(std::string_view schema, std::string_view table,
                       const std::vector<std::string>& columns,
                       const std::vector<std::string>& key_columns,
                       const std::vector<std::vector<std::string>>& rows) {
  std::string out = InsertRows(schema, table, columns, rows) + " ON DUPLICATE KEY UPDATE ";
  bool first = true;
  for (const auto& c : columns) {
    if (std::find(key_columns.begin(), key_columns.end(), c) != key_columns.end()) continue;
    out += (first ? "" : ",") + QuoteIdentifier(c) + "=VALUE(" + QuoteIdentifier(c) + ")";
    first = false;
  }
  if (first) {
    // Every column is a key column: nothing to update, the row is the key.
    out += QuoteIdentifier(columns.front()) + "=" + QuoteIdentifier(columns.front());
  }
  return out;
}

}  // namespace lockstep::sql
