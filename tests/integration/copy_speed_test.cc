// Row copy speed on a 200k-row sysbench-like table, idle and under
// concurrent writers, and what those writers wait for (printed as
// "[ measure  ]" lines; docs/benchmarks.md quotes them).
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <thread>

#include "db/sql.h"
#include "executor/copy/row_copier.h"
#include "executor/shadow/shadow_table.h"
#include "planner/sql/statement_parser.h"
#include "support/executor_fakes.h"
#include "support/sandbox.h"
#include "support/sandbox_environment.h"

namespace lockstep::testing {
namespace {

using executor::RowCopierConfig;
using executor::ShadowTableInfo;

constexpr const char* kSchema = "speedtest";
constexpr int kRows = 200000;

const auto* const kEnvironment = ::testing::AddGlobalTestEnvironment(new SandboxEnvironment(1));

class CopySpeedTest : public ::testing::Test {
 protected:
  void SetUp() override {
    sandbox_ = SandboxEnvironment::Get();
    ASSERT_NE(sandbox_, nullptr);
    conn_ = Connect();
    Exec(std::string("CREATE DATABASE IF NOT EXISTS ") + kSchema);
    Exec(std::string("USE ") + kSchema);
    table_ = std::string("t_") + ::testing::UnitTest::GetInstance()->current_test_info()->name();
    Exec("CREATE TABLE " + T() + " (id BIGINT AUTO_INCREMENT PRIMARY KEY, k INT NOT NULL,"
         " c CHAR(120) NOT NULL, pad CHAR(60) NOT NULL, KEY k (k))");
    Exec("INSERT INTO " + T() + " (k, c, pad) SELECT seq % 10007, REPEAT(CHAR(48 + seq % 10), 120),"
         " REPEAT('p', 60) FROM seq_1_to_" + std::to_string(kRows));
    auto alter = sql::ParseAlterTable("ALTER TABLE " + T() + " ADD COLUMN extra INT");
    ASSERT_TRUE(alter.ok());
    auto spec = executor::ShadowSpecFromAlter(*alter, kSchema);
    ASSERT_TRUE(spec.ok());
    executor::ShadowTable shadow(*conn_, recorder_, *spec);
    auto info = shadow.Ensure();
    ASSERT_TRUE(info.ok()) << info.status().ToString();
    info_ = *info;
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
  std::string T() const { return sql::QualifiedName(kSchema, table_); }
  std::string Shadow() const { return sql::QualifiedName(kSchema, info_.shadow_table); }

  // Copies everything; returns rows per second of wall time.
  double TimedCopy(const RowCopierConfig& config, executor::CopyOutcome* out) {
    auto conn = Connect();
    executor::NoThrottle throttle;
    CollectingCopyObserver observer;
    executor::RowCopier copier(*conn, info_, throttle, observer, SystemClock::Instance(),
                               executor::RealSleeper::Instance(), config);
    const auto start = std::chrono::steady_clock::now();
    auto result = copier.Run(std::nullopt);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    EXPECT_TRUE(result.ok()) << result.status().ToString();
    if (result.ok()) *out = *result;
    std::printf("[ measure  ] copied %lld rows in %.2f s (%.0f rows/s) in %lld chunks; "
                "innodb_autoinc_lock_mode=%d; last chunk size %lld\n",
                static_cast<long long>(out->progress.rows_copied), seconds,
                static_cast<double>(out->progress.rows_copied) / seconds,
                static_cast<long long>(out->progress.chunks), out->autoinc_lock_mode,
                static_cast<long long>(out->progress.chunk_rows));
    return static_cast<double>(out->progress.rows_copied) / seconds;
  }

  Sandbox* sandbox_ = nullptr;
  std::unique_ptr<Connection> conn_;
  std::string table_;
  MemoryArtifactRecorder recorder_;
  ShadowTableInfo info_;
};

TEST_F(CopySpeedTest, Idle) {
  executor::CopyOutcome out;
  TimedCopy(RowCopierConfig{}, &out);
  EXPECT_EQ(out.progress.rows_copied, kRows);
}

struct Latencies {
  std::vector<int64_t> us;
  void Add(int64_t v) { us.push_back(v); }
  int64_t Percentile(double p) {
    if (us.empty()) return 0;
    std::sort(us.begin(), us.end());
    return us[std::min(us.size() - 1, static_cast<size_t>(p * static_cast<double>(us.size())))];
  }
};

// Writes in a loop until `stop`, timing each statement.
void WriteLoop(Sandbox* sandbox, const std::string& stmt_prefix, std::atomic<bool>* stop,
               int64_t first_id, Latencies* out, std::atomic<int64_t>* errors) {
  auto c = sandbox->Connect(1);
  if (!c.ok()) return;
  for (int64_t i = first_id; !stop->load(); ++i) {
    const auto start = std::chrono::steady_clock::now();
    std::string stmt = stmt_prefix;
    for (size_t at; (at = stmt.find("{i}")) != std::string::npos;) stmt.replace(at, 3, std::to_string(i));
    if (!(*c)->Execute(stmt).ok()) errors->fetch_add(1);
    out->Add(std::chrono::duration_cast<std::chrono::microseconds>(
                 std::chrono::steady_clock::now() - start).count());
  }
}

TEST_F(CopySpeedTest, WhatConcurrentWritersWaitFor) {
  std::atomic<bool> stop{false};
  std::atomic<int64_t> errors{0};
  Latencies app_insert, app_update, shadow_insert;
  std::thread w1(WriteLoop, sandbox_, "INSERT INTO " + T() + " (k, c, pad) VALUES (1, 'app', 'x')",
                 &stop, 0, &app_insert, &errors);
  // Updates inside the copy range: READ COMMITTED means no shared locks on them.
  std::thread w2(WriteLoop, sandbox_,
                 "UPDATE " + T() + " SET k = k + 1 WHERE id = 1 + ({i} * 7919) % " + std::to_string(kRows),
                 &stop, 0, &app_update, &errors);
  // Stands in for the applier: explicit ids into _t_new, above the copy range.
  std::thread w3(WriteLoop, sandbox_,
                 "INSERT INTO " + Shadow() + " (id, k, c, pad) VALUES ({i}, 1, 'a', 'p')", &stop,
                 int64_t{10'000'000}, &shadow_insert, &errors);
  executor::CopyOutcome out;
  TimedCopy(RowCopierConfig{}, &out);
  stop = true;
  w1.join();
  w2.join();
  w3.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_GE(out.progress.rows_copied, kRows);
  for (auto [name, lat] : {std::pair<const char*, Latencies*>{"app insert into t", &app_insert},
                           {"app update in the copy range", &app_update},
                           {"insert into _t_new (applier stand-in)", &shadow_insert}}) {
    std::printf("[ measure  ] %s: %zu, p50 %lld us, p99 %lld us, max %lld us\n", name, lat->us.size(),
                static_cast<long long>(lat->Percentile(0.5)),
                static_cast<long long>(lat->Percentile(0.99)),
                static_cast<long long>(lat->Percentile(1.0)));
  }
  // Application writes never wait for a chunk (no AUTO-INC lock on t, no
  // shared row locks): far below the chunk time. The applier's inserts into
  // _t_new wait for at most about one (capped) chunk when
  // innodb_autoinc_lock_mode is not 2.
  EXPECT_LT(app_insert.Percentile(0.99), 250'000);
  EXPECT_LT(app_update.Percentile(0.99), 250'000);
  EXPECT_LT(shadow_insert.Percentile(1.0), 1'000'000);
}

}  // namespace
}  // namespace lockstep::testing
