#include "planner/checks/check.h"
#include "planner/sql/create_table_parser.h"

namespace lockstep {
namespace {

// A key the copy can walk in order and the applier can address rows by: the
// primary key, or a unique key over NOT NULL columns.
std::string UsableKey(const sql::TableDef& t) {
  if (t.PrimaryKey() != nullptr) return "PRIMARY KEY";
  for (const auto& idx : t.indexes) {
    if (idx.kind != sql::IndexKind::kUnique) continue;
    bool all_not_null = !idx.columns.empty();
    for (const auto& col : idx.columns) {
      const sql::ColumnDef* c = col.name.empty() ? nullptr : t.FindColumn(col.name);
      if (c == nullptr || c->IsNullable() || col.prefix_length) all_not_null = false;
    }
    if (all_not_null) return "UNIQUE KEY `" + idx.name + "`";
  }
  return "";
}

}  // namespace

void CheckUsableKey(const CheckContext& ctx, std::vector<CheckResult>& out) {
  const bool needed = ctx.plan.strategy == Strategy::kCopy;
  for (const std::string* sql : {&ctx.plan.before_sql, &ctx.plan.after_sql}) {
    if (sql->empty()) return;  // alter_valid already failed
    auto def = sql::ParseCreateTable(*sql);
    if (!def.ok()) return;
    const std::string which = sql == &ctx.plan.before_sql ? "the table" : "the new table";
    const std::string key = UsableKey(*def);
    if (!key.empty()) {
      out.push_back(Pass("usable_key", "", key, "primary or NOT NULL unique key",
                         which + " has a usable key"));
    } else if (needed) {
      out.push_back(Fail("usable_key", "", "none", "primary or NOT NULL unique key",
                         which + " has no primary key and no unique key over NOT NULL columns; "
                                 "the copy and the applier need one to address rows"));
    } else {
      out.push_back(Warn("usable_key", "", "none", "primary or NOT NULL unique key",
                         which + " has no usable key; row replication to other DCs scans it"));
    }
  }
}

}  // namespace lockstep
