#include "coordinator/migration_runner.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <limits>
#include <sstream>
#include <thread>

#include "common/logging.h"
#include "db/sql.h"
#include "executor/common/sleeper.h"
#include "executor/migration/abort_cleanup.h"
#include "executor/migration/native_change.h"
#include "coordinator/coordinator.h"
#include "executor/dc/shadow_copy_executor.h"
#include "executor/migration/operator_poll.h"
#include "planner/report/json_writer.h"
#include "planner/report/plan_report.h"
#include "planner/sql/clause_text.h"
#include "planner/sql/statement_parser.h"

namespace lockstep {

std::string NormalizedAlter(const std::string& schema, const std::string& table,
                            const sql::AlterTable& alter) {
  return sql::AlterTableClauses(schema, table, sql::EffectClauseSql(alter));
}

std::string AlterFingerprint(const std::string& alter_sql) {
  uint64_t h = 1469598103934665603ULL;
  bool space = false;
  for (unsigned char c : alter_sql) {
    if (std::isspace(c)) {
      space = true;
      continue;
    }
    if (space) {
      h = (h ^ ' ') * 1099511628211ULL;
      space = false;
    }
    h = (h ^ static_cast<unsigned char>(std::tolower(c))) * 1099511628211ULL;
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

namespace {

// Class B needs every DC to switch behind a fence at once: in the window
// mode's skew, rows of one schema would reach DCs on the other.
Status ClassBNeedsTheFence() {
  return Status::FailedPrecondition(
      "a class B change across several DCs needs the fenced cut-over, which this version of "
      "lockstep does not have yet; the window mode runs class A changes only");
}

}  // namespace

MigrationRunner::MigrationRunner(const Topology& topology, ConnectionFactory& factory,
                                 StateStore& store)
    : topology_(topology), factory_(factory), store_(store) {}

Status MigrationRunner::Step(int64_t id, Phase from, Phase to, const std::string& reason) {
  MainLogger()->info("migration {}: {} -> {}", id, PhaseName(from), PhaseName(to));
  return store_.TransitionPhase(id, from, to, actor_, reason);
}

Status MigrationRunner::Fail(int64_t id, const Status& why) {
  auto record = store_.GetMigration(id);
  if (!record.ok()) return why;
  if (record->phase == Phase::kPlanned) {
    // Nothing was created in any DC: the migration is over, the table free.
    Status recorded = store_.TransitionPhase(id, Phase::kPlanned, Phase::kAborted, actor_,
                                             why.ToString());
    if (!recorded.ok()) MainLogger()->error("could not record the abort: {}", recorded.ToString());
    return why;
  }
  // Work exists (a shadow table, a checkpoint, maybe a COMMIT): keep the phase
  // so that `lockstep resume` continues from it, and record why it stopped.
  (void)store_.AppendEvent({id, actor_, "stopped", std::nullopt, why.ToString(), ""});
  if (IsTerminalPhase(record->phase) || IsNative(record->spec.strategy)) return why;
  return why.WithContext(std::string("migration ") + std::to_string(id) + " stopped in phase " +
                         PhaseName(record->phase) + "; fix the cause and run 'lockstep resume "
                         "--table " + record->spec.table_schema + "." + record->spec.table_name +
                         " --yes'");
}

Result<RunOutcome> MigrationRunner::Run(const PlanRequest& request, const RunOptions& options) {
  actor_ = options.actor.empty() ? "lockstep" : options.actor;
  RunOutcome outcome;
  LOCKSTEP_ASSIGN_OR_RETURN(outcome.plan, MakePlan(topology_, factory_, request));
  Plan& plan = outcome.plan;
  if (options.force_strategy && *options.force_strategy != plan.strategy && plan.ok()) {
    plan.strategy = *options.force_strategy;
    plan.strategy_reason = "forced by --strategy";
  }
  if (!plan.ok()) return outcome;  // blocked: nothing recorded, nothing touched

  std::ostringstream plan_json;
  WritePlanJson(plan, plan_json);
  MigrationSpec spec;
  spec.table_schema = plan.schema;
  spec.table_name = plan.table;
  // Stored as one normalized statement: a resume parses it back, and compares
  // its fingerprint with a change given again.
  spec.alter_sql = NormalizedAlter(plan.schema, plan.table, request.alter);
  spec.alter_fingerprint = AlterFingerprint(spec.alter_sql);
  spec.plan_json = plan_json.str();
  spec.zone = plan.zone;
  spec.skew_class = plan.skew_class;
  spec.cutover_mode = plan.cutover_mode;
  spec.strategy = plan.strategy;
  for (const auto& dc : topology_.dcs) spec.dcs.push_back(dc.name);
  spec.requested_by = actor_;
  LOCKSTEP_ASSIGN_OR_RETURN(outcome.migration_id, store_.CreateMigration(spec));
  const int64_t id = outcome.migration_id;
  if (options.claim) {
    if (Status claimed = options.claim(id); !claimed.ok()) return Fail(id, claimed);
  }

  Status ran = IsNative(plan.strategy) ? RunNative(id, plan, request)
                                       : RunShadowCopy(id, plan, request, options);
  if (!ran.ok()) return Fail(id, ran);
  LOCKSTEP_ASSIGN_OR_RETURN(MigrationRecord record, store_.GetMigration(id));
  outcome.phase = record.phase;
  return outcome;
}

Status MigrationRunner::RunNative(int64_t id, const Plan& plan, const PlanRequest& request) {
  // With a single DC there is no skew to fear.
  if (plan.skew_class == SkewClass::kB && topology_.dcs.size() > 1) {
    return ClassBNeedsTheFence();
  }
  LOCKSTEP_RETURN_IF_ERROR(Step(id, Phase::kPlanned, Phase::kReady, "native change planned"));
  LOCKSTEP_RETURN_IF_ERROR(Step(id, Phase::kReady, Phase::kCuttingOver, "running natively"));
  const Budget& budget = topology_.BudgetFor(plan.zone_type);
  LOCKSTEP_ASSIGN_OR_RETURN(CutoverAttempt attempt,
                            store_.BeginCutoverAttempt(id, budget.cutover_window_ms, actor_));
  // Every DC reachable before anything is decided: one that is not aborts
  // the attempt with nothing changed anywhere.
  std::vector<std::unique_ptr<Connection>> conns;
  for (const auto& dc : topology_.dcs) {
    auto conn = factory_.Connect(dc);
    if (!conn.ok()) {
      (void)store_.DecideCutoverAttempt(attempt.id, CutoverDecision::kAbort, std::nullopt, actor_,
                                        conn.status().ToString());
      return conn.status().WithContext("nothing was changed: " + dc.name + " is unreachable");
    }
    conns.push_back(std::move(*conn));
  }
  // COMMIT is recorded before any DC changes: from here the change only rolls
  // forward, and a DC that fails is reported, never silently skipped.
  LOCKSTEP_RETURN_IF_ERROR(store_.DecideCutoverAttempt(attempt.id, CutoverDecision::kCommit,
                                                       std::nullopt, actor_,
                                                       "native change in every DC"));
  NativeChangeRequest change{plan.schema, plan.table, sql::EffectClauseSql(request.alter), plan.strategy,
                             budget.lock_wait_ms};
  // In every DC at once, so that the DCs differ for as short a time as the
  // slowest one takes, not for the sum of them.
  struct DcRun {
    Status status;
    int64_t started_ms = 0;
    int64_t done_ms = 0;
  };
  std::vector<DcRun> runs(conns.size());
  SystemClock clock;
  {
    std::vector<std::jthread> threads;
    for (size_t i = 0; i < conns.size(); ++i) {
      threads.emplace_back([&, i] {
        runs[i].started_ms = clock.NowMillis();
        runs[i].status = RunNativeChange(*conns[i], change);
        runs[i].done_ms = clock.NowMillis();
      });
    }
  }
  std::ostringstream report;
  report::JsonWriter w(report);
  w.BeginObject().Key("dcs").BeginArray();
  int64_t first = std::numeric_limits<int64_t>::max(), last = 0;
  std::string failed;
  for (size_t i = 0; i < conns.size(); ++i) {
    const std::string& name = topology_.dcs[i].name;
    const bool ok = runs[i].status.ok();
    w.BeginObject()
        .Field("dc", name)
        .Field("outcome", ok ? "changed" : "failed")
        .Field("change_ms", runs[i].done_ms - runs[i].started_ms)
        .EndObject();
    if (ok) {
      first = std::min(first, runs[i].done_ms);
      last = std::max(last, runs[i].done_ms);
      (void)store_.AppendEvent({id, actor_, "dc_changed", name,
                                std::string(StrategyName(plan.strategy)) + " change applied", ""});
      DcLogger(name)->info("{} change applied in {} ms", StrategyName(plan.strategy),
                           runs[i].done_ms - runs[i].started_ms);
    } else {
      failed += (failed.empty() ? "" : "; ") + name + ": " + runs[i].status.ToString();
    }
  }
  w.EndArray();
  if (last > 0) w.Field("change_skew_ms", last - first);
  w.EndObject();
  LOCKSTEP_RETURN_IF_ERROR(store_.RecordCutoverTimings(attempt.id, report.str()));
  if (!failed.empty()) {
    return Status::FailedPrecondition("the change is committed but failed in " + failed +
                                      "; fix the cause and run it there by hand, or retry");
  }
  LOCKSTEP_RETURN_IF_ERROR(Step(id, Phase::kCuttingOver, Phase::kCutOver, "changed in every DC"));
  LOCKSTEP_RETURN_IF_ERROR(Step(id, Phase::kCutOver, Phase::kCleanedUp, "nothing to clean up"));
  return Step(id, Phase::kCleanedUp, Phase::kDone, "done");
}

Status MigrationRunner::RunShadowCopy(int64_t id, const Plan& plan, const PlanRequest& request,
                                      const RunOptions& options) {
  if (plan.skew_class == SkewClass::kB && topology_.dcs.size() > 1) {
    return ClassBNeedsTheFence();
  }
  const Budget& budget = topology_.BudgetFor(plan.zone_type);
  ShadowCopyConfig config;
  config.lock_wait_ms = budget.lock_wait_ms;
  config.cutover_window_ms = budget.cutover_window_ms;
  config.throttle.lag_throttle_ms = budget.lag_throttle_ms;
  config.defer_secondary_indexes = options.defer_secondary_keys;
  CoordinatorConfig coordination;
  coordination.cutover_window_ms = budget.cutover_window_ms;
  coordination.max_copy_lead = static_cast<double>(budget.max_copy_lead_pct) / 100.0;
  // The lock wait and the drain must end while every DC can still be READY
  // in time: a DC late for the deadline cannot lock t after the attempt is lost.
  config.lock_wait_ms = std::min<int64_t>(config.lock_wait_ms, coordination.ReadyBudgetMs());
  config.drain_timeout_ms = std::min<int64_t>(config.drain_timeout_ms, coordination.ReadyBudgetMs());
  SystemClock clock;
  executor::RealSleeper& sleeper = executor::RealSleeper::Instance();
  MigrationContext migration{id, plan, request.alter, actor_};
  OperatorPoll operators(store_, id, clock);
  std::optional<Coordinator::OperatorAbort> abort;
  Status ran;
  {
    std::vector<std::unique_ptr<ShadowCopyExecutor>> executors;
    std::vector<DcExecutor*> dcs;
    for (const DcConfig& dc : topology_.dcs) {
      executors.push_back(std::make_unique<ShadowCopyExecutor>(dc, factory_, store_, operators, clock,
                                                               sleeper, migration, config));
      dcs.push_back(executors.back().get());
    }
    Coordinator coordinator(store_, operators, clock, sleeper, id, actor_, coordination, dcs);
    ran = coordinator.Run();
    abort = coordinator.operator_abort();
  }
  if (abort) {
    // The executors are gone (their copies, appliers and sessions with
    // them), and this process still holds the runner lease, as
    // AbortMigration requires.
    auto cleaned = AbortMigration(store_, factory_, topology_, id, abort->actor, abort->reason);
    if (!cleaned.ok()) {
      return cleaned.status().WithContext("aborted by " + abort->actor +
                                          ", but the clean-up failed; run 'lockstep abort' again");
    }
    for (const auto& dropped : cleaned->dropped) MainLogger()->info("dropped {}", dropped);
  }
  return ran;
}

Result<RunOutcome> MigrationRunner::Resume(const std::string& schema, const std::string& table,
                                           const std::optional<sql::AlterTable>& alter,
                                           const RunOptions& options) {
  actor_ = options.actor.empty() ? "lockstep" : options.actor;
  LOCKSTEP_ASSIGN_OR_RETURN(auto active, store_.ActiveMigrationFor(schema, table));
  if (!active) {
    return Status::NotFound("no unfinished migration of " + schema + "." + table + " in " +
                            store_.path());
  }
  const MigrationRecord& record = *active;
  // The world must still be the one the migration was planned in.
  std::vector<std::string> dcs;
  for (const auto& dc : topology_.dcs) dcs.push_back(dc.name);
  std::sort(dcs.begin(), dcs.end());
  if (dcs != record.spec.dcs) {
    return Status::FailedPrecondition("the topology's DCs are not the ones migration " +
                                      std::to_string(record.id) + " was started with");
  }
  if (alter && AlterFingerprint(NormalizedAlter(schema, table, *alter)) !=
                   record.spec.alter_fingerprint) {
    return Status::FailedPrecondition("the change given is not the one migration " +
                                      std::to_string(record.id) + " runs: " +
                                      record.spec.alter_sql);
  }
  if (IsNative(record.spec.strategy)) {
    return Status::FailedPrecondition(
        "migration " + std::to_string(record.id) + " is a native change, which cannot be "
        "resumed part-way: check each DC's table and finish it there");
  }
  LOCKSTEP_ASSIGN_OR_RETURN(sql::AlterTable stored, sql::ParseAlterTable(record.spec.alter_sql));
  RunOutcome outcome;
  outcome.migration_id = record.id;
  Plan& plan = outcome.plan;
  plan.schema = schema;
  plan.table = table;
  plan.alter_sql = record.spec.alter_sql;
  plan.strategy = record.spec.strategy;
  plan.skew_class = record.spec.skew_class;
  plan.cutover_mode = record.spec.cutover_mode;
  if (const ZoneConfig* zone = topology_.ZoneOf(schema, table)) plan.zone_type = zone->type;
  // Not Fail(): a refused claim means another process runs it, not that it stopped.
  if (options.claim) LOCKSTEP_RETURN_IF_ERROR(options.claim(record.id));
  (void)store_.AppendEvent({record.id, actor_, "resumed", std::nullopt,
                            "resumed in phase " + std::string(PhaseName(record.phase)), ""});
  PlanRequest request{schema, table, stored, record.spec.alter_sql};
  Status ran = RunShadowCopy(record.id, plan, request, options);
  if (!ran.ok()) return Fail(record.id, ran);
  LOCKSTEP_ASSIGN_OR_RETURN(MigrationRecord after, store_.GetMigration(record.id));
  outcome.phase = after.phase;
  return outcome;
}

}  // namespace lockstep
