// The shape of one lockstep sub-command.
//
// Every command parses its own options (Boost.Program_options) and returns the
// process exit code. The exit codes are a contract with CI scripts:
//   0  success (lint clean, plan ok, doctor fit, migration done)
//   1  the answer is "no" (error-level findings, blocked plan, unfit topology)
//   2  usage error: bad flags, unreadable or invalid config or input
//   3  runtime failure: a DC or the state database failed while working
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include <boost/program_options.hpp>

#include "config/topology.h"

namespace lockstep::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitNo = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitRuntime = 3;

struct CommandIo {
  std::ostream& out;
  std::ostream& err;
};

// args: everything after the program name except the command name itself,
// including options that were given before the command (`lockstep --config X doctor`).
using CommandFn = int (*)(const std::vector<std::string>& args, CommandIo io);

struct Command {
  const char* name;
  const char* summary;
  CommandFn run;
};

// Options every reporting command accepts: --config, --format, --help.
void AddCommonOptions(boost::program_options::options_description& desc,
                      const std::vector<std::string>& formats);

struct ParsedArgs {
  boost::program_options::variables_map vars;
  bool help = false;
};

// Parses args against desc (and positional, when given). On a usage error
// writes one line to io.err and returns false.
bool ParseCommandArgs(const std::vector<std::string>& args,
                      const boost::program_options::options_description& desc,
                      const boost::program_options::positional_options_description* positional,
                      CommandIo io, const char* command_name, ParsedArgs& parsed);

// Loads the topology named by --config or $LOCKSTEP_CONFIG into `out`.
// On failure writes one line to io.err and returns false.
bool LoadCommandTopology(const boost::program_options::variables_map& vars, const char* command,
                         CommandIo io, Topology& out);

// The config path from --config, else $LOCKSTEP_CONFIG; empty when neither.
std::string ConfigPath(const boost::program_options::variables_map& vars);

// The --format value; validated against the command's list by ParseCommandArgs.
std::string Format(const boost::program_options::variables_map& vars);

// Escapes s for inclusion in a JSON string literal (without the quotes).
std::string JsonEscape(const std::string& s);

}  // namespace lockstep::cli
