#include "support/sandbox.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <thread>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string_view>

#include <signal.h>

#include "db/sql.h"

extern char** environ;

namespace lockstep::testing {
namespace {

std::string ReadAll(int fd) {
  std::string out;
  char buf[4096];
  ::lseek(fd, 0, SEEK_SET);
  ssize_t n;
  while ((n = ::read(fd, buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(n));
  return out;
}

std::string LastLine(const std::string& text) {
  std::istringstream in(text);
  std::string line, last;
  while (std::getline(in, line)) {
    if (!line.empty()) last = line;
  }
  return last;
}

std::string SandboxScript(const char* name) {
  return std::string(LOCKSTEP_SOURCE_DIR) + "/sandbox/" + name;
}

// The GTID of `domain` in a gtid list like "1-1-10,2-2-7"; "" when absent.
std::string GtidOfDomain(const std::string& list, int64_t domain) {
  std::istringstream in(list);
  std::string item;
  const std::string prefix = std::to_string(domain) + "-";
  while (std::getline(in, item, ',')) {
    if (item.rfind(prefix, 0) == 0) return item;
  }
  return "";
}

}  // namespace

CommandOutput RunCommand(const std::vector<std::string>& argv) {
  CommandOutput result;
  // Output goes to anonymous temporary files rather than pipes: no deadlock on
  // large outputs, nothing left on disk.
  int out_fd = ::open("/tmp", O_TMPFILE | O_RDWR, 0600);
  int err_fd = ::open("/tmp", O_TMPFILE | O_RDWR, 0600);
  if (out_fd < 0 || err_fd < 0) {
    result.err = "cannot create temporary files";
    return result;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out_fd, 1);
  posix_spawn_file_actions_adddup2(&actions, err_fd, 2);
  std::vector<char*> cargv;
  for (const auto& a : argv) cargv.push_back(const_cast<char*>(a.c_str()));
  cargv.push_back(nullptr);
  pid_t pid = 0;
  if (posix_spawn(&pid, cargv[0], &actions, nullptr, cargv.data(), environ) != 0) {
    result.err = "cannot run " + argv[0];
  } else {
    int status = 0;
    ::waitpid(pid, &status, 0);
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    result.out = ReadAll(out_fd);
    result.err = ReadAll(err_fd);
  }
  posix_spawn_file_actions_destroy(&actions);
  ::close(out_fd);
  ::close(err_fd);
  return result;
}

CommandOutput RunLockstep(const std::vector<std::string>& args) {
  std::vector<std::string> argv{LOCKSTEP_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  return RunCommand(argv);
}

int SpawnLockstep(const std::vector<std::string>& args, const std::vector<std::string>& extra_env) {
  std::vector<std::string> argv{LOCKSTEP_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  std::vector<char*> cargv;
  for (const auto& a : argv) cargv.push_back(const_cast<char*>(a.c_str()));
  cargv.push_back(nullptr);
  // This process's environment minus the names extra_env sets, then extra_env.
  std::vector<char*> cenv;
  for (char** e = environ; *e != nullptr; ++e) {
    const std::string_view entry(*e);
    const std::string_view name = entry.substr(0, entry.find('='));
    bool replaced = false;
    for (const auto& x : extra_env) replaced = replaced || x.substr(0, x.find('=')) == name;
    if (!replaced) cenv.push_back(*e);
  }
  for (const auto& x : extra_env) cenv.push_back(const_cast<char*>(x.c_str()));
  cenv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  pid_t pid = -1;
  if (posix_spawn(&pid, cargv[0], &actions, nullptr, cargv.data(), cenv.data()) != 0) pid = -1;
  posix_spawn_file_actions_destroy(&actions);
  return pid;
}

Result<std::unique_ptr<Sandbox>> Sandbox::Start(const SandboxOptions& options) {
  if (options.base_port <= 0) return Status::InvalidArgument("SandboxOptions.base_port is required");
  const std::string port = std::to_string(options.base_port);
  // A crashed earlier run of this same binary may have left its sandbox up.
  RunCommand({SandboxScript("down"), "--base-port", port});

  std::vector<std::string> argv{SandboxScript("up"), "--dcs", std::to_string(options.dcs),
                                "--base-port", port};
  if (options.latency_ms > 0) {
    argv.insert(argv.end(), {"--latency-ms", std::to_string(options.latency_ms)});
  }
  if (options.zone != "sharding") {
    argv.insert(argv.end(), {"--zone", options.zone, "--writer", options.writer});
  }
  std::unique_ptr<Sandbox> sandbox(new Sandbox(options));
  CommandOutput up = RunCommand(argv);
  if (up.exit_code != 0) {
    return Status::Unavailable("sandbox/up failed (exit " + std::to_string(up.exit_code) +
                               "): " + up.err + up.out);
  }
  sandbox->topology_path_ = LastLine(up.out);
  auto topology = LoadTopology(sandbox->topology_path_);
  if (!topology.ok()) return topology.status();
  sandbox->topology_ = std::move(*topology);
  return sandbox;
}

Sandbox::~Sandbox() {
  RunCommand({SandboxScript("down"), "--base-port", std::to_string(options_.base_port)});
}

int Sandbox::ServerPid(int k) const {
  const std::string dir = topology_path_.substr(0, topology_path_.rfind('/'));
  std::ifstream in(dir + "/dc" + std::to_string(k) + "/mariadbd.pid");
  int pid = -1;
  if (!(in >> pid)) return -1;
  return pid;
}

Result<std::unique_ptr<Connection>> Sandbox::Connect(int k) const {
  if (k < 1 || k > static_cast<int>(topology_.dcs.size())) {
    return Status::InvalidArgument("no DC " + std::to_string(k));
  }
  return Connection::Open(topology_.dcs[static_cast<size_t>(k - 1)], "");
}

Status Sandbox::WaitForReplication(double timeout_s) const {
  std::vector<std::unique_ptr<Connection>> conns;
  for (int k = 1; k <= dcs(); ++k) {
    LOCKSTEP_ASSIGN_OR_RETURN(auto c, Connect(k));
    conns.push_back(std::move(c));
  }
  for (auto& src : conns) {
    LOCKSTEP_ASSIGN_OR_RETURN(auto domain, src->QueryValue("SELECT @@gtid_domain_id"));
    LOCKSTEP_ASSIGN_OR_RETURN(auto pos, src->QueryValue("SELECT @@gtid_binlog_pos"));
    const std::string gtid = GtidOfDomain(pos.value_or(""), std::stoll(domain.value_or("0")));
    if (gtid.empty()) continue;  // this DC has written nothing of its own
    for (auto& dst : conns) {
      if (dst.get() == src.get()) continue;
      LOCKSTEP_ASSIGN_OR_RETURN(
          auto waited, dst->QueryValue("SELECT MASTER_GTID_WAIT(" + sql::QuoteString(gtid) + ", " +
                                       std::to_string(timeout_s) + ")"));
      if (waited.value_or("-1") != "0") {
        return Status::Timeout(dst->dc_name() + " did not apply " + gtid + " from " +
                               src->dc_name() + " within " + std::to_string(timeout_s) + " s");
      }
    }
  }
  return Status::Ok();
}

Status Sandbox::WaitLinkRunning(int k, const std::string& link, double timeout_s) const {
  LOCKSTEP_ASSIGN_OR_RETURN(auto conn, Connect(k));
  const auto deadline = std::chrono::steady_clock::now() +
                        std::chrono::milliseconds(static_cast<int64_t>(timeout_s * 1000));
  while (std::chrono::steady_clock::now() < deadline) {
    LOCKSTEP_ASSIGN_OR_RETURN(QueryResult r, conn->Query("SHOW SLAVE " + sql::QuoteString(link) +
                                                         " STATUS"));
    if (r.Get(0, "Slave_IO_Running") == "Yes" && r.Get(0, "Slave_SQL_Running") == "Yes") {
      return Status::Ok();
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return Status::Timeout("link " + link + " of dc" + std::to_string(k) + " did not start");
}

std::optional<int> WaitForExit(int pid, int timeout_ms) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  int status = 0;
  while (std::chrono::steady_clock::now() < deadline) {
    if (::waitpid(pid, &status, WNOHANG) == pid) return status;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ::kill(pid, SIGKILL);
  ::waitpid(pid, &status, 0);
  return std::nullopt;
}

}  // namespace lockstep::testing
