// Pre-flight checks of a plan: small functions, one file each, run in a
// fixed order (registry.cc). Each sees the facts read from every DC and the
// decisions taken so far, and appends pass / warn / fail results with the
// measured value, the limit and a sentence. Checks never touch a server.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "config/topology.h"
#include "inspect/dc_facts.h"
#include "planner/inspect/link_catch_up.h"
#include "planner/inspect/table_facts.h"
#include "planner/plan/plan.h"

namespace lockstep {

// What was read from one DC. `error` is set when it could not be read.
struct DcView {
  const DcConfig* config = nullptr;
  std::optional<DcFacts> server;
  std::optional<TableFacts> table;
  std::vector<LinkCatchUp> catch_up;  // one per other DC that has written anything
  std::string error;

  const std::string& name() const { return config->name; }
  bool inspected() const { return server.has_value() && table.has_value(); }
};

struct CheckContext {
  const Topology& topology;
  const ZoneConfig* zone;  // nullptr when the table belongs to no zone
  const Budget& budget;    // of the zone's type
  const std::vector<DcView>& dcs;
  const Plan& plan;        // strategy, cut-over mode and estimates decided so far
};

using CheckFn = void (*)(const CheckContext& ctx, std::vector<CheckResult>& out);

struct RegisteredCheck {
  const char* name;
  CheckFn run;
};

// Every check, in the order they run and are reported.
const std::vector<RegisteredCheck>& AllChecks();

// Runs every check and returns their results in order.
std::vector<CheckResult> RunChecks(const CheckContext& ctx);

// Helpers for writing results.
CheckResult Pass(std::string name, std::string dc, std::string value, std::string limit,
                 std::string message);
CheckResult Warn(std::string name, std::string dc, std::string value, std::string limit,
                 std::string message);
CheckResult Fail(std::string name, std::string dc, std::string value, std::string limit,
                 std::string message);

// "1.5 GiB", "320 MiB", "12 KiB", "17 B"
std::string FormatBytes(int64_t bytes);

// Each check, declared here and defined in its own file.
void CheckReachable(const CheckContext& ctx, std::vector<CheckResult>& out);
void CheckZone(const CheckContext& ctx, std::vector<CheckResult>& out);
void CheckTableExists(const CheckContext& ctx, std::vector<CheckResult>& out);
void CheckAlterValid(const CheckContext& ctx, std::vector<CheckResult>& out);
void CheckSchemaDrift(const CheckContext& ctx, std::vector<CheckResult>& out);
void CheckUsableKey(const CheckContext& ctx, std::vector<CheckResult>& out);
void CheckBinlogSettings(const CheckContext& ctx, std::vector<CheckResult>& out);
void CheckAutoIncrementOffsets(const CheckContext& ctx, std::vector<CheckResult>& out);
void CheckArtifacts(const CheckContext& ctx, std::vector<CheckResult>& out);
void CheckTriggersAndForeignKeys(const CheckContext& ctx, std::vector<CheckResult>& out);
void CheckSpace(const CheckContext& ctx, std::vector<CheckResult>& out);
void CheckLongTransactions(const CheckContext& ctx, std::vector<CheckResult>& out);
void CheckCutoverWindow(const CheckContext& ctx, std::vector<CheckResult>& out);
void CheckLinkLag(const CheckContext& ctx, std::vector<CheckResult>& out);

}  // namespace lockstep
