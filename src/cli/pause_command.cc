// lockstep pause: asks the process running a migration to stop where it
// stands, keeping everything it has done.
#include <ostream>

#include "cli/commands.h"
#include "cli/operator_control.h"

namespace po = boost::program_options;

namespace lockstep::cli {

int RunPause(const std::vector<std::string>& args, CommandIo io) {
  const std::string usage =
      std::string(
          "Usage: lockstep pause --id N --reason \"...\"\n\n"
          "Pauses migration N where it stands: the copy, the applier and any cut-over wait;\n"
          "nothing is undone and the migration keeps its phase. When a process runs the\n"
          "migration, the pause is queued for it; when none does, the migration is marked\n"
          "paused. 'lockstep resume --id N' continues it.\n") +
      kControlHelpFooter +
      "\nExit 0 when recorded, 1 when the migration is finished (done, aborted, failed),\n"
      "2 for usage or config errors, 3 when the state database fails.\n\nOptions";
  po::options_description desc(usage);
  AddControlOptions(desc);
  ParsedArgs parsed;
  if (!ParseCommandArgs(args, desc, nullptr, io, "pause", parsed)) return kExitUsage;
  if (parsed.help) {
    io.out << desc << "\n";
    return kExitOk;
  }
  int64_t id = 0;
  std::string reason;
  if (int code = ReadMigrationId(parsed.vars, "pause", io, id); code != kExitOk) return code;
  if (int code = ReadReason(parsed.vars, "pause", true, io, reason); code != kExitOk) return code;
  ControlTarget target;
  if (int code = OpenControlTarget(parsed.vars, "pause", id, io, target); code != kExitOk) {
    return code;
  }
  StateStore& store = *target.store;
  int code = kExitOk;
  // Holding the lease, this process is the only one that could run the
  // migration: no runner can start between the look and the pause.
  auto lease = ClaimRunnerLease(store, id, "pause", io, code);
  if (code != kExitOk) return code;
  if (lease == nullptr) {
    std::optional<RunnerLease> runner = LiveRunner(store, id, "pause", io, code);
    if (code != kExitOk) return code;
    return QueueCommand(store, id, OperatorCommandKind::kPause, "{}", reason, runner, "pause", io);
  }
  Status paused = store.SetPaused(id, true, OperatorIdentity(), reason);
  if (!paused.ok()) {
    io.err << "lockstep pause: " << paused.ToString() << "\n";
    return paused.code() == StatusCode::kFailedPrecondition ? kExitNo : kExitRuntime;
  }
  io.out << "migration " << id << ": paused in phase " << PhaseName(target.migration.phase)
         << " (no process runs it now); 'lockstep resume --id " << id
         << " --yes' continues it\n";
  return kExitOk;
}

}  // namespace lockstep::cli
