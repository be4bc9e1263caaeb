// Entry points of lockstep's sub-commands, one .cc file each under src/cli/.
#pragma once

#include "cli/command.h"

namespace lockstep::cli {

int RunDoctor(const std::vector<std::string>& args, CommandIo io);
int RunLint(const std::vector<std::string>& args, CommandIo io);
int RunPlan(const std::vector<std::string>& args, CommandIo io);
int RunRun(const std::vector<std::string>& args, CommandIo io);
int RunResume(const std::vector<std::string>& args, CommandIo io);
int RunPause(const std::vector<std::string>& args, CommandIo io);
int RunThrottle(const std::vector<std::string>& args, CommandIo io);
int RunAbort(const std::vector<std::string>& args, CommandIo io);
int RunCleanup(const std::vector<std::string>& args, CommandIo io);

// Who runs lockstep, for the record: $LOCKSTEP_OPERATOR, else the login name.
std::string OperatorIdentity();

}  // namespace lockstep::cli
