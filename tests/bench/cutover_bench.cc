// The multi-DC cut-over's figures, on a 3-DC sandbox whose DRC links run
// through delaying proxies (LATENCY_MS each way), with writes in every DC
// (each DC on its own keys, changing t and an oracle twin in one transaction):
//
//   window  RUNS migrations (`lockstep run --strategy copy --alter "ADD COLUMN
//           e INT"`): per DC the time writes to t were blocked, from lockstep's
//           report and from a probe statement outside it; the skew between the
//           first and last rename, from the report and from pollers that watch
//           each DC for the new column; each run ends equal to the oracle in
//           every DC, the DCs equal, every link running.
//   crash   one migration killed (SIGKILL) KILLS times: at random moments 1-5 s
//           into each run (they land in the copy), then at failpoints in the
//           checksum, at ready and in the cut-over, in their order; resumed
//           after each kill.
//   pacing  dc3 loaded alone (LOAD_THREADS writers more): the spread of the
//           DCs' copy progress when the first DC finishes its copy, paced as
//           by default (max_copy_lead_pct 10) and not paced (100).
//   rss     lockstep's peak RSS for a 3-DC migration of RSS_SMALL and RSS_LARGE
//           rows (no load).
//
//   ninja -C build cutover_bench lockstep && build/tests/cutover_bench
//   (sandbox/bench/cutover runs it, and the fault tests over the same links)
//
// Environment: PARTS=window,crash,pacing,rss RUNS=5 ROWS=100000 KILLS=20
// CRASH_ROWS=600000 PACE_ROWS=300000 LOAD_THREADS=6 RSS_SMALL=200000
// RSS_LARGE=2000000 LATENCY_MS=30 WRITER_PAUSE_MS=1 SEED=1.
// Prints figures; asserts nothing but says FAILED when a run loses a row.
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "db/sql.h"
#include "state/state_store.h"
#include "support/oracle.h"
#include "support/sandbox.h"

namespace lockstep::testing {
namespace {

using Steady = std::chrono::steady_clock;
constexpr int kDcs = 3;

int EnvInt(const char* name, int fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::atoi(v) : fallback;
}
std::string EnvText(const char* name, const std::string& fallback) {
  const char* v = std::getenv(name);
  return v && *v ? v : fallback;
}
int64_t MsSince(Steady::time_point t0, Steady::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t - t0).count();
}

// p50 and max of `v` as "p50 X, max Y".
std::string P50Max(std::vector<int64_t> v) {
  if (v.empty()) return "-";
  std::sort(v.begin(), v.end());
  return "p50 " + std::to_string(v[(v.size() - 1) / 2]) + " ms, max " + std::to_string(v.back()) + " ms";
}

// The numbers that follow `"key":` in `json`, in order.
std::vector<int64_t> JsonNumbers(const std::string& json, const std::string& key) {
  std::vector<int64_t> out;
  const std::string needle = "\"" + key + "\":";
  for (size_t at = json.find(needle); at != std::string::npos; at = json.find(needle, at + 1)) {
    out.push_back(std::atoll(json.c_str() + at + needle.size()));
  }
  return out;
}

class Bench {
 public:
  explicit Bench(Sandbox& sandbox) : sandbox_(sandbox) {}

  // bench.<table> and bench.oracle with `rows` rows, in every DC.
  bool CreateTable(const std::string& table, int rows) {
    auto c = sandbox_.Connect(1);
    if (!c.ok()) return Say("connect: " + c.status().ToString());
    (void)(*c)->Execute("CREATE DATABASE IF NOT EXISTS bench");
    (void)(*c)->Execute("DROP TABLE IF EXISTS bench.oracle");
    if (Status s = CreateTableAndOracle(**c, "bench", table, rows); !s.ok()) return Say(s.ToString());
    return sandbox_.WaitForReplication(120).ok();
  }

  std::vector<std::unique_ptr<OracleWriters>> Writers(const std::string& table, int rows, int threads,
                                                      int pause_ms) {
    std::vector<std::unique_ptr<OracleWriters>> w;
    for (int k = 1; k <= kDcs; ++k) {
      w.push_back(std::make_unique<OracleWriters>(sandbox_, "bench", table, rows, threads,
                                                  WriterOptions{k, kDcs, pause_ms}));
    }
    return w;
  }

  // After the writers stopped: every DC equals the oracle, the DCs equal
  // each other, every link runs, the new column is there. "" when so.
  std::string Check(const std::string& table) {
    std::string wrong = CheckEveryDc(sandbox_, "bench", table);
    for (int k = 1; k <= kDcs; ++k) {
      auto c = sandbox_.Connect(k);
      if (!c.ok() || !(*c)->Query("SELECT e FROM bench." + table + " LIMIT 0").ok()) {
        wrong += "dc" + std::to_string(k) + " has no column e\n";
      }
    }
    return wrong;
  }

  std::unique_ptr<StateStore> Store() {
    auto s = StateStore::Open(sandbox_.topology().state_db_path);
    return s.ok() ? std::move(*s) : nullptr;
  }

  std::optional<CutoverAttempt> LastAttempt(const std::string& table) {
    auto store = Store();
    if (!store) return std::nullopt;
    MigrationFilter f;
    f.table_name = table;
    auto m = store->ListMigrations(f);
    if (!m.ok() || m->empty()) return std::nullopt;
    auto a = store->ListCutoverAttempts(m->front().id);
    if (!a.ok() || a->empty()) return std::nullopt;
    return a->back();
  }

  std::vector<std::string> RunArgs(const std::string& verb, const std::string& table,
                                   const std::string& config = "") {
    std::vector<std::string> a{verb, "--config", config.empty() ? sandbox_.topology_path() : config,
                               "--table", "bench." + table,
                               "--alter", "ADD COLUMN e INT"};
    if (verb == "run") a.insert(a.end(), {"--strategy", "copy"});
    a.push_back("--yes");
    return a;
  }

  static bool Say(const std::string& what) {
    std::printf("  %s\n", what.c_str());
    std::fflush(stdout);
    return false;
  }

 private:
  Sandbox& sandbox_;
};

// Outside lockstep, in every DC: when the new column first answers, and the
// longest a one-statement write to t waited.
class Watchers {
 public:
  Watchers(Sandbox& sandbox, const std::string& table) {
    for (int k = 1; k <= kDcs; ++k) {
      threads_.emplace_back([this, &sandbox, table, k] { WatchSchema(sandbox, table, k); });
      threads_.emplace_back([this, &sandbox, table, k] { ProbeWrites(sandbox, table, k); });
    }
  }
  ~Watchers() { Stop(); }
  void Stop() {
    stop_ = true;
    for (auto& t : threads_) {
      if (t.joinable()) t.join();
    }
  }
  // Between the first and the last DC to show the new column.
  std::optional<int64_t> SkewMs() const {
    Steady::time_point lo = Steady::time_point::max(), hi = Steady::time_point::min();
    for (int k = 0; k < kDcs; ++k) {
      if (!seen_[k]) return std::nullopt;
      lo = std::min(lo, *seen_[k]);
      hi = std::max(hi, *seen_[k]);
    }
    return MsSince(lo, hi);
  }
  int64_t LongestWriteMs(int k) const { return longest_write_ms_[k - 1].load(); }

 private:
  void WatchSchema(Sandbox& sandbox, const std::string& table, int k) {
    auto c = sandbox.Connect(k);
    if (!c.ok()) return;
    while (!stop_) {
      if ((*c)->Query("SELECT e FROM bench." + table + " LIMIT 0").ok()) {
        seen_[k - 1] = Steady::now();
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }
  // Writes nothing (no row has id 0) but waits for t's locks as any write does.
  void ProbeWrites(Sandbox& sandbox, const std::string& table, int k) {
    auto c = sandbox.Connect(k);
    if (!c.ok()) return;
    while (!stop_) {
      const auto t0 = Steady::now();
      (void)(*c)->Execute("UPDATE bench." + table + " SET k = k WHERE id = 0");
      const int64_t took = MsSince(t0, Steady::now());
      if (took > longest_write_ms_[k - 1]) longest_write_ms_[k - 1] = took;
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  }

  std::atomic<bool> stop_{false};
  std::optional<Steady::time_point> seen_[kDcs];
  std::atomic<int64_t> longest_write_ms_[kDcs] = {};
  std::vector<std::thread> threads_;
};

void WindowRuns(Sandbox& sandbox, Bench& bench) {
  const int runs = EnvInt("RUNS", 5), rows = EnvInt("ROWS", 100000);
  const int pause = EnvInt("WRITER_PAUSE_MS", 1);
  std::printf("\n== window: %d runs, %d rows, writers in every DC (2 threads each, %d ms pause)\n", runs,
              rows, pause);
  std::vector<int64_t> blocked, probe_blocked, skew, outside_skew;
  int ok_runs = 0;
  for (int run = 1; run <= runs; ++run) {
    const std::string table = "t_window" + std::to_string(run);
    if (!bench.CreateTable(table, rows)) return;
    auto writers = bench.Writers(table, rows, 2, pause);
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    Watchers watchers(sandbox, table);
    const auto t0 = Steady::now();
    CommandOutput out = RunLockstep(bench.RunArgs("run", table));
    const int64_t took = MsSince(t0, Steady::now());
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    watchers.Stop();
    int committed = 0;
    for (auto& w : writers) {
      w->Stop();
      committed += w->committed();
    }
    const std::string wrong = out.exit_code == 0 ? bench.Check(table) : "lockstep failed:\n" + out.err;
    auto attempt = bench.LastAttempt(table);
    const std::string report = attempt ? attempt->timings_json.value_or("") : "";
    const auto blocked_ms = JsonNumbers(report, "writes_blocked_ms");
    const auto skew_ms = JsonNumbers(report, "rename_skew_ms");
    std::string line = "run " + std::to_string(run) + ": " + std::to_string(took / 1000) + " s, " +
                       std::to_string(committed) + " writer transactions, attempts " +
                       std::to_string(attempt ? attempt->attempt_no : 0) + "; writes blocked (report)";
    for (int64_t b : blocked_ms) {
      line += " " + std::to_string(b);
      blocked.push_back(b);
    }
    line += " ms; longest probe write";
    for (int k = 1; k <= kDcs; ++k) {
      line += " " + std::to_string(watchers.LongestWriteMs(k));
      probe_blocked.push_back(watchers.LongestWriteMs(k));
    }
    line += " ms; rename skew (report) " + (skew_ms.empty() ? "-" : std::to_string(skew_ms[0])) + " ms";
    if (!skew_ms.empty()) skew.push_back(skew_ms[0]);
    const auto seen = watchers.SkewMs();
    line += ", (outside) " + (seen ? std::to_string(*seen) : std::string("-")) + " ms";
    if (seen) outside_skew.push_back(*seen);
    line += wrong.empty() ? "; oracle equal in every DC" : "; FAILED: " + wrong;
    if (wrong.empty()) ++ok_runs;
    Bench::Say(line);
  }
  std::printf("window summary (%d of %d runs equal to the oracle):\n", ok_runs, runs);
  std::printf("  writes to t blocked per DC, lockstep's report: %s\n", P50Max(blocked).c_str());
  std::printf("  longest write per DC, probe outside lockstep:  %s\n", P50Max(probe_blocked).c_str());
  std::printf("  rename skew, lockstep's report:                %s\n", P50Max(skew).c_str());
  std::printf("  rename skew, new column seen from outside:     %s\n", P50Max(outside_skew).c_str());
  std::fflush(stdout);
}

// The phase lockstep's state records for bench.<table> ("-" when none).
std::string PhaseOf(Bench& bench, const std::string& table) {
  auto store = bench.Store();
  if (!store) return "-";
  auto m = store->ActiveMigrationFor("bench", table);
  if (!m.ok() || !m->has_value()) return "done";
  std::string dcs;
  auto progress = store->ListDcProgress((*m)->id);
  if (progress.ok()) {
    for (const auto& p : *progress) dcs += std::string(dcs.empty() ? "" : " ") + PhaseName(p.phase);
  }
  return std::string(PhaseName((*m)->phase)) + " [" + dcs + "]";
}

void CrashLoop(Sandbox& sandbox, Bench& bench) {
  (void)sandbox;
  const int kills = EnvInt("KILLS", 20), rows = EnvInt("CRASH_ROWS", 600000);
  std::printf("\n== crash: one migration of %d rows under writes, killed %d times\n", rows, kills);
  const std::string table = "t_crash";
  if (!bench.CreateTable(table, rows)) return;
  auto writers = bench.Writers(table, rows, 1, EnvInt("WRITER_PAUSE_MS", 1));
  std::mt19937 rng(static_cast<unsigned>(EnvInt("SEED", 1)));
  // The last kills at failpoints of the checksum and the cut-over, in their
  // order (each fires only if the run gets there); the others at a random
  // time into a run.
  const std::vector<std::string> failpoints = {
      "before_deferred_indexes@dc2", "after_checksum_progress@dc3", "after_verified@dc1",
      "after_cutover_prepared",      "after_commit_recorded",       "after_rename@dc1"};
  const int random_kills = std::max(0, kills - static_cast<int>(failpoints.size()));
  std::map<std::string, int> killed_in;
  int done = 0;
  for (int kill = 1; kill <= kills; ++kill) {
    const std::string verb = kill == 1 ? "run" : "resume";
    std::vector<std::string> env;
    std::string how;
    if (kill > random_kills) {
      how = "failpoint " + failpoints[kill - random_kills - 1];
      env.push_back("LOCKSTEP_FAILPOINT=" + failpoints[kill - random_kills - 1]);
    }
    const int pid = SpawnLockstep(bench.RunArgs(verb, table), env);
    const int after_ms = 1000 + static_cast<int>(rng() % 4000);
    std::optional<int> status;
    if (env.empty()) {
      status = WaitForExit(pid, after_ms);  // nullopt: still running, killed there
      if (!status) how = "SIGKILL " + std::to_string(after_ms) + " ms into the run";
    } else {
      status = WaitForExit(pid, 300000);
    }
    const std::string phase = PhaseOf(bench, table);
    if (status && WIFEXITED(*status)) {
      Bench::Say("run " + std::to_string(kill) + ": lockstep " + verb + " ended by itself (exit " +
                 std::to_string(WEXITSTATUS(*status)) + ") in " + phase);
      if (phase.rfind("cut_over", 0) == 0 || phase == "done") break;
      continue;
    }
    ++done;
    ++killed_in[phase.substr(0, phase.find(' '))];
    Bench::Say("kill " + std::to_string(done) + " (" + how + "): " + phase);
  }
  if (PhaseOf(bench, table).rfind("cut_over", 0) != 0) {
    CommandOutput last = RunLockstep(bench.RunArgs("resume", table));
    if (last.exit_code != 0) {
      Bench::Say("the last resume failed: " + last.err.substr(last.err.size() > 2000 ? last.err.size() - 2000 : 0));
    }
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  for (auto& w : writers) w->Stop();
  std::string where;
  for (const auto& [phase, n] : killed_in) where += " " + phase + " " + std::to_string(n);
  const std::string wrong = bench.Check(table);
  std::printf("crash summary: %d kills (in phase:%s), ended %s; %s\n", done, where.c_str(),
              PhaseOf(bench, table).c_str(),
              wrong.empty() ? "renamed in every DC, equal to the oracle" : ("FAILED: " + wrong).c_str());
  std::fflush(stdout);
}

// The sandbox's topology with the sharding zone's max_copy_lead_pct set.
std::string TopologyWithCopyLead(Sandbox& sandbox, int lead_pct) {
  std::ifstream in(sandbox.topology_path());
  std::string text((std::istreambuf_iterator<char>(in)), {});
  const std::string section = "[budget.sharding]\n";
  text.insert(text.find(section) + section.size(), "max_copy_lead_pct = " + std::to_string(lead_pct) + "\n");
  const std::string path = sandbox.topology_path() + ".lead" + std::to_string(lead_pct) + ".ini";
  std::ofstream(path) << text;
  return path;
}

void Pacing(Sandbox& sandbox, Bench& bench, int lead_pct) {
  const int rows = EnvInt("PACE_ROWS", 300000), load = EnvInt("LOAD_THREADS", 6);
  std::printf("\n== pacing: %d rows, dc3 loaded by %d writers more, max_copy_lead_pct %d\n", rows, load,
              lead_pct);
  const std::string table = "t_pacing" + std::to_string(lead_pct);
  const std::string config = TopologyWithCopyLead(sandbox, lead_pct);
  if (!bench.CreateTable(table, rows)) return;
  auto writers = bench.Writers(table, rows, 1, 2);
  OracleWriters heavy(sandbox, "bench", table, rows, load, WriterOptions{3, kDcs, 0});
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  std::atomic<bool> finished{false};
  CommandOutput out;
  std::thread runner([&] {
    out = RunLockstep(bench.RunArgs("run", table, config));
    finished = true;
  });
  std::optional<std::map<std::string, double>> at_first_done;
  std::string first_dc;
  while (!finished) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    if (at_first_done) continue;
    auto store = bench.Store();
    if (!store) continue;
    auto m = store->ActiveMigrationFor("bench", table);
    if (!m.ok() || !m->has_value()) continue;
    auto progress = store->ListDcProgress((*m)->id);
    if (!progress.ok()) continue;
    // As the coordinator paces: rows copied against the largest estimate.
    int64_t total = 1;
    for (const auto& p : *progress) {
      total = std::max({total, p.checkpoint.rows_total_estimate, p.checkpoint.rows_copied});
    }
    std::map<std::string, double> share;
    for (const auto& p : *progress) {
      const bool copied = p.phase != Phase::kPlanned && p.phase != Phase::kShadowCreated &&
                          p.phase != Phase::kCopying;
      share[p.dc] = copied ? 1.0 : static_cast<double>(p.checkpoint.rows_copied) / static_cast<double>(total);
      if (copied && first_dc.empty()) first_dc = p.dc;
    }
    if (!first_dc.empty()) at_first_done = share;
  }
  runner.join();
  if (out.exit_code != 0) Bench::Say("lockstep run failed: " + out.out + out.err.substr(out.err.size() > 3000 ? out.err.size() - 3000 : 0));
  heavy.Stop();
  for (auto& w : writers) w->Stop();
  std::string line = "when " + first_dc + " finished its copy:";
  double lo = 1.0;
  if (at_first_done) {
    for (const auto& [dc, share] : *at_first_done) {
      char buf[64];
      std::snprintf(buf, sizeof buf, " %s %.0f%%", dc.c_str(), 100 * std::min(share, 1.0));
      line += buf;
      lo = std::min(lo, share);
    }
  }
  char spread[64];
  std::snprintf(spread, sizeof spread, "; spread %.0f%% of the table", 100 * (1.0 - lo));
  const std::string wrong = bench.Check(table);
  std::printf("pacing summary (lead %d%%): %s%s; %s\n", lead_pct, line.c_str(), spread,
              wrong.empty() ? "equal to the oracle" : ("FAILED: " + wrong).c_str());
  std::fflush(stdout);
}

void PeakRss(Bench& bench) {
  std::printf("\n== rss: lockstep's peak RSS for a 3-DC migration, no load\n");
  for (int rows : {EnvInt("RSS_SMALL", 200000), EnvInt("RSS_LARGE", 2000000)}) {
    const std::string table = "t_rss" + std::to_string(rows);
    if (!bench.CreateTable(table, rows)) return;
    const int pid = SpawnLockstep(bench.RunArgs("run", table));
    int status = 0;
    struct rusage usage {};
    const auto t0 = Steady::now();
    if (::wait4(pid, &status, 0, &usage) != pid) return;
    std::printf("  %d rows: exit %d, %lld s, peak RSS %.1f MiB\n", rows,
                WIFEXITED(status) ? WEXITSTATUS(status) : -1,
                static_cast<long long>(MsSince(t0, Steady::now()) / 1000), usage.ru_maxrss / 1024.0);
    std::fflush(stdout);
  }
}

}  // namespace
}  // namespace lockstep::testing

int main() {
  using namespace lockstep::testing;
  std::setvbuf(stdout, nullptr, _IOLBF, 0);  // progress as it comes, also into a file
  const std::string parts = EnvText("PARTS", "window,crash,pacing,rss");
  SandboxOptions options = SandboxOptions::Mesh(kDcs, LOCKSTEP_BENCH_BASE_PORT);
  options.latency_ms = EnvInt("LATENCY_MS", 30);
  std::printf("cutover_bench: 3 DCs, DRC links %d ms each way, parts %s\n", options.latency_ms,
              parts.c_str());
  auto sandbox = Sandbox::Start(options);
  if (!sandbox.ok()) {
    std::fprintf(stderr, "cutover_bench: %s\n", sandbox.status().ToString().c_str());
    return 1;
  }
  Bench bench(**sandbox);
  if (parts.find("window") != std::string::npos) WindowRuns(**sandbox, bench);
  if (parts.find("crash") != std::string::npos) CrashLoop(**sandbox, bench);
  if (parts.find("pacing") != std::string::npos) {
    Pacing(**sandbox, bench, 10);   // the default
    Pacing(**sandbox, bench, 100);  // not paced: for comparison
  }
  if (parts.find("rss") != std::string::npos) PeakRss(bench);
  return 0;
}
