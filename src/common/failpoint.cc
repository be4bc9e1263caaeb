#include "common/failpoint.h"

#include <csignal>
#include <cstdlib>
#include <string>

namespace lockstep {

namespace {

// Read once: failpoints sit on hot paths, and the environment is fixed for
// a crash test's run. A function-local static is initialized thread-safely.
const std::string& Armed() {
  static const std::string armed = [] {
    const char* value = std::getenv("LOCKSTEP_FAILPOINT");
    return std::string(value ? value : "");
  }();
  return armed;
}

}  // namespace

void Failpoint(std::string_view name, std::string_view dc) {
  if (Armed().empty()) return;
  Failpoint(name);
  Failpoint(std::string(name) + "@" + std::string(dc));
}

void Failpoint(std::string_view name) {
  const std::string& armed = Armed();
  if (armed.empty()) return;
  if (armed == name) std::raise(SIGKILL);
  constexpr std::string_view kStop = ":stop";
  if (armed.size() == name.size() + kStop.size() && armed.compare(0, name.size(), name) == 0 &&
      armed.compare(name.size(), kStop.size(), kStop) == 0) {
    std::raise(SIGSTOP);
  }
}

}  // namespace lockstep
