#include "planner/checks/check.h"
#include "planner/sql/create_table_parser.h"

namespace lockstep {

// A shadow-copy cut-over renames tables: triggers would move to the old
// table and foreign keys of other tables would keep pointing at it. And the
// shadow is made with CREATE TABLE ... LIKE, which does not copy the table's
// own foreign keys (measured), so they would be lost. Native (instant/inplace)
// changes keep the table and are unaffected.
void CheckTriggersAndForeignKeys(const CheckContext& ctx, std::vector<CheckResult>& out) {
  const bool renames = ctx.plan.strategy == Strategy::kCopy;
  if (renames && !ctx.plan.before_sql.empty()) {
    auto def = sql::ParseCreateTable(ctx.plan.before_sql);
    if (def.ok() && !def->foreign_keys.empty()) {
      out.push_back(Fail("triggers_foreign_keys", "",
                         std::to_string(def->foreign_keys.size()) + " foreign key(s)",
                         "none for a copy",
                         "the table has foreign keys, which the shadow copy would not keep "
                         "(CREATE TABLE ... LIKE drops them); use a native change or drop "
                         "them first"));
    }
  }
  for (const auto& dc : ctx.dcs) {
    if (!dc.inspected() || !dc.table->exists) continue;
    const TableFacts& t = *dc.table;
    std::string found;
    if (t.trigger_count > 0) found += std::to_string(t.trigger_count) + " trigger(s)";
    if (!t.referencing_foreign_keys.empty()) {
      found += std::string(found.empty() ? "" : ", ") + "referenced by " +
               t.referencing_foreign_keys.front() +
               (t.referencing_foreign_keys.size() > 1 ? " and others" : "");
    }
    if (found.empty()) {
      out.push_back(Pass("triggers_foreign_keys", dc.name(), "none", "none",
                         "no triggers, no foreign keys point here"));
    } else if (renames) {
      out.push_back(Fail("triggers_foreign_keys", dc.name(), found, "none for a copy",
                         "the copy strategy swaps tables by RENAME, which would leave these on "
                         "the old table; drop them first or use a native change"));
    } else {
      out.push_back(Warn("triggers_foreign_keys", dc.name(), found, "none",
                         "a native change keeps them, but check they still fit the new schema"));
    }
  }
}

}  // namespace lockstep
