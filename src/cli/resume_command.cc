// lockstep resume: continues an unfinished migration after a crash.
#include <ostream>

#include "cli/change_request.h"
#include "cli/commands.h"
#include "common/logging.h"
#include "executor/migration/migration_runner.h"

namespace po = boost::program_options;

namespace lockstep::cli {

int RunResume(const std::vector<std::string>& args, CommandIo io) {
  po::options_description desc(
      "Usage: lockstep resume --table DB.TABLE --yes [--alter \"CLAUSES\" | --file F]\n\n"
      "Continues the unfinished migration of the table from where the state database\n"
      "says it stopped (after a crash, a kill -9 or a reboot): the copy from its last\n"
      "checkpoint (repeating at most one chunk), the applier from the binlog position\n"
      "recorded before that checkpoint, a cut-over in flight from the tables that\n"
      "exist. It refuses when the topology's DCs differ, when the change given with\n"
      "--alter/--file is not the recorded one, when the table no longer matches the\n"
      "shadow table, or when the binlog no longer holds the checkpoint's position.\n"
      "Exit 0 when the migration is cut over, 2 for usage errors, 3 when it fails.\n\n"
      "Options");
  AddCommonOptions(desc, {"text", "json"});
  AddChangeOptions(desc);
  desc.add_options()("yes,y", "resume without asking");
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
  } else {
    io.err << "lockstep resume: give --table DB.TABLE\n";
    return kExitUsage;
  }
  if (vars.count("yes") == 0) {
    io.err << "lockstep resume: add --yes to resume the migration of " << request.schema << "."
           << request.table << "\n";
    return kExitUsage;
  }
  Topology topology;
  if (!LoadCommandTopology(vars, "resume", io, topology)) return kExitUsage;
  InitLogging("info");
  auto store = StateStore::Open(topology.state_db_path);
  if (!store.ok()) {
    io.err << "lockstep resume: " << store.status().ToString() << "\n";
    return kExitRuntime;
  }
  MariaDbConnectionFactory factory;
  MigrationRunner runner(topology, factory, **store);
  RunOptions options;
  options.actor = OperatorIdentity();
  auto outcome = runner.Resume(request.schema, request.table, alter, options);
  if (!outcome.ok()) {
    io.err << "lockstep resume: " << outcome.status().ToString() << "\n";
    return outcome.status().IsNotFound() ? kExitUsage : kExitRuntime;
  }
  io.out << "migration " << outcome->migration_id << " (" << request.schema << "."
         << request.table << "): " << PhaseName(outcome->phase) << "\n";
  return outcome->phase == Phase::kCutOver || outcome->phase == Phase::kDone ? kExitOk
                                                                            : kExitRuntime;
}

}  // namespace lockstep::cli
