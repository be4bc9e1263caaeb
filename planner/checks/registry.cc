#include <cstdio>

#include "planner/checks/check.h"

namespace lockstep {

const std::vector<RegisteredCheck>& AllChecks() {
  // Order matters only for reading: reachability and identity first, then
  // the table, then the three budgets (space, lock, lag).
  static const std::vector<RegisteredCheck> kChecks = {
      {"reachable", CheckReachable},
      {"zone", CheckZone},
      {"table_exists", CheckTableExists},
      {"alter_valid", CheckAlterValid},
      {"schema_drift", CheckSchemaDrift},
      {"usable_key", CheckUsableKey},
      {"binlog", CheckBinlogSettings},
      {"auto_increment", CheckAutoIncrementOffsets},
      {"artifacts", CheckArtifacts},
      {"triggers_foreign_keys", CheckTriggersAndForeignKeys},
      {"space", CheckSpace},
      {"long_transactions", CheckLongTransactions},
      {"cutover_window", CheckCutoverWindow},
      {"link_lag", CheckLinkLag},
  };
  return kChecks;
}

std::vector<CheckResult> RunChecks(const CheckContext& ctx) {
  std::vector<CheckResult> out;
  for (const auto& check : AllChecks()) check.run(ctx, out);
  return out;
}

namespace {
CheckResult Make(CheckStatus status, std::string name, std::string dc, std::string value,
                 std::string limit, std::string message) {
  return CheckResult{std::move(name), std::move(dc), status, std::move(value), std::move(limit),
                     std::move(message)};
}
}  // namespace

CheckResult Pass(std::string name, std::string dc, std::string value, std::string limit,
                 std::string message) {
  return Make(CheckStatus::kPass, std::move(name), std::move(dc), std::move(value),
              std::move(limit), std::move(message));
}
CheckResult Warn(std::string name, std::string dc, std::string value, std::string limit,
                 std::string message) {
  return Make(CheckStatus::kWarn, std::move(name), std::move(dc), std::move(value),
              std::move(limit), std::move(message));
}
CheckResult Fail(std::string name, std::string dc, std::string value, std::string limit,
                 std::string message) {
  return Make(CheckStatus::kFail, std::move(name), std::move(dc), std::move(value),
              std::move(limit), std::move(message));
}

std::string FormatBytes(int64_t bytes) {
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double v = static_cast<double>(bytes);
  int u = 0;
  while ((v >= 1024 || v <= -1024) && u < 4) {
    v /= 1024;
    ++u;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, u == 0 ? "%.0f %s" : "%.1f %s", v, units[u]);
  return buf;
}

}  // namespace lockstep
