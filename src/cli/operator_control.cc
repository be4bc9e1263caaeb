#include "cli/operator_control.h"

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <ostream>

#include "cli/commands.h"
#include "common/logging.h"

namespace po = boost::program_options;

namespace lockstep::cli {
namespace {

bool IsBlank(const std::string& text) {
  for (unsigned char c : text) {
    if (!std::isspace(c)) return false;
  }
  return true;
}

}  // namespace

const char kControlHelpFooter[] =
    "The command is recorded in the state database with the operator's identity\n"
    "($LOCKSTEP_OPERATOR, else the login name) and the reason, and a running\n"
    "migration picks it up within a second.";

void AddControlOptions(po::options_description& desc) {
  desc.add_options()
      ("help,h", "show this help")
      ("config,c", po::value<std::string>(), "topology file (INI); default $LOCKSTEP_CONFIG")
      ("id", po::value<int64_t>(), "the migration's id (as 'lockstep run' printed it)")
      ("reason", po::value<std::string>(), "why: recorded in the event log with your identity");
}

int ReadMigrationId(const po::variables_map& vars, const char* command, CommandIo io,
                    int64_t& id) {
  if (vars.count("id") == 0) {
    io.err << "lockstep " << command << ": give --id N (the migration's id)\n";
    return kExitUsage;
  }
  id = vars["id"].as<int64_t>();
  if (id <= 0) {
    io.err << "lockstep " << command << ": --id must be a positive number, got " << id << "\n";
    return kExitUsage;
  }
  return kExitOk;
}

int ReadReason(const po::variables_map& vars, const char* command, bool required, CommandIo io,
               std::string& reason) {
  if (vars.count("reason") == 0) {
    if (!required) return kExitOk;
    io.err << "lockstep " << command
           << ": give --reason \"...\": every operator command is recorded with why it was given\n";
    return kExitUsage;
  }
  reason = vars["reason"].as<std::string>();
  if (IsBlank(reason)) {
    io.err << "lockstep " << command << ": --reason must say why; it is blank\n";
    return kExitUsage;
  }
  return kExitOk;
}

int OpenControlTarget(const po::variables_map& vars, const char* command, int64_t id,
                      CommandIo io, ControlTarget& target) {
  if (!LoadCommandTopology(vars, command, io, target.topology)) return kExitUsage;
  auto store = StateStore::Open(target.topology.state_db_path);
  if (!store.ok()) {
    io.err << "lockstep " << command << ": " << store.status().ToString() << "\n";
    return kExitRuntime;
  }
  target.store = std::move(*store);
  auto migration = target.store->GetMigration(id);
  if (!migration.ok()) {
    io.err << "lockstep " << command << ": " << migration.status().ToString() << "\n";
    return migration.status().IsNotFound() ? kExitUsage : kExitRuntime;
  }
  target.migration = std::move(*migration);
  if (IsTerminalPhase(target.migration.phase)) {
    io.err << "lockstep " << command << ": migration " << id << " ("
           << target.migration.spec.table_schema << "." << target.migration.spec.table_name
           << ") is " << PhaseName(target.migration.phase) << "; there is nothing to " << command
           << "\n";
    return kExitNo;
  }
  return kExitOk;
}

std::optional<RunnerLease> LiveRunner(StateStore& store, int64_t id, const char* command,
                                      CommandIo io, int& code) {
  code = kExitOk;
  auto lease = store.LiveRunnerLease(id);
  if (!lease.ok()) {
    io.err << "lockstep " << command << ": " << lease.status().ToString() << "\n";
    code = kExitRuntime;
    return std::nullopt;
  }
  return *lease;
}

std::unique_ptr<RunnerLeaseKeeper> ClaimRunnerLease(StateStore& store, int64_t id,
                                                    const char* command, CommandIo io, int& code) {
  code = kExitOk;
  RunnerLeaseKeeperOptions options;
  options.on_lost = [id](const Status& why) {
    // From the heartbeat thread: another process runs the migration now.
    // Stopping dead is what a kill -9 does, and every step survives that.
    MainLogger()->critical("migration {}: stopping at once: {}", id, why.ToString());
    std::fflush(stderr);
    std::_Exit(kExitRuntime);
  };
  auto keeper = RunnerLeaseKeeper::Acquire(store, id, ThisRunner(), std::move(options));
  if (keeper.ok()) return std::move(*keeper);
  if (!keeper.status().IsConflict()) {
    io.err << "lockstep " << command << ": " << keeper.status().ToString() << "\n";
    code = kExitRuntime;
  }
  return nullptr;
}

int QueueCommand(StateStore& store, int64_t id, OperatorCommandKind kind,
                 const std::string& args_json, const std::string& reason,
                 const std::optional<RunnerLease>& runner, const char* command, CommandIo io) {
  OperatorCommand cmd;
  cmd.migration_id = id;
  cmd.command = kind;
  cmd.args_json = args_json;
  cmd.actor = OperatorIdentity();
  cmd.reason = reason;
  auto queued = store.EnqueueOperatorCommand(cmd);
  if (!queued.ok()) {
    io.err << "lockstep " << command << ": " << queued.status().ToString() << "\n";
    return queued.status().code() == StatusCode::kFailedPrecondition ? kExitNo : kExitRuntime;
  }
  io.out << "migration " << id << ": " << OperatorCommandKindName(kind) << " queued (command "
         << *queued << ", by " << cmd.actor << ")";
  if (runner) {
    io.out << "; the running process (" << DescribeRunner(runner->owner)
           << ") picks it up within a second\n";
  } else {
    io.out << "; no process runs the migration now: it waits for the next one that does "
              "('lockstep resume --id "
           << id << " --yes')\n";
  }
  return kExitOk;
}

}  // namespace lockstep::cli
