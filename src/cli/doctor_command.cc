#include "cli/commands.h"

#include <ostream>

namespace lockstep::cli {

// Placeholder until the doctor lands (issue 2); exits as a runtime failure.
int RunDoctor(const std::vector<std::string>&, CommandIo io) {
  io.err << "lockstep doctor: not built yet\n";
  return kExitRuntime;
}

}  // namespace lockstep::cli
