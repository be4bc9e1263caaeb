// lockstep abort: stops a migration that has not cut over and takes its
// shadow table away; the table itself is never touched.
#include <ostream>

#include "cli/commands.h"
#include "cli/operator_control.h"
#include "common/logging.h"
#include "executor/migration/abort_cleanup.h"

namespace po = boost::program_options;

namespace lockstep::cli {

int RunAbort(const std::vector<std::string>& args, CommandIo io) {
  const std::string usage =
      std::string(
          "Usage: lockstep abort --id N --reason \"...\"\n\n"
          "Aborts migration N before its cut-over: the shadow table (_<table>_new) and\n"
          "any sentry table are dropped in every DC (binlogged for the DC's own replicas;\n"
          "the DRC links filter `_` tables), and the migration ends as aborted. The table\n"
          "itself is never touched, nor _<table>_old. When a process runs the migration,\n"
          "the abort is queued for it and it stops and cleans up; when none does, this\n"
          "command cleans up itself.\n"
          "A migration whose cut-over COMMIT is recorded is refused: it only rolls forward.\n") +
      kControlHelpFooter +
      "\nExit 0 when aborted or queued, 1 when refused (finished, or cut over), 2 for\n"
      "usage or config errors, 3 when a DC or the state database fails (run it again).\n\n"
      "Options";
  po::options_description desc(usage);
  AddControlOptions(desc);
  ParsedArgs parsed;
  if (!ParseCommandArgs(args, desc, nullptr, io, "abort", parsed)) return kExitUsage;
  if (parsed.help) {
    io.out << desc << "\n";
    return kExitOk;
  }
  int64_t id = 0;
  std::string reason;
  if (int code = ReadMigrationId(parsed.vars, "abort", io, id); code != kExitOk) return code;
  if (int code = ReadReason(parsed.vars, "abort", true, io, reason); code != kExitOk) return code;
  ControlTarget target;
  if (int code = OpenControlTarget(parsed.vars, "abort", id, io, target); code != kExitOk) {
    return code;
  }
  StateStore& store = *target.store;
  // Refused up front, whoever runs it: a runner would only refuse it later.
  if (Status abortable = CheckAbortable(store, target.migration); !abortable.ok()) {
    io.err << "lockstep abort: " << abortable.ToString() << "\n";
    return abortable.code() == StatusCode::kFailedPrecondition ? kExitNo : kExitRuntime;
  }
  int code = kExitOk;
  auto lease = ClaimRunnerLease(store, id, "abort", io, code);
  if (code != kExitOk) return code;
  if (lease == nullptr) {
    std::optional<RunnerLease> runner = LiveRunner(store, id, "abort", io, code);
    if (code != kExitOk) return code;
    const int queued =
        QueueCommand(store, id, OperatorCommandKind::kAbort, "{}", reason, runner, "abort", io);
    if (queued == kExitOk) {
      io.out << "that process stops the migration and drops its tables itself; this command "
                "changed nothing in any DC\n";
    }
    return queued;
  }
  // Nobody runs it, and the lease keeps it so: clean up here.
  InitLogging("info");
  MariaDbConnectionFactory factory;
  auto aborted =
      AbortMigration(store, factory, target.topology, id, OperatorIdentity(), reason);
  if (!aborted.ok()) {
    io.err << "lockstep abort: " << aborted.status().ToString() << "\n";
    return aborted.status().code() == StatusCode::kFailedPrecondition ? kExitNo : kExitRuntime;
  }
  io.out << "migration " << id << " (" << target.migration.spec.table_schema << "."
         << target.migration.spec.table_name << "): aborted in phase "
         << PhaseName(target.migration.phase) << "\n";
  for (const std::string& dropped : aborted->dropped) io.out << "  dropped " << dropped << "\n";
  return kExitOk;
}

}  // namespace lockstep::cli
