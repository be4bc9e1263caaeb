// lockstep resume: continues an unfinished migration after a crash, or
// resumes a paused one.
#include <ostream>

#include "cli/change_request.h"
#include "cli/commands.h"
#include "cli/cutover_attempts_output.h"
#include "cli/operator_control.h"
#include "common/logging.h"
#include "coordinator/migration_runner.h"

namespace po = boost::program_options;

namespace lockstep::cli {
namespace {

constexpr const char* kUsage =
    "Usage: lockstep resume (--id N | --table DB.TABLE) --yes [--alter \"CLAUSES\" | --file F]\n"
    "                       [--reason \"...\"]\n\n"
    "Continues the unfinished migration of the table (or migration N) in the\n"
    "foreground from where the state database says it stopped (after a crash, a\n"
    "kill -9 or a reboot): the copy from its last checkpoint (repeating at most one\n"
    "chunk), the applier from the binlog position recorded before that checkpoint, a\n"
    "cut-over in flight from the tables that exist. It refuses when the topology's\n"
    "DCs differ, when the change given with --alter/--file is not the recorded one,\n"
    "when the table no longer matches the shadow table, or when the binlog no longer\n"
    "holds the checkpoint's position. A paused migration is unpaused first (recorded\n"
    "with --reason, or 'resumed by <you>').\n\n"
    "It is also the DBA's resume of a paused migration that a process still runs:\n"
    "then the resume is queued for that process (--reason required, --yes not needed),\n"
    "which picks it up within a second. A migration some process runs and that is not\n"
    "paused is refused. Every resume is recorded with the operator's identity\n"
    "($LOCKSTEP_OPERATOR, else the login name).\n"
    "Exit 0 when the migration is cut over or the resume queued, 1 when refused\n"
    "(another process runs it, or it is finished), 2 for usage errors, 3 when it fails.\n\n"
    "Options";

// The migration the options name: --id, else the table's unfinished one.
// kExitUsage when there is none (or --id and --table disagree).
int FindMigration(StateStore& store, const po::variables_map& vars, const PlanRequest& request,
                  CommandIo io, MigrationRecord& out) {
  if (vars.count("id") > 0) {
    int64_t id = 0;
    if (int code = ReadMigrationId(vars, "resume", io, id); code != kExitOk) return code;
    auto m = store.GetMigration(id);
    if (!m.ok()) {
      io.err << "lockstep resume: " << m.status().ToString() << "\n";
      return m.status().IsNotFound() ? kExitUsage : kExitRuntime;
    }
    if (!request.table.empty() &&
        (m->spec.table_schema != request.schema || m->spec.table_name != request.table)) {
      io.err << "lockstep resume: migration " << id << " changes " << m->spec.table_schema << "."
             << m->spec.table_name << ", not " << request.schema << "." << request.table << "\n";
      return kExitUsage;
    }
    out = std::move(*m);
    return kExitOk;
  }
  auto active = store.ActiveMigrationFor(request.schema, request.table);
  if (!active.ok()) {
    io.err << "lockstep resume: " << active.status().ToString() << "\n";
    return kExitRuntime;
  }
  if (!active->has_value()) {
    io.err << "lockstep resume: no unfinished migration of " << request.schema << "."
           << request.table << " in " << store.path() << "\n";
    return kExitUsage;
  }
  out = std::move(**active);
  return kExitOk;
}

}  // namespace

int RunResume(const std::vector<std::string>& args, CommandIo io) {
  po::options_description desc(kUsage);
  AddCommonOptions(desc, {"text", "json"});
  AddChangeOptions(desc);
  desc.add_options()
      ("id", po::value<int64_t>(), "the migration's id (instead of --table)")
      ("reason", po::value<std::string>(), "why: recorded with your identity")
      ("yes,y", "resume without asking")
      ("keys-during-copy", "a shadow copy not yet made: make _t_new with all its secondary keys");
  ParsedArgs parsed;
  if (!ParseCommandArgs(args, desc, nullptr, io, "resume", parsed)) return kExitUsage;
  if (parsed.help) {
    io.out << desc << "\n";
    return kExitOk;
  }
  const auto& vars = parsed.vars;
  PlanRequest request;
  std::optional<sql::AlterTable> alter;
  if (vars.count("alter") > 0 || vars.count("file") > 0) {
    PlanSource source;
    if (int code = BuildChangeRequest(vars, "resume", io, request, source); code != kExitOk) {
      return code;
    }
    alter = request.alter;
  } else if (vars.count("table") > 0) {
    const std::string qualified = vars["table"].as<std::string>();
    const size_t dot = qualified.find('.');
    if (dot == std::string::npos || dot == 0 || dot + 1 == qualified.size()) {
      io.err << "lockstep resume: --table must be DB.TABLE, got '" << qualified << "'\n";
      return kExitUsage;
    }
    request.schema = qualified.substr(0, dot);
    request.table = qualified.substr(dot + 1);
  } else if (vars.count("id") == 0) {
    io.err << "lockstep resume: give --id N or --table DB.TABLE\n";
    return kExitUsage;
  }
  int64_t given_id = 0;
  if (vars.count("id") > 0) {
    if (int code = ReadMigrationId(vars, "resume", io, given_id); code != kExitOk) return code;
  }
  std::string reason;
  if (int code = ReadReason(vars, "resume", false, io, reason); code != kExitOk) return code;

  Topology topology;
  if (!LoadCommandTopology(vars, "resume", io, topology)) return kExitUsage;
  auto opened = StateStore::Open(topology.state_db_path);
  if (!opened.ok()) {
    io.err << "lockstep resume: " << opened.status().ToString() << "\n";
    return kExitRuntime;
  }
  StateStore& store = **opened;
  MigrationRecord migration;
  if (int code = FindMigration(store, vars, request, io, migration); code != kExitOk) return code;
  const int64_t id = migration.id;
  const std::string subject = "migration " + std::to_string(id) + " (" +
                              migration.spec.table_schema + "." + migration.spec.table_name + ")";
  if (IsTerminalPhase(migration.phase)) {
    io.err << "lockstep resume: " << subject << " is " << PhaseName(migration.phase)
           << "; there is nothing to resume\n";
    return kExitNo;
  }
  request.schema = migration.spec.table_schema;
  request.table = migration.spec.table_name;

  int code = kExitOk;
  std::optional<RunnerLease> runner = LiveRunner(store, id, "resume", io, code);
  if (code != kExitOk) return code;
  if (runner) {
    if (!migration.paused) {
      io.err << "lockstep resume: " << subject << " is already being run by "
             << DescribeRunner(runner->owner) << " and is not paused; nothing to resume\n";
      return kExitNo;
    }
    if (reason.empty()) {
      io.err << "lockstep resume: " << subject << " is paused and run by "
             << DescribeRunner(runner->owner)
             << "; the resume is queued for it, and needs --reason \"...\"\n";
      return kExitUsage;
    }
    return QueueCommand(store, id, OperatorCommandKind::kResume, "{}", reason, runner, "resume",
                        io);
  }

  if (vars.count("yes") == 0) {
    io.err << "lockstep resume: add --yes to resume " << subject << " in this process\n";
    return kExitUsage;
  }
  InitLogging("info");
  MariaDbConnectionFactory factory;
  MigrationRunner migration_runner(topology, factory, store);
  RunOptions options;
  options.actor = OperatorIdentity();
  options.defer_secondary_keys = vars.count("keys-during-copy") == 0;
  std::unique_ptr<RunnerLeaseKeeper> lease;
  bool refused = false;
  options.claim = [&](int64_t claimed) -> Status {
    if (claimed != id) {
      return Status::Conflict("the table's unfinished migration is now " +
                              std::to_string(claimed) + ", not " + std::to_string(id));
    }
    int claim_code = kExitOk;
    lease = ClaimRunnerLease(store, id, "resume", io, claim_code);
    if (lease == nullptr && claim_code != kExitOk) {
      return Status::IoError("could not take the runner lease");  // said above
    }
    if (lease == nullptr) {
      refused = true;  // a live runner got there first
      auto holder = store.LiveRunnerLease(id);
      return Status::Conflict(subject + " is already being run" +
                              (holder.ok() && holder->has_value()
                                   ? " by " + DescribeRunner((*holder)->owner)
                                   : std::string()));
    }
    // Under the lease: unpausing and running are one decision of this process.
    auto current = store.GetMigration(id);
    if (!current.ok()) return current.status();
    if (!current->paused) return Status::Ok();
    return store.SetPaused(id, false, options.actor,
                           reason.empty() ? "resumed by " + options.actor : reason);
  };
  auto outcome =
      migration_runner.Resume(request.schema, request.table, alter, options);
  if (!outcome.ok()) {
    io.err << "lockstep resume: " << outcome.status().ToString() << "\n";
    if (refused) return kExitNo;
    return outcome.status().IsNotFound() ? kExitUsage : kExitRuntime;
  }
  WriteCutoverAttemptsText(store, outcome->migration_id, io.out);
  io.out << "migration " << outcome->migration_id << " (" << request.schema << "."
         << request.table << "): " << PhaseName(outcome->phase) << "\n";
  return outcome->phase == Phase::kCutOver || outcome->phase == Phase::kDone ? kExitOk
                                                                            : kExitRuntime;
}

}  // namespace lockstep::cli
