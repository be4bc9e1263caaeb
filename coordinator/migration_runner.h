// Runs one migration in the foreground, from plan to cut-over, recording
// every step in the state store before acting on it.
//
// Native changes (instant/inplace, class A) run in every DC of the topology
// at once: DCs may differ for a while without harm. A shadow copy runs in
// every DC under the Coordinator, which cuts them over together (window
// mode, class A; a class B change across DCs is refused until the fenced
// mode exists).
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "common/change_kinds.h"
#include "common/status.h"
#include "config/topology.h"
#include "db/connection.h"
#include "planner/plan/planner.h"
#include "state/state_store.h"

namespace lockstep {

struct RunOptions {
  std::optional<Strategy> force_strategy;  // --strategy copy
  std::string actor;                       // who asked: recorded with every step
  // Called with the migration's id once it is recorded (Run) or found
  // (Resume), before any DC is changed; an error stops there. The CLI takes
  // the runner lease here, so that two processes never run one migration.
  std::function<Status(int64_t migration_id)> claim = {};
  // A shadow copy makes _t_new without its plain secondary keys and adds
  // them after the copy (ShadowCopyConfig::defer_secondary_indexes).
  bool defer_secondary_keys = true;
};

struct RunOutcome {
  int64_t migration_id = 0;
  Plan plan;
  Phase phase = Phase::kPlanned;  // where it ended
};

class MigrationRunner {
 public:
  MigrationRunner(const Topology& topology, ConnectionFactory& factory, StateStore& store);

  // Plans the change and, when the plan is ok, runs it. A blocked plan is
  // returned (phase planned, id 0) without touching any DC.
  [[nodiscard]] Result<RunOutcome> Run(const PlanRequest& request, const RunOptions& options);

  // Continues the unfinished migration of schema.table from the phase and
  // checkpoint the state database holds. Refuses when the topology's DCs, or
  // the change (when `alter` is given), are not the ones it was started with;
  // the shadow table is checked against t as it is now.
  [[nodiscard]] Result<RunOutcome> Resume(const std::string& schema, const std::string& table,
                                          const std::optional<sql::AlterTable>& alter,
                                          const RunOptions& options);

 private:
  Status RunNative(int64_t id, const Plan& plan, const PlanRequest& request);
  Status RunShadowCopy(int64_t id, const Plan& plan, const PlanRequest& request,
                       const RunOptions& options);
  // A migration that stopped on `why`: aborted when nothing was created yet;
  // otherwise left in its phase for `lockstep resume`, with the reason logged.
  Status Fail(int64_t id, const Status& why);
  Status Step(int64_t id, Phase from, Phase to, const std::string& reason);

  const Topology& topology_;
  ConnectionFactory& factory_;
  StateStore& store_;
  std::string actor_;
};

// ALTER TABLE `schema`.`table` <clauses> without ALGORITHM/LOCK: what is stored.
std::string NormalizedAlter(const std::string& schema, const std::string& table,
                            const sql::AlterTable& alter);

// A stable fingerprint of an ALTER: lower case, whitespace collapsed, FNV-1a
// 64 in hex. A resume compares it with the recorded one.
std::string AlterFingerprint(const std::string& alter_sql);

}  // namespace lockstep
