// lockstep cleanup: ends a migration that cut over by dropping its old table
// once the retention has passed.
#include <ctime>
#include <ostream>

#include "cli/commands.h"
#include "cli/operator_control.h"
#include "common/clock.h"
#include "common/logging.h"
#include "executor/migration/old_table_cleanup.h"

namespace po = boost::program_options;

namespace lockstep::cli {
namespace {

std::string UtcTime(int64_t ms) {
  const std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%SZ", &tm);
  return text;
}

}  // namespace

int RunCleanup(const std::vector<std::string>& args, CommandIo io) {
  const std::string usage =
      std::string(
          "Usage: lockstep cleanup --id N [--before-retention --reason \"...\"]\n"
          "                            [--reconciled --reason \"...\"]\n\n"
          "Ends migration N, which cut over: drops its old table (_<table>_old, kept as\n"
          "the way back) in every DC (binlogged, so the DC's own replicas follow; the DRC\n"
          "links filter `_` tables), and moves the migration to done, after which the\n"
          "table may be migrated again. Refused until the zone's old_table_retention_s\n"
          "(default 1 day) has passed since the cut-over, unless --before-retention is\n"
          "given with a reason. A DC where the table itself is missing is refused: the\n"
          "old table may be the only copy. So is a migration whose rename the binlog\n"
          "showed writes stranded in the old table (or could not rule them out), until\n"
          "an operator has reconciled them and says so with --reconciled.\n") +
      kControlHelpFooter +
      "\nExit 0 when dropped (or already done), 1 when refused (not cut over, retention\n"
      "not over), 2 for usage or config errors, 3 when a DC or the state database\n"
      "fails (run it again).\n\n"
      "Options";
  po::options_description desc(usage);
  AddControlOptions(desc);
  desc.add_options()("before-retention",
                     "drop the old table although its retention has not passed (needs --reason)")(
      "reconciled",
      "the writes a rename stranded in the old table (the binlog showed them, or could not rule "
      "them out) are dealt with: record it and let the old table go (needs --reason)");
  ParsedArgs parsed;
  if (!ParseCommandArgs(args, desc, nullptr, io, "cleanup", parsed)) return kExitUsage;
  if (parsed.help) {
    io.out << desc << "\n";
    return kExitOk;
  }
  const bool early = parsed.vars.count("before-retention") > 0;
  const bool reconciled = parsed.vars.count("reconciled") > 0;
  int64_t id = 0;
  std::string reason;
  if (int code = ReadMigrationId(parsed.vars, "cleanup", io, id); code != kExitOk) return code;
  if (int code = ReadReason(parsed.vars, "cleanup", early || reconciled, io, reason); code != kExitOk) {
    return code;
  }
  ControlTarget target;
  if (int code = OpenControlTarget(parsed.vars, "cleanup", id, io, target); code != kExitOk) {
    return code;
  }
  StateStore& store = *target.store;
  if (reconciled) {
    auto noted = store.AppendEvent(
        {id, OperatorIdentity(), kRenameReconciledEvent, std::nullopt, "stranded writes reconciled", reason});
    if (!noted.ok()) {
      io.err << "lockstep cleanup: " << noted.status().ToString() << "\n";
      return kExitRuntime;
    }
  }
  if (Status held = CheckOldTablesReleased(store, id); !held.ok()) {
    io.err << "lockstep cleanup: " << held.message() << "\n";
    return held.code() == StatusCode::kFailedPrecondition ? kExitNo : kExitRuntime;
  }
  auto due = OldTablesDueAtMs(target.topology, target.migration);
  if (!due.ok()) {
    io.err << "lockstep cleanup: " << due.status().ToString() << "\n";
    return due.status().code() == StatusCode::kFailedPrecondition ? kExitNo : kExitRuntime;
  }
  const int64_t now = SystemClock::Instance().NowMillis();
  if (now < *due && !early) {
    io.err << "lockstep cleanup: migration " << id << " keeps its old table until " << UtcTime(*due)
           << " (the zone's old_table_retention_s); nothing was dropped. Use\n"
              "--before-retention --reason \"...\" to drop it now\n";
    return kExitNo;
  }
  if (reason.empty()) reason = "retention over";
  int code = kExitOk;
  auto lease = ClaimRunnerLease(store, id, "cleanup", io, code);
  if (code != kExitOk) return code;
  if (lease == nullptr) {
    io.err << "lockstep cleanup: another lockstep process holds migration " << id
           << "; run it again when it is done\n";
    return kExitNo;
  }
  InitLogging("info");
  MariaDbConnectionFactory factory;
  auto cleaned = DropOldTables(store, factory, target.topology, id, OperatorIdentity(), reason);
  if (!cleaned.ok()) {
    io.err << "lockstep cleanup: " << cleaned.status().ToString() << "\n";
    return cleaned.status().code() == StatusCode::kFailedPrecondition ? kExitNo : kExitRuntime;
  }
  io.out << "migration " << id << " (" << target.migration.spec.table_schema << "."
         << target.migration.spec.table_name << "): done\n";
  for (const std::string& dropped : cleaned->dropped) io.out << "  dropped " << dropped << "\n";
  return kExitOk;
}

}  // namespace lockstep::cli
