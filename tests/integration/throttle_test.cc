// The copy's throttle against a real server: a DRC link whose lag is unknown
// holds the copy (fail closed), the DBA's pause, resume and abort reach a
// running migration through the state database within about a second, and
// the application's rate before a migration is measured at length only when
// there is an application.
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/wait.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "common/clock.h"
#include "executor/common/sleeper.h"
#include "executor/migration/copy_throttle.h"
#include "state/state_store.h"
#include "support/oracle.h"
#include "support/sandbox_suite.h"

namespace lockstep::testing {
namespace {

constexpr int kRows = 200000;

class ThrottleTest : public SandboxSuite<1> {
 protected:
  void SetUp() override {
    SandboxSuite<1>::SetUp();
    conn_ = Dc(1);
    ASSERT_TRUE(conn_->Execute("CREATE DATABASE IF NOT EXISTS throttle").ok());
    ASSERT_TRUE(conn_->Execute("DROP TABLE IF EXISTS throttle.oracle").ok());
  }
  void TearDown() override { DropGhostLink(); }

  // A replication link to a port nothing listens on: it never connects, so
  // its lag is unknown, as a DRC link's is while it is broken.
  void AddGhostLink() {
    ASSERT_TRUE(conn_->Execute("CHANGE MASTER 'ghost' TO MASTER_HOST='127.0.0.1', MASTER_PORT=9, "
                               "MASTER_USER='nobody', MASTER_CONNECT_RETRY=1")
                    .ok());
    ASSERT_TRUE(conn_->Execute("START SLAVE 'ghost'").ok());
  }
  void DropGhostLink() {
    if (!conn_) return;
    (void)conn_->Execute("STOP SLAVE 'ghost'");
    (void)conn_->Execute("RESET SLAVE 'ghost' ALL");
  }

  // Holds the copy in its first chunks: waits for `_<table>_new` to be made
  // (lockstep creates it LIKE the table, ALTERs it, then drops the keys it
  // adds after the copy: locked in between, an ALTER would wait for the lock
  // and the copy never start) and write-locks it from a session of the
  // test's own. The plan refuses to
  // start with a broken link, so the link is broken only once the copy is
  // held; UNLOCK TABLES lets the chunk in flight finish into the throttle.
  std::unique_ptr<Connection> HoldShadow(const std::string& table) {
    auto holder = Dc(1);
    const std::string shadow = "_" + table + "_new";
    // Made: the new column is there and the key kk is not.
    for (int i = 0; i < 30000; ++i) {
      auto found = holder->QueryValue(
          "SELECT (SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA='throttle' "
          "AND TABLE_NAME='" + shadow + "' AND COLUMN_NAME='note') - (SELECT COUNT(*) FROM "
          "information_schema.STATISTICS WHERE TABLE_SCHEMA='throttle' AND TABLE_NAME='" +
          shadow + "' AND INDEX_NAME='kk')");
      if (found.ok() && found->value_or("0") == "1") break;
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    EXPECT_TRUE(holder->Execute("LOCK TABLES throttle.`" + shadow + "` WRITE").ok());
    return holder;
  }

  std::vector<std::string> RunArgs(const std::string& table) {
    return {"run", "--config", sandbox_->topology_path(), "--table", "throttle." + table,
            "--alter", "ADD COLUMN note VARCHAR(32) DEFAULT 'n'", "--strategy", "copy", "--yes"};
  }

  static std::unique_ptr<StateStore> Store() {
    auto store = StateStore::Open(sandbox_->topology().state_db_path);
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    return store.ok() ? std::move(*store) : nullptr;
  }

  // The table's unfinished migration once it is in `phase`, or nullopt.
  static std::optional<MigrationRecord> WaitForPhase(const std::string& table, Phase phase,
                                                     int timeout_ms) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    while (std::chrono::steady_clock::now() < deadline) {
      if (auto store = StateStore::Open(sandbox_->topology().state_db_path); store.ok()) {
        auto m = (*store)->ActiveMigrationFor("throttle", table);
        if (m.ok() && m->has_value() && (*m)->phase == phase) return **m;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return std::nullopt;
  }

  static int64_t RowsCopied(int64_t id) {
    auto store = Store();
    auto progress = store ? store->GetDcProgress(id, "dc1") : Status::Internal("no store");
    return progress.ok() ? progress->checkpoint.rows_copied : -1;
  }

  static void Enqueue(int64_t id, OperatorCommandKind kind) {
    auto store = Store();
    ASSERT_NE(store, nullptr);
    OperatorCommand c;
    c.migration_id = id;
    c.command = kind;
    c.actor = "dba@test";
    c.reason = "throttle_test";
    auto queued = store->EnqueueOperatorCommand(c);
    ASSERT_TRUE(queued.ok()) << queued.status().ToString();
  }

  std::unique_ptr<Connection> conn_;
};

TEST_F(ThrottleTest, AnUnknownLinkLagHoldsTheCopyAndPauseOutlastsIt) {
  const std::string table = "t_pause";
  ASSERT_TRUE(CreateTableAndOracle(*conn_, "throttle", table, kRows).ok());
  OracleWriters writers(*sandbox_, "throttle", table, kRows, 2);
  const int pid = SpawnLockstep(RunArgs(table));
  ASSERT_GT(pid, 0);
  auto holder = HoldShadow(table);
  auto migration = WaitForPhase(table, Phase::kCopying, 60000);
  ASSERT_TRUE(migration.has_value()) << "the run never started copying";
  AddGhostLink();
  // The throttle looks at the links once a second. Held for longer than that,
  // its next look, after the chunk the lock holds, sees the broken link: only
  // the chunks in flight may land, however fast this machine copies.
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  ASSERT_TRUE(holder->Execute("UNLOCK TABLES").ok());
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  const int64_t held_at = RowsCopied(migration->id);
  ASSERT_LT(held_at, kRows / 2) << "the copy got too far before it was held";
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  EXPECT_EQ(RowsCopied(migration->id), held_at) << "copied while a link's lag was unknown";

  // Paused while held: clearing the link must not let the copy go.
  Enqueue(migration->id, OperatorCommandKind::kPause);
  std::this_thread::sleep_for(std::chrono::milliseconds(1200));
  DropGhostLink();
  std::this_thread::sleep_for(std::chrono::milliseconds(2000));
  EXPECT_EQ(RowsCopied(migration->id), held_at) << "copied while paused";
  auto store = Store();
  ASSERT_NE(store, nullptr);
  EXPECT_TRUE(store->GetMigration(migration->id)->paused);
  EXPECT_EQ(::waitpid(pid, nullptr, WNOHANG), 0) << "lockstep exited while paused";

  Enqueue(migration->id, OperatorCommandKind::kResume);
  const std::optional<int> status = WaitForExit(pid, 120000);
  writers.Stop();
  ASSERT_TRUE(status && WIFEXITED(*status)) << "lockstep did not finish";
  EXPECT_EQ(WEXITSTATUS(*status), 0);
  EXPECT_FALSE(Store()->GetMigration(migration->id)->paused);
  EXPECT_EQ(DiffAgainstOracle(*conn_, "throttle", table), "")
      << writers.committed() << " writer transactions";
  ASSERT_TRUE(conn_->Execute("DROP TABLE throttle.oracle").ok());
}

TEST_F(ThrottleTest, AnAbortStopsTheRunAtTheNextChunk) {
  const std::string table = "t_abort";
  ASSERT_TRUE(CreateTableAndOracle(*conn_, "throttle", table, kRows).ok());
  const int pid = SpawnLockstep(RunArgs(table));
  ASSERT_GT(pid, 0);
  auto holder = HoldShadow(table);
  auto migration = WaitForPhase(table, Phase::kCopying, 60000);
  ASSERT_TRUE(migration.has_value()) << "the run never started copying";
  AddGhostLink();  // holds the copy, so that the abort meets a copy in flight
  ASSERT_TRUE(holder->Execute("UNLOCK TABLES").ok());
  const auto asked = std::chrono::steady_clock::now();
  CommandOutput queued = RunLockstep({"abort", "--config", sandbox_->topology_path(), "--id",
                                      std::to_string(migration->id), "--reason", "throttle_test"});
  ASSERT_EQ(queued.exit_code, 0) << queued.out << queued.err;
  const std::optional<int> status = WaitForExit(pid, 30000);
  const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::steady_clock::now() - asked)
                        .count();
  ASSERT_TRUE(status && WIFEXITED(*status)) << "lockstep did not stop";
  EXPECT_NE(WEXITSTATUS(*status), 0);
  EXPECT_LT(took, 5000) << "an abort must be picked up within about a second";
  auto events = Store()->ListEvents(migration->id);
  ASSERT_TRUE(events.ok());
  bool logged = false;
  for (const auto& e : *events) {
    logged |= e.event.message.find("throttle_test") != std::string::npos ||
              e.event.reason == "throttle_test";
  }
  EXPECT_TRUE(logged) << "the stop names the operator and the reason";
  EXPECT_EQ(Store()->GetMigration(migration->id)->phase, Phase::kAborted);
  auto shadow = conn_->QueryValue(
      "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA='throttle' AND "
      "TABLE_NAME='_" + table + "_new'");
  ASSERT_TRUE(shadow.ok());
  EXPECT_EQ(shadow->value_or(""), "0") << "the runner cleans up after itself";
  EXPECT_EQ(DiffAgainstOracle(*conn_, "throttle", table), "") << "t must be untouched";
  ASSERT_TRUE(conn_->Execute("DROP TABLE throttle.oracle").ok());
}

TEST_F(ThrottleTest, TheRateBeforeIsMeasuredAtLengthOnlyOnABusyServer) {
  CopyThrottleConfig config;
  config.measure_before_ms = 300;
  config.measure_before_busy_ms = 1500;
  auto measure = [&] {
    auto probe = Dc(1);
    return CopyThrottle::MeasureRateBefore(*probe, SystemClock::Instance(),
                                           executor::RealSleeper::Instance(), config);
  };
  auto quiet = measure();
  ASSERT_TRUE(quiet.ok()) << quiet.status().ToString();
  EXPECT_GE(quiet->ms, 300);
  EXPECT_LT(quiet->ms, 1000) << "a quiet server is known after measure_before_ms";

  // An application: a session asking as fast as it can.
  std::atomic<bool> stop{false};
  std::atomic<int64_t> asked{0};
  auto session = Dc(1);
  ASSERT_NE(session, nullptr);
  std::thread app([&] {
    while (!stop) {
      if (!session->QueryValue("SELECT 1").ok()) return;
      ++asked;
    }
  });
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (asked < 100 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  auto busy = measure();
  stop = true;
  app.join();
  ASSERT_GE(asked.load(), 100) << "the application's session did not get going";
  ASSERT_TRUE(busy.ok()) << busy.status().ToString();
  EXPECT_GE(busy->ms, 1500) << "a busy server is measured for measure_before_busy_ms";
  EXPECT_LT(busy->ms, 3000);
  EXPECT_GE(1000.0 * static_cast<double>(busy->statements) / static_cast<double>(busy->ms),
            config.governor.busy_statements_per_s);
}

}  // namespace
}  // namespace lockstep::testing
