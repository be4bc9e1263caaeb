// lockstep: coordinated online schema changes for multi-DC MariaDB/MySQL.
#include <iostream>
#include <string>
#include <vector>

#include "cli/commands.h"

namespace {

using lockstep::cli::Command;

// The table of sub-commands, in the order --help lists them.
constexpr Command kCommands[] = {
    {"doctor", "check that every DC and DRC link is fit for lockstep", lockstep::cli::RunDoctor},
    {"lint", "check migration files offline (no database)", lockstep::cli::RunLint},
    {"plan", "inspect every DC and decide how a change would run (read-only)", lockstep::cli::RunPlan},
    {"run", "plan and run one migration in the foreground, to the end", lockstep::cli::RunRun},
    {"resume", "continue an unfinished migration (after a crash, or paused)", lockstep::cli::RunResume},
    {"pause", "pause a migration where it stands (--id, --reason)", lockstep::cli::RunPause},
    {"throttle", "slow a migration's copy down (--nice-ratio; 0: automatic)", lockstep::cli::RunThrottle},
    {"abort", "stop a migration before its cut-over and drop its shadow table", lockstep::cli::RunAbort},
    {"cleanup", "drop a cut-over migration's old table after its retention", lockstep::cli::RunCleanup},
};

void PrintUsage(std::ostream& out) {
  out << "lockstep: online schema changes, cut over in every data center together\n\n"
         "Usage: lockstep [--config FILE] <command> [options]\n\n"
         "Commands:\n";
  for (const Command& c : kCommands) {
    std::string name = c.name;
    name.resize(10, ' ');
    out << "  " << name << c.summary << "\n";
  }
  out << "\nThe topology file comes from --config or $LOCKSTEP_CONFIG.\n"
         "'lockstep <command> --help' explains a command.\n"
         "Exit codes: 0 ok, 1 the answer is no (findings, blocked, unfit),\n"
         "2 usage or config error, 3 runtime failure.\n";
}

// Options that take a value, so the value is not mistaken for the command.
bool TakesValue(const std::string& arg) {
  return arg == "--config" || arg == "-c" || arg == "--format" || arg == "-f";
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  // The command is the first word that is neither an option nor an option's value;
  // options before it are handed to the command with the rest.
  std::vector<std::string> rest;
  std::string command;
  for (size_t i = 0; i < args.size(); ++i) {
    if (command.empty() && !args[i].empty() && args[i][0] != '-') {
      command = args[i];
      continue;
    }
    if (command.empty() && TakesValue(args[i]) && i + 1 < args.size()) {
      rest.push_back(args[i]);
      rest.push_back(args[++i]);
      continue;
    }
    rest.push_back(args[i]);
  }
  if (command.empty()) {
    const bool asked = !args.empty() && (args[0] == "--help" || args[0] == "-h" || args[0] == "help");
    PrintUsage(asked ? std::cout : std::cerr);
    return asked ? lockstep::cli::kExitOk : lockstep::cli::kExitUsage;
  }
  if (command == "help") {
    PrintUsage(std::cout);
    return lockstep::cli::kExitOk;
  }
  for (const Command& c : kCommands) {
    if (command == c.name) return c.run(rest, {std::cout, std::cerr});
  }
  std::cerr << "lockstep: unknown command '" << command << "'\n\n";
  PrintUsage(std::cerr);
  return lockstep::cli::kExitUsage;
}
