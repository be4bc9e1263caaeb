// Processes on this host: its name, and whether a process id still runs.
//
// The state store's runner lease asks whether the process that holds a lease
// is gone, so that a resume right after a kill -9 on the same host need not
// wait for the lease to lapse. Behind an interface so tests can say.
#pragma once

#include <cstdint>
#include <string>

namespace lockstep {

class ProcessProbe {
 public:
  virtual ~ProcessProbe() = default;
  // Whether process `pid` of this host still exists (and is not a zombie).
  virtual bool IsAlive(int64_t pid) const = 0;
};

// kill(pid, 0) plus /proc/<pid>/stat. Fails closed: a process it may not
// signal (EPERM), or cannot tell about, counts as alive.
class SystemProcessProbe final : public ProcessProbe {
 public:
  bool IsAlive(int64_t pid) const override;
  // Stateless, so one process-wide instance is safe to share.
  static const SystemProcessProbe& Instance();
};

// This host's name (gethostname), or "localhost" if it has none.
std::string ThisHostName();
// This process's id.
int64_t ThisProcessId();

}  // namespace lockstep
