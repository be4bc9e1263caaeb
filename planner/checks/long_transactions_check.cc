#include "planner/checks/check.h"

namespace lockstep {

// Lock budget, part 1: a transaction that has touched the table holds a
// metadata lock until it ends; the cut-over's lock would queue behind it and
// every application query behind the cut-over (gh-ost #687, Vitess #14530).
void CheckLongTransactions(const CheckContext& ctx, std::vector<CheckResult>& out) {
  const std::string limit = std::to_string(ctx.budget.max_trx_age_ms) + " ms";
  for (const auto& dc : ctx.dcs) {
    if (!dc.inspected()) continue;
    const OpenTransaction* worst = nullptr;
    bool worst_certain = false;
    for (const auto& t : dc.table->transactions) {
      if (t.age_ms <= ctx.budget.max_trx_age_ms || t.touches_table == false) continue;
      const bool certain = t.touches_table.value_or(false);
      if (worst == nullptr || (certain && !worst_certain) ||
          (certain == worst_certain && t.age_ms > worst->age_ms)) {
        worst = &t;
        worst_certain = certain;
      }
    }
    if (worst == nullptr) {
      out.push_back(Pass("long_transactions", dc.name(), "none", limit,
                         "no old transaction holds the table"));
      continue;
    }
    const std::string value = std::to_string(worst->age_ms) + " ms (thread " +
                              std::to_string(worst->thread_id) + ")";
    if (worst_certain) {
      out.push_back(Fail("long_transactions", dc.name(), value, limit,
                         "a transaction open for " + std::to_string(worst->age_ms / 1000) +
                             " s holds a lock on the table; the cut-over would wait behind it"));
    } else {
      out.push_back(Warn("long_transactions", dc.name(), value, limit,
                         "an old transaction is open; whether it touches the table is unknown "
                         "(load the metadata_lock_info plugin to tell)"));
    }
  }
}

}  // namespace lockstep
