// Change-applier throughput on a backlog, against the row-event rate of the
// load that produced it (issue 4: the applier must sustain at least 3x).
//
//   ninja -C build applier_throughput &&
//     build/tests/applier_throughput [ROWS] [SECONDS] [SESSIONS] [READ_COALESCE_MS]
//
// Starts a 1-DC sandbox, prepares sbtest1 with ROWS rows (default 200000),
// notes the binlog position, runs sysbench oltp_write_only with 4 threads for
// SECONDS (default 20) and counts the row events it wrote; then starts
// lockstep's applier (on SESSIONS sessions, default 2; READ_COALESCE_MS, default
// ApplierLoopOptions') at the noted position
// against a shadow table (a copy of sbtest1 as it was) and times how long it
// takes to apply the whole backlog.
// Prints both rates and their ratio: a figure, not a test.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "executor/apply/applier_loop.h"
#include "planner/sql/create_table_parser.h"
#include "support/sandbox.h"

namespace lockstep {
namespace {

using SteadyClock = std::chrono::steady_clock;

int Fail(const std::string& what) {
  std::fprintf(stderr, "applier_throughput: %s\n", what.c_str());
  return 1;
}

}  // namespace
}  // namespace lockstep

int main(int argc, char** argv) {
  using namespace lockstep;
  using namespace lockstep::testing;
  const int rows = argc > 1 ? std::atoi(argv[1]) : 200000;
  const int seconds = argc > 2 ? std::atoi(argv[2]) : 20;
  const int session_count = argc > 3 ? std::atoi(argv[3]) : 2;
  const int64_t read_coalesce_ms =
      argc > 4 ? std::atoll(argv[4]) : ApplierLoopOptions{}.read_coalesce_ms;
  const std::string port = std::to_string(LOCKSTEP_BENCH_BASE_PORT);
  auto sandbox = Sandbox::Start(SandboxOptions::Mesh(1, LOCKSTEP_BENCH_BASE_PORT));
  if (!sandbox.ok()) return Fail(sandbox.status().ToString());
  const std::string load = std::string(LOCKSTEP_SOURCE_DIR) + "/sandbox/load";
  CommandOutput prepared = RunCommand({load, "--base-port", port, "--table-size",
                                       std::to_string(rows), "prepare"});
  if (prepared.exit_code != 0) return Fail("prepare: " + prepared.err);
  auto conn = (*sandbox)->Connect(1);
  if (!conn.ok()) return Fail(conn.status().ToString());
  Connection& c = **conn;
  // The shadow starts as the table was when the backlog began.
  for (const char* stmt : {"CREATE TABLE sbtest._sbtest1_new LIKE sbtest.sbtest1",
                           "INSERT INTO sbtest._sbtest1_new SELECT * FROM sbtest.sbtest1"}) {
    if (Status s = c.Execute(stmt); !s.ok()) return Fail(s.ToString());
  }
  const std::string start = c.QueryValue("SELECT @@gtid_binlog_pos")->value_or("");
  std::printf("running sysbench oltp_write_only, 4 threads, %d s...\n", seconds);
  CommandOutput ran = RunCommand({load, "--base-port", port, "--threads", "4", "--time",
                                  std::to_string(seconds), "run"});
  if (ran.exit_code != 0) return Fail("run: " + ran.err);
  const std::string end = c.QueryValue("SELECT @@gtid_binlog_pos")->value_or("");

  auto def = [&](const char* table) {
    auto r = c.Query(std::string("SHOW CREATE TABLE sbtest.") + table);
    return sql::ParseCreateTable(*r->rows[0][1]);
  };
  auto source = def("sbtest1");
  auto shadow = def("_sbtest1_new");
  if (!source.ok() || !shadow.ok()) return Fail("cannot read the table definitions");
  auto mapping = RowImageMapping::Build(*source, *shadow, {});
  if (!mapping.ok()) return Fail(mapping.status().ToString());
  ApplierLoopOptions options;
  options.dc = (*sandbox)->topology().dcs[0];
  options.replica_server_id = 4243;
  options.start_position = start;
  options.read_coalesce_ms = read_coalesce_ms;
  std::vector<std::unique_ptr<Connection>> sessions;
  for (int i = 0; i < session_count; ++i) {
    auto session = (*sandbox)->Connect(1);
    if (!session.ok()) return Fail(session.status().ToString());
    sessions.push_back(std::move(*session));
  }
  const auto t0 = SteadyClock::now();
  auto applier = ApplierLoop::Start(options, std::move(sessions),
                                    {"sbtest", "sbtest1", "_sbtest1_new"}, *mapping);
  if (!applier.ok()) return Fail(applier.status().ToString());
  if (Status s = (*applier)->WaitApplied(end, 600000); !s.ok()) return Fail(s.ToString());
  const double apply_s = std::chrono::duration<double>(SteadyClock::now() - t0).count();
  const double events = static_cast<double>((*applier)->row_events());
  (*applier)->Stop();

  const double load_rate = events / seconds;
  const double apply_rate = events / apply_s;
  std::printf("load:    %.0f row events in %d s = %.0f row events/s (sysbench: %s)\n", events,
              seconds, load_rate, ran.out.substr(ran.out.find("transactions:"), 60).c_str());
  std::printf("applier: %.0f row events in %.2f s = %.0f row events/s (%llu transactions)\n",
              events, apply_s, apply_rate,
              static_cast<unsigned long long>((*applier)->transactions_seen()));
  std::printf("ratio:   %.1fx the load's rate (target >= 3x)\n", apply_rate / load_rate);
  auto same = c.QueryValue(
      "SELECT (SELECT COUNT(*) FROM sbtest.sbtest1) = (SELECT COUNT(*) FROM sbtest._sbtest1_new)");
  std::printf("shadow row count equals the table's: %s\n",
              same.ok() && same->value_or("") == "1" ? "yes" : "NO");
  return 0;
}
