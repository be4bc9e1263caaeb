#include "common/failpoint.h"

#include <csignal>
#include <cstdlib>
#include <string>

namespace lockstep {

void Failpoint(std::string_view name) {
  // Read once: failpoints sit on hot paths, and the environment is fixed for
  // a crash test's run. A function-local static is initialized thread-safely.
  static const std::string armed = [] {
    const char* value = std::getenv("LOCKSTEP_FAILPOINT");
    return std::string(value ? value : "");
  }();
  if (armed.empty() || armed != name) return;
  std::raise(SIGKILL);
}

}  // namespace lockstep
