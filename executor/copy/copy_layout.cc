#include "executor/copy/copy_layout.h"

#include <set>
#include <string>

#include "planner/sql/token.h"

namespace lockstep::executor {

Result<sql::KeyLiteral> KeyLiteralFor(const sql::DataType& type) {
  static const std::set<std::string> kNumbers = {"tinyint", "smallint", "mediumint", "int",
                                                 "integer", "bigint", "decimal", "numeric",
                                                 "dec", "fixed"};
  static const std::set<std::string> kBinary = {"binary", "varbinary", "tinyblob", "blob",
                                                "mediumblob", "longblob"};
  static const std::set<std::string> kStrings = {
      "char", "varchar", "tinytext", "text", "mediumtext", "longtext", "date", "datetime",
      "timestamp", "time", "year", "uuid", "inet4", "inet6", "nchar", "nvarchar"};
  const std::string name = sql::ToLowerAscii(type.name);
  if (kNumbers.count(name)) return sql::KeyLiteral::kNumber;
  if (kBinary.count(name)) return sql::KeyLiteral::kBinary;
  if (kStrings.count(name)) {
    if (type.charset && sql::EqualsIgnoreCase(*type.charset, "binary")) return sql::KeyLiteral::kBinary;
    return sql::KeyLiteral::kString;
  }
  return Status::FailedPrecondition("a primary key column of type " + type.ToString() +
                                    " cannot be chunked by value");
}

Result<CopyLayout> MakeCopyLayout(const ShadowTableInfo& info) {
  const sql::IndexDef* pk = info.source_def.PrimaryKey();
  if (pk == nullptr) return Status::FailedPrecondition(info.table + " has no primary key");
  CopyLayout layout;
  layout.source = {info.schema, info.table, {}, true};
  layout.target = {info.schema, info.shadow_table, {}, false};
  for (const sql::IndexColumn& part : pk->columns) {
    if (part.name.empty() || part.prefix_length) {
      return Status::FailedPrecondition("the primary key of " + info.table +
                                        " has a prefix or expression part");
    }
    const sql::ColumnDef* column = info.source_def.FindColumn(part.name);
    if (column == nullptr) return Status::Internal("primary key column not in table: " + part.name);
    LOCKSTEP_ASSIGN_OR_RETURN(sql::KeyLiteral literal, KeyLiteralFor(column->type));
    auto new_name = info.mapping.NewName(part.name);
    if (!new_name) {
      return Status::FailedPrecondition("the change drops primary key column `" + part.name +
                                        "`: rows could not be matched between the tables");
    }
    layout.source.key.push_back({column->name, literal});
    layout.target.key.push_back({*new_name, literal});
  }
  // FORCE INDEX (PRIMARY) on _t_new only when its primary key is the same columns.
  if (const sql::IndexDef* new_pk = info.shadow_def.PrimaryKey();
      new_pk != nullptr && new_pk->columns.size() == layout.target.key.size()) {
    bool same = true;
    for (size_t i = 0; i < new_pk->columns.size(); ++i) {
      same = same && !new_pk->columns[i].prefix_length &&
             sql::EqualsIgnoreCase(new_pk->columns[i].name, layout.target.key[i].name);
    }
    layout.target.key_is_primary = same;
  }
  for (const ColumnPair& pair : info.mapping.copied) {
    layout.columns.push_back({pair.old_name, pair.new_name});
  }
  return layout;
}

Result<std::optional<sql::KeyTuple>> ReadKey(Connection& conn, const std::string& query) {
  LOCKSTEP_ASSIGN_OR_RETURN(QueryResult r, conn.Query(query));
  if (r.rows.empty()) return std::optional<sql::KeyTuple>();
  sql::KeyTuple key;
  for (const auto& value : r.rows[0]) {
    if (!value) return Status::Internal("NULL in a primary key value: " + query.substr(0, 100));
    key.push_back(*value);
  }
  return std::optional<sql::KeyTuple>(std::move(key));
}

}  // namespace lockstep::executor
