// What the DBA's controls (pause, throttle, abort, and resume of a paused
// migration) share: --id/--reason/--config, the state database and the
// migration they act on, and the runner lease that tells whether a running
// process will pick a command up or this process must act itself.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include <boost/program_options.hpp>

#include "cli/command.h"
#include "state/runner_lease_keeper.h"
#include "state/state_store.h"

namespace lockstep::cli {

// --help, --config, --id, --reason.
void AddControlOptions(boost::program_options::options_description& desc);

// The sentence every control's --help ends with.
extern const char kControlHelpFooter[];

// --id as given: kExitOk, or kExitUsage after one line on io.err (missing,
// or not a positive number).
int ReadMigrationId(const boost::program_options::variables_map& vars, const char* command,
                    CommandIo io, int64_t& id);

// --reason: kExitUsage when given but blank, or when `required` and missing.
// `reason` stays empty when it was not given.
int ReadReason(const boost::program_options::variables_map& vars, const char* command,
               bool required, CommandIo io, std::string& reason);

// The topology, the state database and one migration in it.
struct ControlTarget {
  Topology topology;
  std::unique_ptr<StateStore> store;
  MigrationRecord migration;
};

// Loads the topology (kExitUsage), opens the state database (kExitRuntime)
// and reads migration `id` (kExitUsage when there is none). A terminal
// migration is refused with kExitNo: nothing can act on it any more.
int OpenControlTarget(const boost::program_options::variables_map& vars, const char* command,
                      int64_t id, CommandIo io, ControlTarget& target);

// The lease of the runner that runs the migration now, if any; on error
// writes one line and returns nullopt with `code` set to kExitRuntime.
std::optional<RunnerLease> LiveRunner(StateStore& store, int64_t id, const char* command,
                                      CommandIo io, int& code);

// Takes the migration's runner lease for this process, with a heartbeat.
// Null with `code` kExitOk when a live runner holds it (the caller then
// queues a command instead); null with kExitRuntime after an error line.
// A lease lost later (another process took it over after this one stalled
// past its expiry) ends this process at once with kExitRuntime, as a kill -9
// would, rather than let two processes run one migration.
std::unique_ptr<RunnerLeaseKeeper> ClaimRunnerLease(StateStore& store, int64_t id,
                                                    const char* command, CommandIo io, int& code);

// Queues `kind` with `args_json`, recorded with OperatorIdentity() and
// `reason`, and says who will pick it up. kExitOk, kExitNo (the migration
// became terminal meanwhile) or kExitRuntime.
int QueueCommand(StateStore& store, int64_t id, OperatorCommandKind kind,
                 const std::string& args_json, const std::string& reason,
                 const std::optional<RunnerLease>& runner, const char* command, CommandIo io);

}  // namespace lockstep::cli
