#include "db/artifact_names.h"
#include "planner/checks/check.h"

namespace lockstep {

// Leftovers of an earlier migration mean one is running, crashed, or was
// abandoned: never overwrite them. And the artifact names must fit MariaDB's
// limit, or the shadow table could not be created.
void CheckArtifacts(const CheckContext& ctx, std::vector<CheckResult>& out) {
  const std::string longest = OldTableName(ctx.plan.table).size() >
                                      SentryTableName(ctx.plan.table).size()
                                  ? OldTableName(ctx.plan.table)
                                  : SentryTableName(ctx.plan.table);
  if (longest.size() > kMaxTableNameLength) {
    out.push_back(Fail("artifacts", "", std::to_string(longest.size()) + " characters",
                       std::to_string(kMaxTableNameLength),
                       "artifact name " + longest + " is longer than MariaDB allows"));
  }
  for (const auto& dc : ctx.dcs) {
    if (!dc.inspected()) continue;
    if (dc.table->owner) {
      out.push_back(Fail("artifacts", dc.name(), "owned", "none",
                         "the table is being migrated: " + *dc.table->owner +
                             "; finish or abort that migration from its state file"));
      continue;
    }
    if (dc.table->leftover_artifacts.empty()) {
      out.push_back(Pass("artifacts", dc.name(), "none", "none", "no leftover artifacts"));
      continue;
    }
    std::string names;
    for (const auto& n : dc.table->leftover_artifacts) names += (names.empty() ? "" : ", ") + n;
    out.push_back(Fail("artifacts", dc.name(), names, "none",
                       "leftover tables from an earlier migration: " + names +
                           "; finish it with 'lockstep resume' or drop them once you are sure "
                           "nothing needs them"));
  }
}

}  // namespace lockstep
