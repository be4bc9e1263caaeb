// The single-DC cut-over against a real sandbox: no write lost under
// concurrent writers, a long transaction makes it fail fast with the table
// writable, abort releases, AUTO_INCREMENT is never lowered.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <random>
#include <cstdlib>
#include <thread>

#include "db/server_errors.h"
#include "db/sql.h"
#include "executor/copy/row_copier.h"
#include "executor/cutover/background_statement.h"
#include "executor/cutover/cutover_session.h"
#include "executor/shadow/shadow_table.h"
#include "planner/sql/statement_parser.h"
#include "support/executor_fakes.h"
#include "support/sandbox.h"
#include "support/sandbox_environment.h"

namespace lockstep::testing {
namespace {

using executor::CutoverConfig;
using executor::CutoverSession;
using executor::CutoverState;

constexpr const char* kSchema = "cuttest";

int64_t MillisSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start)
      .count();
}

const auto* const kEnvironment = ::testing::AddGlobalTestEnvironment(new SandboxEnvironment(1));

class CutoverTest : public ::testing::Test {
 protected:
  void SetUp() override {
    sandbox_ = SandboxEnvironment::Get();
    ASSERT_NE(sandbox_, nullptr);
    conn_ = Connect();
    Exec(std::string("CREATE DATABASE IF NOT EXISTS ") + kSchema);
    Exec(std::string("USE ") + kSchema);
    table_ = std::string("t_") + ::testing::UnitTest::GetInstance()->current_test_info()->name();
  }

  std::unique_ptr<Connection> Connect() {
    auto c = sandbox_->Connect(1);
    EXPECT_TRUE(c.ok()) << c.status().ToString();
    return c.ok() ? std::move(*c) : nullptr;
  }
  void Exec(const std::string& stmt) {
    Status s = conn_->Execute(stmt);
    ASSERT_TRUE(s.ok()) << s.ToString();
  }
  std::string Value(const std::string& query) {
    auto v = conn_->QueryValue(query);
    EXPECT_TRUE(v.ok()) << v.status().ToString();
    return v.ok() ? v->value_or("NULL") : "";
  }
  std::string Q(const std::string& table) const { return sql::QualifiedName(kSchema, table); }
  std::string T() const { return Q(table_); }

  // Creates the shadow with `clauses` and copies t into it.
  void ShadowAndCopy(const std::string& clauses) {
    auto alter = sql::ParseAlterTable("ALTER TABLE " + T() + " " + clauses);
    ASSERT_TRUE(alter.ok()) << alter.status().ToString();
    auto spec = executor::ShadowSpecFromAlter(*alter, kSchema);
    ASSERT_TRUE(spec.ok()) << spec.status().ToString();
    executor::ShadowTable shadow(*conn_, recorder_, *spec);
    auto info = shadow.Ensure();
    ASSERT_TRUE(info.ok()) << info.status().ToString();
    info_ = *info;
    auto conn = Connect();
    executor::NoThrottle throttle;
    CollectingCopyObserver observer;
    executor::RowCopier copier(*conn, info_, throttle, observer, SystemClock::Instance(),
                               executor::RealSleeper::Instance());
    auto out = copier.Run(std::nullopt);
    ASSERT_TRUE(out.ok()) << out.status().ToString();
  }

  std::unique_ptr<CutoverSession> Session(executor::ApplierDrain& drain, int64_t lock_wait_ms = 500) {
    CutoverConfig config;
    config.lock_wait_ms = lock_wait_ms;
    return Session(drain, config);
  }
  // `config` with the test's table.
  std::unique_ptr<CutoverSession> Session(executor::ApplierDrain& drain, CutoverConfig config) {
    config.schema = kSchema;
    config.table = table_;
    witnesses_.push_back(std::make_unique<executor::BinlogRenameWitness>(
        sandbox_->topology().dcs[0], "", 0x4C5F0000u + static_cast<uint32_t>(witnesses_.size()), kSchema,
        table_));
    return std::make_unique<CutoverSession>(factory_, sandbox_->topology().dcs[0], recorder_, drain,
                                            *witnesses_.back(), SystemClock::Instance(),
                                            executor::RealSleeper::Instance(), config);
  }

  // t with 1000 rows, copied to _t_new, and a session whose open transaction
  // has read _t_new (it holds _t_new's metadata lock until it ends); null
  // when a step failed.
  std::unique_ptr<Connection> ShadowReadInAnOpenTransaction() {
    Exec("CREATE TABLE " + T() + " (id BIGINT PRIMARY KEY, v INT)");
    Exec("INSERT INTO " + T() + " SELECT seq, seq FROM seq_1_to_1000");
    ShadowAndCopy("ADD COLUMN extra INT");
    auto reader = Connect();
    if (!reader->Execute("START TRANSACTION").ok() ||
        !reader->Query("SELECT COUNT(*) FROM " + Q(info_.shadow_table)).ok()) {
      return nullptr;
    }
    return reader;
  }

  // An insert into t from a fresh session that waits at most 1 s for locks.
  Status TryInsert(int64_t id) {
    auto c = Connect();
    LOCKSTEP_RETURN_IF_ERROR(c->Execute("SET SESSION lock_wait_timeout = 1"));
    return c->Execute("INSERT INTO " + T() + " (id, v) VALUES (" + std::to_string(id) + ", 0)");
  }

  Sandbox* sandbox_ = nullptr;
  std::unique_ptr<Connection> conn_;
  std::string table_;
  MemoryArtifactRecorder recorder_;
  MariaDbConnectionFactory factory_;
  executor::ShadowTableInfo info_;
  std::vector<std::unique_ptr<executor::BinlogRenameWitness>> witnesses_;
  FunctionDrain drain_ok_;
};

struct WriterStats {
  int64_t committed = 0;
  int64_t failed = 0;
  int64_t max_latency_ms = 0;
};

// Application writer: each transaction writes a row to t and the same row to
// a ledger table, so the ledger holds exactly the committed writes.
void LedgerWriter(Sandbox* sandbox, std::string t, std::string ledger, int64_t first_id,
                  std::atomic<bool>* stop, WriterStats* stats) {
  auto c = sandbox->Connect(1);
  if (!c.ok()) return;
  Connection& conn = **c;
  for (int64_t id = first_id; !stop->load(); ++id) {
    const auto start = std::chrono::steady_clock::now();
    const std::string values = " (id, v, w) VALUES (" + std::to_string(id) + ", " +
                               std::to_string(id % 1000) + ", 1)";
    Status st = conn.Execute("START TRANSACTION");
    if (st.ok()) st = conn.Execute("INSERT INTO " + t + values);
    if (st.ok()) st = conn.Execute("INSERT INTO " + ledger + values);
    if (st.ok()) st = conn.Execute("COMMIT");
    if (st.ok()) {
      ++stats->committed;
    } else {
      ++stats->failed;
      (void)conn.Execute("ROLLBACK");
    }
    stats->max_latency_ms = std::max(stats->max_latency_ms, MillisSince(start));
  }
}

// t and its ledger under four LedgerWriters, t's shadow copied, and an
// applier stand-in that copies the ledger into the shadow: after a cut-over
// that lost nothing, t and the ledger hold the same rows.
class LedgerRound {
 public:
  LedgerRound(CutoverTest* test, Sandbox* sandbox, std::string t, std::string ledger,
              std::string shadow, std::unique_ptr<Connection> applier)
      : ledger_(std::move(ledger)), shadow_(std::move(shadow)), applier_(std::move(applier)),
        drain_([this](const std::string&) {
          return applier_->Execute("INSERT IGNORE INTO " + shadow_ + " (id, v, w) SELECT id, v, w FROM " +
                                   ledger_);
        }) {
    (void)test;
    for (int w = 0; w < 4; ++w) {
      writers_.emplace_back(LedgerWriter, sandbox, t, ledger_, int64_t{1'000'000} * (w + 1), &stop_,
                            &stats_[static_cast<size_t>(w)]);
    }
  }
  ~LedgerRound() { Stop(); }
  executor::ApplierDrain& drain() { return drain_; }
  void Stop() {
    stop_ = true;
    for (auto& w : writers_) w.join();
    writers_.clear();
  }
  int64_t committed() const {
    int64_t n = 0;
    for (const auto& s : stats_) n += s.committed;
    return n;
  }

 private:
  std::string ledger_;
  std::string shadow_;
  std::unique_ptr<Connection> applier_;
  FunctionDrain drain_;
  std::atomic<bool> stop_{false};
  WriterStats stats_[4];
  std::vector<std::thread> writers_;
};

TEST_F(CutoverTest, ConcurrentWritersLoseNothingAndItTakesUnderASecond) {
  const std::string base = table_;
  for (int round = 0; round < 3; ++round) {
    table_ = base + std::to_string(round);
    const std::string ledger = Q("ledger_" + std::to_string(round));
    Exec("CREATE TABLE " + T() + " (id BIGINT PRIMARY KEY, v INT, w INT)");
    Exec("CREATE TABLE " + ledger + " (id BIGINT PRIMARY KEY, v INT, w INT)");
    Exec("INSERT INTO " + T() + " SELECT seq, seq % 1000, 0 FROM seq_1_to_20000");
    Exec("INSERT INTO " + ledger + " SELECT * FROM " + T());
    ShadowAndCopy("ADD COLUMN extra INT NOT NULL DEFAULT 0, ADD INDEX iv (v)");

    std::atomic<bool> stop{false};
    std::vector<WriterStats> stats(4);
    std::vector<std::thread> writers;
    for (int w = 0; w < 4; ++w) {
      writers.emplace_back(LedgerWriter, sandbox_, T(), ledger, int64_t{1'000'000} * (w + 1), &stop,
                           &stats[static_cast<size_t>(w)]);
    }
    // The applier stand-in: every committed write is in the ledger.
    auto applier = Connect();
    FunctionDrain drain([&](const std::string&) {
      return applier->Execute("INSERT IGNORE INTO " + Q(info_.shadow_table) +
                              " (id, v, w) SELECT id, v, w FROM " + ledger);
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(300));

    Status result = Status::Internal("no attempt");
    int64_t elapsed_ms = 0;
    executor::CutoverReport report;
    for (int attempt = 0; attempt < 5 && !result.ok(); ++attempt) {
      auto session = Session(drain);
      const auto start = std::chrono::steady_clock::now();
      result = session->Prepare();
      if (result.ok()) result = session->Commit();
      elapsed_ms = MillisSince(start);
      report = session->report();
      if (!result.ok()) std::printf("[ attempt  ] %s\n", result.ToString().c_str());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    stop = true;
    for (auto& w : writers) w.join();
    ASSERT_TRUE(result.ok()) << result.ToString();

    int64_t committed = 0, failed = 0, max_latency = 0;
    for (const auto& s : stats) {
      committed += s.committed;
      failed += s.failed;
      max_latency = std::max(max_latency, s.max_latency_ms);
    }
    std::printf("[ measure  ] round %d: cut-over %lld ms (lock wait %lld, drain %lld, rename queued "
                "%lld, rename %lld, writes blocked %lld); writers committed %lld, failed %lld, "
                "slowest write %lld ms\n",
                round, static_cast<long long>(elapsed_ms),
                static_cast<long long>(report.timings.lock_wait_ms),
                static_cast<long long>(report.timings.drain_ms),
                static_cast<long long>(report.timings.rename_queue_ms),
                static_cast<long long>(report.timings.rename_ms),
                static_cast<long long>(report.timings.writes_blocked_ms),
                static_cast<long long>(committed), static_cast<long long>(failed),
                static_cast<long long>(max_latency));
    EXPECT_LT(elapsed_ms, 1000);
    EXPECT_LT(report.timings.writes_blocked_ms, 1000);
    // Every committed write is in the new t; none stranded in _t_old.
    EXPECT_EQ(Value("SELECT COUNT(*) FROM " + ledger + " l LEFT JOIN " + T() +
                    " n ON n.id = l.id WHERE n.id IS NULL"), "0");
    EXPECT_EQ(Value("SELECT COUNT(*) FROM " + T()), Value("SELECT COUNT(*) FROM " + ledger));
    EXPECT_EQ(Value("SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = 'cuttest' "
                    "AND TABLE_NAME = '" + table_ + "' AND COLUMN_NAME = 'extra'"), "1");
    // Writes went on after the rename, into the new table only.
    EXPECT_NE(Value("SELECT COUNT(*) FROM " + T() + " n LEFT JOIN " + Q(info_.old_table) +
                    " o ON o.id = n.id WHERE o.id IS NULL"), "0");
    EXPECT_GT(committed, 0);
  }
}

TEST_F(CutoverTest, RenameQueuedBehindAShadowLockIsCaughtAndReleased) {
  // An open transaction that has read _t_new: the RENAME would wait for it on
  // _t_new, not on t, and an unlock then would let writes into the old t.
  auto rogue = ShadowReadInAnOpenTransaction();
  ASSERT_NE(rogue, nullptr);

  FunctionDrain drain;
  CutoverConfig config;
  config.hold_budget_ms = 800;
  auto session = Session(drain, config);
  ASSERT_TRUE(session->Prepare().ok());
  Status commit = session->Commit();
  EXPECT_TRUE(commit.IsConflict()) << commit.ToString();
  // t was held no longer than the budget.
  EXPECT_LT(session->report().timings.writes_blocked_ms, 1300);
  // The DBA is told which session it may be.
  const std::string rogue_id = rogue->QueryValue("SELECT CONNECTION_ID()")->value_or("?");
  EXPECT_NE(commit.message().find("thread " + rogue_id + ","), std::string::npos)
      << commit.ToString();
  EXPECT_EQ(session->state(), CutoverState::kAborted);
  EXPECT_TRUE(TryInsert(5001).ok());  // t writable, and still the old table
  EXPECT_EQ(Value("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'cuttest' "
                  "AND TABLE_NAME = '" + info_.old_table + "'"), "0");
  ASSERT_TRUE(rogue->Execute("COMMIT").ok());

  auto retry = Session(drain);
  ASSERT_TRUE(retry->Prepare().ok());
  ASSERT_TRUE(retry->Commit().ok());
  EXPECT_EQ(retry->state(), CutoverState::kCommitted);
}

TEST_F(CutoverTest, LongTransactionMakesItFailFastAndWritesGoOn) {
  Exec("CREATE TABLE " + T() + " (id BIGINT PRIMARY KEY, v INT, w INT)");
  Exec("INSERT INTO " + T() + " SELECT seq, seq, 0 FROM seq_1_to_1000");
  ShadowAndCopy("ADD COLUMN extra INT");
  auto long_trx = Connect();
  ASSERT_TRUE(long_trx->Execute("START TRANSACTION").ok());
  ASSERT_TRUE(long_trx->Query("SELECT * FROM " + T() + " LIMIT 1").ok());

  std::atomic<bool> stop{false};
  WriterStats stats;
  Exec("CREATE TABLE " + Q("ledger_long") + " (id BIGINT PRIMARY KEY, v INT, w INT)");
  std::thread writer(LedgerWriter, sandbox_, T(), Q("ledger_long"), int64_t{1'000'000}, &stop, &stats);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));

  FunctionDrain drain;
  auto session = Session(drain, 300);
  const auto start = std::chrono::steady_clock::now();
  Status prepared = session->Prepare();
  const int64_t elapsed = MillisSince(start);
  const int64_t before = stats.committed;
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  stop = true;
  writer.join();

  ASSERT_FALSE(prepared.ok());
  EXPECT_TRUE(IsRetryableError(prepared.server_errno())) << prepared.ToString();
  EXPECT_EQ(session->state(), CutoverState::kAborted);
  EXPECT_TRUE(drain.gtids.empty());
  std::printf("[ measure  ] failed after %lld ms (lock wait %lld ms); slowest app write %lld ms\n",
              static_cast<long long>(elapsed),
              static_cast<long long>(session->report().timings.lock_wait_ms),
              static_cast<long long>(stats.max_latency_ms));
  EXPECT_LT(session->report().timings.lock_wait_ms, 600);
  EXPECT_LT(elapsed, 1500);
  // Writes queued behind the pending lock for at most about lock_wait_ms, then went on.
  EXPECT_LT(stats.max_latency_ms, 900);
  EXPECT_EQ(stats.failed, 0);
  EXPECT_GT(stats.committed, before);
  EXPECT_TRUE(TryInsert(1).IsDbError());  // a duplicate, not a lock wait: t is writable
  ASSERT_TRUE(long_trx->Execute("COMMIT").ok());
}

TEST_F(CutoverTest, AbortAndDestructionReleaseTheLock) {
  Exec("CREATE TABLE " + T() + " (id BIGINT PRIMARY KEY, v INT)");
  Exec("INSERT INTO " + T() + " SELECT seq, seq FROM seq_1_to_100");
  ShadowAndCopy("ADD COLUMN extra INT");
  FunctionDrain drain;
  {
    auto session = Session(drain);
    ASSERT_TRUE(session->Prepare().ok());
    EXPECT_EQ(session->state(), CutoverState::kReady);
    EXPECT_EQ(drain.gtids.size(), 1u);
    EXPECT_NE(drain.gtids[0], "");
    Status blocked = TryInsert(1001);
    EXPECT_EQ(blocked.server_errno(), 1205u) << blocked.ToString();  // locked for writes
    ASSERT_TRUE(session->Abort().ok());
    EXPECT_EQ(session->state(), CutoverState::kAborted);
    EXPECT_TRUE(TryInsert(1002).ok());
    EXPECT_EQ(session->Commit().code(), StatusCode::kFailedPrecondition);
  }
  {
    auto session = Session(drain);
    ASSERT_TRUE(session->Prepare().ok());
  }  // destroyed while READY
  EXPECT_TRUE(TryInsert(1003).ok());
  for (const std::string& event : recorder_.events()) {
    EXPECT_EQ(event.find("old " + info_.old_table), std::string::npos) << event;  // never planned
  }
  // Each attempt's sentry is gone with it.
  const std::vector<std::string> events = recorder_.events();
  EXPECT_EQ(std::count(events.begin(), events.end(), "created sentry " + info_.old_table), 2);
  EXPECT_EQ(std::count(events.begin(), events.end(), "dropped sentry " + info_.old_table), 2);
  EXPECT_EQ(Value("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'cuttest' "
                  "AND TABLE_NAME = '" + info_.old_table + "'"), "0");
}

TEST_F(CutoverTest, AutoIncrementIsNeverLowered) {
  Exec("CREATE TABLE " + T() + " (id INT AUTO_INCREMENT PRIMARY KEY, v INT)");
  Exec("INSERT INTO " + T() + " (v) SELECT seq FROM seq_1_to_100");
  Exec("DELETE FROM " + T() + " WHERE id > 50");  // t's counter stays above 100
  const std::string counter = Value("SELECT AUTO_INCREMENT FROM information_schema.TABLES WHERE "
                                    "TABLE_SCHEMA = 'cuttest' AND TABLE_NAME = '" + table_ + "'");
  ASSERT_GT(std::stoi(counter), 100);
  ShadowAndCopy("ADD COLUMN extra INT");
  EXPECT_EQ(Value("SELECT AUTO_INCREMENT FROM information_schema.TABLES WHERE TABLE_SCHEMA = "
                  "'cuttest' AND TABLE_NAME = '" + info_.shadow_table + "'"), "51");
  FunctionDrain drain;
  auto session = Session(drain);
  ASSERT_TRUE(session->Prepare().ok());
  ASSERT_TRUE(session->Commit().ok());
  EXPECT_EQ(session->report().auto_increment, std::optional<uint64_t>(std::stoull(counter)));
  EXPECT_TRUE(session->report().auto_increment_raised);
  Exec("INSERT INTO " + T() + " (v) VALUES (1)");
  EXPECT_EQ(Value("SELECT MAX(id) FROM " + T()), counter);
  const std::vector<std::string> events = recorder_.events();
  ASSERT_GE(events.size(), 4u);
  EXPECT_EQ(std::vector<std::string>(events.end() - 4, events.end()),
            (std::vector<std::string>{"dropped sentry " + info_.old_table, "planned old " + info_.old_table,
                                      "created old " + info_.old_table,
                                      "dropped shadow " + info_.shadow_table}));
}

TEST_F(CutoverTest, RefusesAnExistingOldTableAndNamesSortingFirst) {
  Exec("CREATE TABLE " + T() + " (id BIGINT PRIMARY KEY, v INT)");
  ShadowAndCopy("ADD COLUMN extra INT");
  Exec("CREATE TABLE " + Q(info_.old_table) + " (x INT)");
  FunctionDrain drain;
  auto session = Session(drain);
  EXPECT_EQ(session->Prepare().code(), StatusCode::kFailedPrecondition);
  EXPECT_TRUE(TryInsert(7).ok());
  EXPECT_TRUE(drain.gtids.empty());

  table_ = "Upper";
  auto upper = Session(drain);
  Status refused = upper->Prepare();
  EXPECT_EQ(refused.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(refused.message().find("sorts before"), std::string::npos) << refused.ToString();
}

// A DBA (or a proxy, or the network) ends the lock session at some moment of
// the cut-over: the rename must not run without the lock, and a retry must
// finish with no write lost.
TEST_F(CutoverTest, LockSessionKilledAtAnyMomentLosesNothing) {
  const std::string base = table_;
  // -1: killed after Prepare, before Commit; else killed this many ms into Commit.
  for (int kill_after_ms : {-1, 0, 1, 2, 4, 8}) {
    table_ = base + std::to_string(kill_after_ms + 1);
    const std::string ledger = Q("ledger_k" + std::to_string(kill_after_ms + 1));
    Exec("CREATE TABLE " + T() + " (id BIGINT PRIMARY KEY, v INT, w INT)");
    Exec("CREATE TABLE " + ledger + " (id BIGINT PRIMARY KEY, v INT, w INT)");
    Exec("INSERT INTO " + T() + " SELECT seq, seq % 1000, 0 FROM seq_1_to_5000");
    Exec("INSERT INTO " + ledger + " SELECT * FROM " + T());
    ShadowAndCopy("ADD COLUMN extra INT NOT NULL DEFAULT 0");
    LedgerRound round(this, sandbox_, T(), ledger, Q(info_.shadow_table), Connect());
    std::this_thread::sleep_for(std::chrono::milliseconds(200));

    Status result = Status::Internal("no attempt");
    bool renamed = false;
    int killed_attempts = 0;
    for (int attempt = 0; attempt < 6 && !renamed; ++attempt) {
      auto session = Session(round.drain());
      result = session->Prepare();
      if (!result.ok()) continue;
      std::thread killer;
      if (attempt == 0) {
        ++killed_attempts;
        const uint64_t victim = session->lock_session_id();
        ASSERT_NE(victim, 0u);
        auto dba = Connect();
        if (kill_after_ms < 0) {
          ASSERT_TRUE(dba->Execute("KILL CONNECTION " + std::to_string(victim)).ok());
          // Writes go on into t while the session is gone.
          std::this_thread::sleep_for(std::chrono::milliseconds(100));
        } else {
          killer = std::thread([dba = std::move(dba), victim, kill_after_ms] {
            std::this_thread::sleep_for(std::chrono::milliseconds(kill_after_ms));
            (void)dba->Execute("KILL CONNECTION " + std::to_string(victim));
          });
        }
      }
      result = session->Commit();
      if (killer.joinable()) killer.join();
      std::printf("[ attempt  ] kill at %d ms, attempt %d: %s (%s)\n", kill_after_ms, attempt,
                  result.ToString().c_str(), executor::CutoverStateName(session->state()));
      ASSERT_NE(session->state(), CutoverState::kUnknown) << result.ToString();
      renamed = session->state() == CutoverState::kCommitted;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    round.Stop();
    ASSERT_TRUE(renamed) << result.ToString();
    // A rename that ran is reported as done, never as an error.
    EXPECT_TRUE(result.ok()) << result.ToString();
    EXPECT_EQ(killed_attempts, 1);
    EXPECT_GT(round.committed(), 0);
    // Nothing written after the lock went is stranded in _t_old.
    EXPECT_EQ(Value("SELECT COUNT(*) FROM " + ledger + " l LEFT JOIN " + T() +
                    " n ON n.id = l.id WHERE n.id IS NULL"), "0")
        << "kill at " << kill_after_ms << " ms";
    EXPECT_EQ(Value("SELECT COUNT(*) FROM " + T()), Value("SELECT COUNT(*) FROM " + ledger));
  }
}

// Application updater: each transaction adds one to w of a random row, in t
// and in the ledger alike; a lost update shows as a difference in w.
void LedgerUpdater(Sandbox* sandbox, std::string t, std::string ledger, int rows, unsigned seed,
                   std::atomic<bool>* stop, std::atomic<int64_t>* committed) {
  auto c = sandbox->Connect(1);
  if (!c.ok()) return;
  Connection& conn = **c;
  (void)conn.Execute("SET SESSION lock_wait_timeout = 10");
  std::mt19937 rng(seed);
  while (!stop->load()) {
    const std::string where = " SET w = w + 1 WHERE id = " + std::to_string(1 + rng() % rows);
    Status st = conn.Execute("START TRANSACTION");
    if (st.ok()) st = conn.Execute("UPDATE " + t + where);
    if (st.ok()) st = conn.Execute("UPDATE " + ledger + where);
    if (st.ok()) st = conn.Execute("COMMIT");
    if (st.ok()) {
      ++*committed;
    } else {
      (void)conn.Execute("ROLLBACK");
    }
    std::this_thread::sleep_for(std::chrono::microseconds(300));
  }
}

// Short transactions on _t_new, one after another: a RENAME waits on _t_new
// behind them and is granted it at any moment of the cut-over.
void ShadowNibbler(Sandbox* sandbox, std::string shadow, unsigned seed, std::atomic<bool>* stop,
                   std::atomic<int64_t>* held) {
  auto c = sandbox->Connect(1);
  if (!c.ok()) return;
  Connection& conn = **c;
  std::mt19937 rng(seed);
  while (!stop->load()) {
    if (conn.Execute("START TRANSACTION").ok() &&
        conn.Query("SELECT COUNT(*) FROM " + shadow + " WHERE id < 10").ok()) {
      ++*held;
      std::this_thread::sleep_for(std::chrono::microseconds(rng() % 3000));
    }
    (void)conn.Execute("COMMIT");
    std::this_thread::sleep_for(std::chrono::microseconds(rng() % 1500));
  }
}

TEST_F(CutoverTest, ShortTransactionsOnTheShadowLetNoWriteIntoTheOldTable) {
  const char* env = std::getenv("LOCKSTEP_CUTOVER_ATTEMPTS");
  const int attempts = env ? std::atoi(env) : 100;
  constexpr int kRows = 2000;
  const std::string ledger = Q("ledger_nibbled");
  Exec("CREATE TABLE " + T() + " (id BIGINT PRIMARY KEY, v INT, w INT)");
  Exec("CREATE TABLE " + ledger + " (id BIGINT PRIMARY KEY, v INT, w INT)");
  Exec("INSERT INTO " + T() + " SELECT seq, seq, 0 FROM seq_1_to_" + std::to_string(kRows));
  Exec("INSERT INTO " + ledger + " SELECT * FROM " + T());
  ShadowAndCopy("ADD COLUMN extra INT");
  const std::string shadow = Q(info_.shadow_table);
  const std::string old = Q(info_.old_table);

  std::atomic<bool> stop{false};
  std::atomic<int64_t> updates{0}, nibbles{0};
  std::vector<std::thread> threads;
  for (unsigned w = 0; w < 3; ++w) {
    threads.emplace_back(LedgerUpdater, sandbox_, T(), ledger, kRows, w + 1, &stop, &updates);
  }
  threads.emplace_back(ShadowNibbler, sandbox_, shadow, 99u, &stop, &nibbles);
  auto applier = Connect();
  FunctionDrain drain([&](const std::string&) {
    return applier->Execute("REPLACE INTO " + shadow + " (id, v, w) SELECT id, v, w FROM " + ledger);
  });
  auto differences = [&] {
    return Value("SELECT COUNT(*) FROM " + ledger + " l LEFT JOIN " + T() +
                 " n ON n.id = l.id WHERE n.w IS NULL OR n.w <> l.w");
  };

  CutoverConfig config;
  config.hold_budget_ms = 1000;
  int committed = 0, released = 0, waited_behind = 0;
  for (int attempt = 0; attempt < attempts; ++attempt) {
    auto session = Session(drain, config);
    Status result = session->Prepare();
    if (result.ok()) result = session->Commit();
    if (session->state() != CutoverState::kCommitted) {
      ASSERT_EQ(session->state(), CutoverState::kAborted) << result.ToString();
      ++released;
      continue;
    }
    ++committed;
    if (session->report().timings.rename_queue_ms > 2) ++waited_behind;
    // Renamed: the binlog shows no write to t before the RENAME, and the
    // ledger agrees row by row.
    ASSERT_TRUE(result.ok()) << "attempt " << attempt << ": " << result.ToString();
    ASSERT_TRUE(session->report().writes_before_rename.has_value());
    ASSERT_EQ(differences(), "0") << "attempt " << attempt;
    // A new shadow for the next attempt.
    Exec("DROP TABLE " + old);
    Exec("CREATE TABLE " + shadow + " LIKE " + T());
    Exec("INSERT INTO " + shadow + " SELECT * FROM " + T());
  }
  stop = true;
  for (auto& t : threads) t.join();
  std::printf("[ measure  ] %d attempts: %d renamed (%d waited behind the nibbler's lock on %s), "
              "%d released; %lld updates, %lld short transactions on the shadow\n",
              attempts, committed, waited_behind, info_.shadow_table.c_str(), released,
              static_cast<long long>(updates.load()), static_cast<long long>(nibbles.load()));
  EXPECT_EQ(differences(), "0");
  EXPECT_GT(committed, attempts / 2);
  EXPECT_GT(updates.load(), 0);
}

// A transaction that holds _t_new while the cut-over raises its
// AUTO_INCREMENT under the lock: the ALTER waits for it, but t is held no
// longer than the budget, and the attempt is released.
TEST_F(CutoverTest, ShadowHeldInAutoIncrementFixKeepsTheBudget) {
  Exec("CREATE TABLE " + T() + " (id INT AUTO_INCREMENT PRIMARY KEY, v INT)");
  Exec("INSERT INTO " + T() + " (v) SELECT seq FROM seq_1_to_100");
  Exec("DELETE FROM " + T() + " WHERE id > 50");  // t's counter stays above the shadow's
  ShadowAndCopy("ADD COLUMN extra INT");
  auto rogue = Connect();
  std::thread release;
  FunctionDrain drain([&](const std::string&) {
    // Under the lock, just before the AUTO_INCREMENT fix.
    Status st = rogue->Execute("START TRANSACTION");
    if (st.ok()) st = rogue->Query("SELECT COUNT(*) FROM " + Q(info_.shadow_table)).status();
    release = std::thread([&] {
      std::this_thread::sleep_for(std::chrono::seconds(6));
      (void)rogue->Execute("COMMIT");
    });
    return st;
  });
  CutoverConfig config;
  config.hold_budget_ms = 1000;
  auto session = Session(drain, config);
  const auto start = std::chrono::steady_clock::now();
  Status prepared = session->Prepare();
  const int64_t elapsed = MillisSince(start);
  const bool writable_at_once = TryInsert(5000).ok();
  release.join();
  std::printf("[ measure  ] prepare failed after %lld ms, writes held %lld ms: %s\n",
              static_cast<long long>(elapsed),
              static_cast<long long>(session->report().timings.writes_blocked_ms),
              prepared.ToString().c_str());
  ASSERT_FALSE(prepared.ok());
  EXPECT_EQ(session->state(), CutoverState::kAborted);
  EXPECT_LT(session->report().timings.writes_blocked_ms, 1500);
  EXPECT_LT(elapsed, 2000);
  EXPECT_TRUE(writable_at_once);
  // Once the holder is gone, the next attempt raises the counter and renames.
  auto retry = Session(drain_ok_, config);
  ASSERT_TRUE(retry->Prepare().ok());
  ASSERT_TRUE(retry->Commit().ok());
  EXPECT_TRUE(retry->report().auto_increment_raised);
}

// Another session waiting for an exclusive lock on t (LOCK TABLES t WRITE):
// the unlock could grant it before the RENAME, and its writes would land in
// the old t, so the attempt is released before the RENAME is even sent.
TEST_F(CutoverTest, OtherSessionWaitingToLockReleasesIt) {
  Exec("CREATE TABLE " + T() + " (id BIGINT PRIMARY KEY, v INT)");
  Exec("INSERT INTO " + T() + " SELECT seq, seq FROM seq_1_to_100");
  ShadowAndCopy("ADD COLUMN extra INT");
  FunctionDrain drain;
  auto session = Session(drain);
  ASSERT_TRUE(session->Prepare().ok());
  auto other = Connect();
  ASSERT_TRUE(other->Execute("SET SESSION lock_wait_timeout = 30").ok());
  executor::BackgroundStatement waiting(*other, "LOCK TABLES " + T() + " WRITE");
  for (int i = 0; i < 200; ++i) {
    auto state = conn_->QueryValue("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE INFO LIKE "
                                   "'LOCK TABLES %' AND STATE = 'Waiting for table metadata lock'");
    if (state.ok() && state->value_or("0") == "1") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  Status commit = session->Commit();
  EXPECT_TRUE(commit.IsConflict()) << commit.ToString();
  EXPECT_EQ(session->state(), CutoverState::kAborted);
  auto locked = waiting.Wait(10000);
  ASSERT_TRUE(locked.has_value() && locked->ok()) << (locked ? locked->ToString() : "still waiting");
  ASSERT_TRUE(other->Execute("UNLOCK TABLES").ok());
  EXPECT_EQ(Value("SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = 'cuttest' "
                  "AND TABLE_NAME = '" + table_ + "' AND COLUMN_NAME = 'extra'"), "0");
  auto retry = Session(drain);
  ASSERT_TRUE(retry->Prepare().ok());
  ASSERT_TRUE(retry->Commit().ok());
}

}  // namespace
}  // namespace lockstep::testing
