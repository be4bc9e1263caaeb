// lockstep throttle: slows a migration's copy down, or hands the pace back
// to lockstep's own throttling.
#include <charconv>
#include <cmath>
#include <ostream>

#include "cli/commands.h"
#include "cli/operator_control.h"

namespace po = boost::program_options;

namespace lockstep::cli {

int RunThrottle(const std::vector<std::string>& args, CommandIo io) {
  const std::string usage =
      std::string(
          "Usage: lockstep throttle --id N --nice-ratio R --reason \"...\"\n\n"
          "Sets how gently migration N copies: after each chunk that took T, the copy\n"
          "sleeps R x T (R = 1 halves its pace). R = 0 hands the pace back to lockstep's\n"
          "automatic throttling (lag, load, the applier's backlog), which always applies\n"
          "on top. With no process running the migration, the command waits in the queue\n"
          "for the next one that does.\n") +
      kControlHelpFooter +
      "\nExit 0 when recorded, 1 when the migration is finished (done, aborted, failed),\n"
      "2 for usage or config errors, 3 when the state database fails.\n\nOptions";
  po::options_description desc(usage);
  AddControlOptions(desc);
  desc.add_options()("nice-ratio", po::value<double>(),
                     "sleep R x each chunk's time after the chunk; 0: automatic");
  ParsedArgs parsed;
  if (!ParseCommandArgs(args, desc, nullptr, io, "throttle", parsed)) return kExitUsage;
  if (parsed.help) {
    io.out << desc << "\n";
    return kExitOk;
  }
  int64_t id = 0;
  std::string reason;
  if (int code = ReadMigrationId(parsed.vars, "throttle", io, id); code != kExitOk) return code;
  if (parsed.vars.count("nice-ratio") == 0) {
    io.err << "lockstep throttle: give --nice-ratio R (R >= 0; 0 hands the pace back to "
              "lockstep)\n";
    return kExitUsage;
  }
  const double ratio = parsed.vars["nice-ratio"].as<double>();
  if (!std::isfinite(ratio) || ratio < 0) {
    io.err << "lockstep throttle: --nice-ratio must be a number >= 0, got " << ratio << "\n";
    return kExitUsage;
  }
  if (int code = ReadReason(parsed.vars, "throttle", true, io, reason); code != kExitOk) {
    return code;
  }
  ControlTarget target;
  if (int code = OpenControlTarget(parsed.vars, "throttle", id, io, target); code != kExitOk) {
    return code;
  }
  int code = kExitOk;
  std::optional<RunnerLease> runner = LiveRunner(*target.store, id, "throttle", io, code);
  if (code != kExitOk) return code;
  // Shortest text that reads back as the same double: valid JSON for any finite value.
  char number[64];
  auto written = std::to_chars(number, number + sizeof number, ratio);
  const std::string args_json =
      "{\"nice_ratio\": " + std::string(number, written.ptr) + "}";
  // Queued even with no runner: the next run of the migration takes it.
  return QueueCommand(*target.store, id, OperatorCommandKind::kThrottle, args_json, reason, runner,
                      "throttle", io);
}

}  // namespace lockstep::cli
