#include "db/apply_sql.h"

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

}  // namespace lockstep::sql
