// lockstep run: one migration in the foreground, from plan to cut-over.
#include <cstdlib>
#include <ostream>

#include "cli/change_request.h"
#include "cli/commands.h"
#include "cli/cutover_attempts_output.h"
#include "cli/operator_control.h"
#include "common/logging.h"
#include "coordinator/migration_runner.h"
#include "planner/report/plan_report.h"

namespace po = boost::program_options;

namespace lockstep::cli {
namespace {

constexpr const char* kUsage =
    "Usage: lockstep run --table DB.TABLE --alter \"CLAUSES\" --yes [--strategy auto|copy]\n"
    "       lockstep run --file MIGRATION.sql --yes ...\n\n"
    "Plans the change (exactly as 'lockstep plan' does), refuses a blocked plan, records\n"
    "the migration in the state database and runs it in the foreground to the end.\n"
    "--yes is required: without it the plan is shown and nothing runs.\n"
    "--strategy copy forces lockstep's shadow copy where the server could change the\n"
    "table natively (throttled, resumable, cut over at a chosen moment).\n"
    "A shadow copy ends cut over with the old table kept as _<table>_old. It copies\n"
    "into _<table>_new without its plain secondary keys and adds them after the copy\n"
    "(a faster, gentler copy); --keys-during-copy keeps them instead, where local\n"
    "replicas must not replay that key build as one long DDL.\n"
    "The migration is run under a runner lease in the state database, renewed every\n"
    "second, so that no other process runs it meanwhile and the DBA's controls\n"
    "(pause, throttle, abort, resume) reach this process.\n"
    "Exit 0 when the migration is done, 1 when the plan is blocked, 2 for usage or\n"
    "config errors, 3 when the migration failed (the state database says where).\n\n"
    "Options";

}  // namespace

// Who runs lockstep, for the record: $LOCKSTEP_OPERATOR, else the login name.
std::string OperatorIdentity() {
  for (const char* var : {"LOCKSTEP_OPERATOR", "SUDO_USER", "USER"}) {
    if (const char* v = std::getenv(var); v != nullptr && *v != '\0') return v;
  }
  return "unknown";
}

int RunRun(const std::vector<std::string>& args, CommandIo io) {
  po::options_description desc(kUsage);
  AddCommonOptions(desc, {"text", "json"});
  AddChangeOptions(desc);
  desc.add_options()
      ("yes,y", "run without asking")
      ("strategy", po::value<std::string>()->default_value("auto"),
       "auto: the plan's choice; copy: lockstep's shadow copy")
      ("keys-during-copy", "shadow copy: copy into _t_new with all its secondary keys");
  ParsedArgs parsed;
  if (!ParseCommandArgs(args, desc, nullptr, io, "run", parsed)) return kExitUsage;
  if (parsed.help) {
    io.out << desc << "\n";
    return kExitOk;
  }
  const auto& vars = parsed.vars;
  PlanRequest request;
  PlanSource source;
  if (int code = BuildChangeRequest(vars, "run", io, request, source); code != kExitOk) return code;
  RunOptions options;
  options.actor = OperatorIdentity();
  options.defer_secondary_keys = vars.count("keys-during-copy") == 0;
  const std::string strategy = vars["strategy"].as<std::string>();
  if (strategy == "copy") {
    options.force_strategy = Strategy::kCopy;
  } else if (strategy != "auto") {
    io.err << "lockstep run: --strategy must be auto or copy, got '" << strategy << "'\n";
    return kExitUsage;
  }
  Topology topology;
  if (!LoadCommandTopology(vars, "run", io, topology)) return kExitUsage;
  InitLogging("info");
  MariaDbConnectionFactory factory;
  if (vars.count("yes") == 0) {
    auto plan = MakePlan(topology, factory, request);
    if (!plan.ok()) {
      io.err << "lockstep run: " << plan.status().ToString() << "\n";
      return kExitRuntime;
    }
    WritePlanText(*plan, io.out);
    io.err << "lockstep run: nothing was run; add --yes to run this plan\n";
    return kExitUsage;
  }
  auto store = StateStore::Open(topology.state_db_path);
  if (!store.ok()) {
    io.err << "lockstep run: " << store.status().ToString() << "\n";
    return kExitRuntime;
  }
  MigrationRunner runner(topology, factory, **store);
  // Taken as soon as the migration is recorded, before any DC is changed;
  // released when this function returns.
  std::unique_ptr<RunnerLeaseKeeper> lease;
  options.claim = [&](int64_t id) -> Status {
    int code = kExitOk;
    lease = ClaimRunnerLease(**store, id, "run", io, code);
    if (lease != nullptr) return Status::Ok();
    return code == kExitOk ? Status::Conflict("another process took migration " +
                                              std::to_string(id) + " first")
                           : Status::IoError("could not take the runner lease");
  };
  auto outcome = runner.Run(request, options);
  if (!outcome.ok()) {
    io.err << "lockstep run: " << outcome.status().ToString() << "\n";
    return kExitRuntime;
  }
  const bool json = Format(vars) == "json";
  if (outcome->migration_id == 0) {
    if (json) WritePlanJson(outcome->plan, io.out);
    else WritePlanText(outcome->plan, io.out);
    io.err << "lockstep run: the plan is blocked; nothing was run\n";
    return kExitNo;
  }
  if (json) {
    io.out << "{\"migration_id\":" << outcome->migration_id << ",\"phase\":\""
           << PhaseName(outcome->phase) << "\",\"strategy\":\""
           << StrategyName(outcome->plan.strategy) << "\",\"cutover_attempts\":";
    WriteCutoverAttemptsJson(**store, outcome->migration_id, io.out);
    io.out << "}\n";
  } else {
    WriteCutoverAttemptsText(**store, outcome->migration_id, io.out);
    io.out << "migration " << outcome->migration_id << " (" << outcome->plan.schema << "."
           << outcome->plan.table << ", " << StrategyName(outcome->plan.strategy)
           << "): " << PhaseName(outcome->phase) << "\n";
  }
  // cut_over: the new table is live and the old one kept for its retention.
  const bool finished = outcome->phase == Phase::kDone || outcome->phase == Phase::kCutOver;
  return finished ? kExitOk : kExitRuntime;
}

}  // namespace lockstep::cli
