// Integration tests run against real MariaDB servers started by sandbox/up
// and stopped by sandbox/down; this class owns one such sandbox.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "config/topology.h"
#include "db/connection.h"

namespace lockstep::testing {

struct CommandOutput {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs argv (no shell) and captures its stdout and stderr.
CommandOutput RunCommand(const std::vector<std::string>& argv);

// Runs the lockstep binary built with the tests.
CommandOutput RunLockstep(const std::vector<std::string>& args);

// Starts the lockstep binary without waiting (its output is discarded);
// returns its pid, or -1. The caller reaps it (waitpid). `extra_env` holds
// "NAME=value" entries added to this process's environment (replacing a
// variable of the same name), e.g. LOCKSTEP_FAILPOINT for crash tests.
int SpawnLockstep(const std::vector<std::string>& args,
                  const std::vector<std::string>& extra_env = {});

// The wait status of child `pid` once it ends; past `timeout_ms` it is
// killed, reaped, and nullopt returned.
std::optional<int> WaitForExit(int pid, int timeout_ms);

struct SandboxOptions {
  int dcs = 3;
  int base_port = 0;  // required: each test binary has its own
  int latency_ms = 0;
  std::string zone = "sharding";
  std::string writer;  // global zones

  // N DCs in a sharding zone on `base_port`, no latency.
  static SandboxOptions Mesh(int dcs, int base_port) {
    SandboxOptions o;
    o.dcs = dcs;
    o.base_port = base_port;
    return o;
  }
};

class Sandbox {
 public:
  // Starts a sandbox (after stopping a stale one left by a crashed run at the
  // same base port) and loads the topology file it wrote.
  static Result<std::unique_ptr<Sandbox>> Start(const SandboxOptions& options);
  ~Sandbox();  // stops it: servers, proxies and files

  Sandbox(const Sandbox&) = delete;
  Sandbox& operator=(const Sandbox&) = delete;

  const std::string& topology_path() const { return topology_path_; }
  const Topology& topology() const { return topology_; }
  int dcs() const { return options_.dcs; }

  // A connection to DC k (1-based).
  Result<std::unique_ptr<Connection>> Connect(int k) const;

  // Waits until every DC has applied everything every other DC has logged so
  // far in its own GTID domain (MASTER_GTID_WAIT on each link).
  Status WaitForReplication(double timeout_s = 30) const;

  // The pid of DC k's server (sandbox/up's pid file), or -1: for fault tests
  // that stop a DC's server (SIGSTOP) as a network cut would.
  int ServerPid(int k) const;

  // Waits until DC k's link `link` runs (START SLAVE returns while its IO
  // thread is still connecting).
  Status WaitLinkRunning(int k, const std::string& link, double timeout_s = 10) const;

 private:
  explicit Sandbox(SandboxOptions options) : options_(std::move(options)) {}

  SandboxOptions options_;
  std::string topology_path_;
  Topology topology_;
};

}  // namespace lockstep::testing
