#include "common/process.h"

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <fstream>
#include <sstream>

namespace lockstep {
namespace {

// The state letter of /proc/<pid>/stat ("123 (name) S ..."), or '?' when it
// cannot be read. The name may hold spaces and parentheses: the state follows
// the last ')'.
char ProcState(int64_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  if (!in) return '?';
  std::stringstream buf;
  buf << in.rdbuf();
  const std::string stat = buf.str();
  const size_t close = stat.rfind(')');
  if (close == std::string::npos || close + 2 >= stat.size()) return '?';
  return stat[close + 2];
}

}  // namespace

bool SystemProcessProbe::IsAlive(int64_t pid) const {
  if (pid <= 0 || pid > INT_MAX) return false;
  if (::kill(static_cast<pid_t>(pid), 0) != 0) return errno != ESRCH;
  // A killed process stays a zombie until its parent reaps it; it runs nothing.
  const char state = ProcState(pid);
  return state != 'Z' && state != 'X';
}

const SystemProcessProbe& SystemProcessProbe::Instance() {
  static const SystemProcessProbe probe;
  return probe;
}

std::string ThisHostName() {
  char name[HOST_NAME_MAX + 1] = {};
  if (::gethostname(name, sizeof name - 1) != 0 || name[0] == '\0') return "localhost";
  return name;
}

int64_t ThisProcessId() { return static_cast<int64_t>(::getpid()); }

}  // namespace lockstep
