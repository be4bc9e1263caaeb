// The planner: inspects every DC (read-only), learns the change's exact
// effect from a temporary copy in one DC, classifies it, picks a strategy and
// a cut-over mode, and runs the checks. It collects every failure, not the first.
#pragma once

#include <string>

#include "common/status.h"
#include "config/topology.h"
#include "db/connection.h"
#include "planner/plan/plan.h"
#include "planner/sql/ast.h"

namespace lockstep {

struct PlanRequest {
  std::string schema;  // the table to change
  std::string table;
  sql::AlterTable alter;  // parsed; its schema/table may be empty (given by --table)
  std::string alter_sql;  // as the user wrote it, for the record
};

// Throughput of lockstep's chunked copy on an idle server (docs/benchmarks.md;
// under load the governor slows it) and of an in-place rebuild (REFERENCE.md
// section 5): used for estimates only.
inline constexpr double kCopyRowsPerSecond = 200000;
inline constexpr double kInplaceRowsPerSecond = 600000;
// How long the planner waits for a DC's DRC links to be read (SHOW ALL
// SLAVES STATUS): a link that holds its lock while it waits makes them
// unknown, and the lag check fails instead of the plan hanging.
inline constexpr unsigned kLinkReadTimeoutS = 3;

// Returns a Plan (ok or blocked, with every check) unless the request itself
// is unusable; a DC that cannot be read becomes a failed check, not an error.
Result<Plan> MakePlan(const Topology& topology, ConnectionFactory& factory,
                      const PlanRequest& request);

// The decisions that follow from the class, the native algorithm and the zone;
// split out so that they are unit-tested without servers.
void DecideStrategyAndMode(const ZoneConfig* zone, const std::vector<DcConfig>& dcs,
                           Strategy native, const std::string& native_reason, Plan& plan);

// An expand/contract sequence for a change lockstep refuses or fences.
std::string ExpandContractSuggestion(const sql::AlterTable& alter);

}  // namespace lockstep
