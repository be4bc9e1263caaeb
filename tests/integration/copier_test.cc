// Shadow table, row copy and chunk checksum against a real 1-DC sandbox.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <thread>

#include "db/sql.h"
#include "executor/copy/row_copier.h"
#include "executor/shadow/shadow_table.h"
#include "executor/verify/checksum_trail.h"
#include "executor/verify/chunk_checksum.h"
#include "planner/sql/statement_parser.h"
#include "support/executor_fakes.h"
#include "support/sandbox.h"
#include "support/sandbox_environment.h"

namespace lockstep::testing {
namespace {

using executor::ChunkSizerConfig;
using executor::CopyOutcome;
using executor::RowCopierConfig;
using executor::ShadowTableInfo;

constexpr const char* kSchema = "copytest";

const auto* const kEnvironment = ::testing::AddGlobalTestEnvironment(new SandboxEnvironment(1));

class CopierTest : public ::testing::Test {
 protected:
  void SetUp() override {
    sandbox_ = SandboxEnvironment::Get();
    ASSERT_NE(sandbox_, nullptr);
    table_ = std::string("t_") + ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::replace(table_.begin(), table_.end(), '/', '_');
    conn_ = Connect();
    Exec(std::string("CREATE DATABASE IF NOT EXISTS ") + kSchema);
    Exec(std::string("USE ") + kSchema);  // the seq_1_to_N tables resolve in the current schema
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
  std::string T() const { return sql::QualifiedName(kSchema, table_); }
  std::string Shadow() const { return sql::QualifiedName(kSchema, "_" + table_ + "_new"); }

  Result<executor::ShadowTable> ShadowOf(const std::string& clauses, MemoryArtifactRecorder& recorder,
                                         executor::ShadowTableOptions options = {}) {
    LOCKSTEP_ASSIGN_OR_RETURN(sql::AlterTable alter,
                              sql::ParseAlterTable("ALTER TABLE " + T() + " " + clauses));
    LOCKSTEP_ASSIGN_OR_RETURN(executor::ShadowSpec spec, executor::ShadowSpecFromAlter(alter, kSchema));
    return executor::ShadowTable(*conn_, recorder, spec, options);
  }
  Result<ShadowTableInfo> MakeShadow(const std::string& clauses, MemoryArtifactRecorder& recorder) {
    LOCKSTEP_ASSIGN_OR_RETURN(executor::ShadowTable shadow, ShadowOf(clauses, recorder));
    return shadow.Ensure();
  }
  // Ensure() of the shadow for `clauses`, deferring its plain keys.
  Result<ShadowTableInfo> EnsureDeferring(const std::string& clauses) {
    LOCKSTEP_ASSIGN_OR_RETURN(executor::ShadowTable shadow,
                              ShadowOf(clauses, recorder_, {.defer_secondary_indexes = true}));
    return shadow.Ensure();
  }
  // The names of the shadow table's keys, sorted by name (ignoring case).
  std::string ShadowKeys() {
    return Value("SELECT GROUP_CONCAT(DISTINCT INDEX_NAME ORDER BY INDEX_NAME) FROM "
                 "information_schema.STATISTICS WHERE TABLE_SCHEMA = '" + std::string(kSchema) +
                 "' AND TABLE_NAME = '_" + table_ + "_new'");
  }
  // A strict copy (new unique key) to resume after ids 1..500, where the
  // value 'u1' moved from row 1 to row 900 in t and _t_new still has it on
  // row 1: copying row 900 meets a duplicate only the applier can clear.
  ShadowTableInfo MustMakeShadowWithStaleDuplicate() {
    Exec("CREATE TABLE " + T() + " (id INT PRIMARY KEY, email VARCHAR(50))");
    Exec("INSERT INTO " + T() + " SELECT seq, CONCAT('u', seq) FROM seq_1_to_1000");
    ShadowTableInfo info = MustMakeShadow("ADD UNIQUE KEY uk (email)");
    CollectingCopyObserver observer;
    observer.fail_at_chunk = 2;  // copy only the first chunk (ids 1..500)
    [&] { ASSERT_FALSE(Copy(info, SmallChunks(500), std::nullopt, observer).ok()); }();
    Exec("DELETE FROM " + Shadow() + " WHERE id > 500");
    Exec("UPDATE " + T() + " SET email = 'moved' WHERE id = 1");
    Exec("UPDATE " + T() + " SET email = 'u1' WHERE id = 900");
    return info;
  }
  ShadowTableInfo MustMakeShadow(const std::string& clauses) {
    auto info = MakeShadow(clauses, recorder_);
    EXPECT_TRUE(info.ok()) << info.status().ToString();
    return info.ok() ? *info : ShadowTableInfo{};
  }

  Result<CopyOutcome> Copy(const ShadowTableInfo& info, RowCopierConfig config,
                           std::optional<std::string> resume, CollectingCopyObserver& observer,
                           executor::Throttler* throttler = nullptr,
                           executor::Sleeper* sleeper = nullptr,
                           executor::ApplierCatchUp* catch_up = nullptr) {
    auto conn = Connect();
    executor::NoThrottle no_throttle;
    executor::RowCopier copier(*conn, info, throttler ? *throttler : no_throttle, observer,
                               SystemClock::Instance(),
                               sleeper ? *sleeper : executor::RealSleeper::Instance(), config,
                               catch_up);
    return copier.Run(resume);
  }

  // Row count and a CRC sum over `columns` (SQL expressions) of one table.
  std::string Fingerprint(const std::string& table, const std::string& columns,
                          const std::string& nulls) {
    return Value("SELECT CONCAT(COUNT(*), ':', COALESCE(SUM(CRC32(CONCAT_WS('#', " + columns +
                 ", CONCAT(" + nulls + ")))), 0)) FROM " + table);
  }

  // A checksum whose "applier" writes a wrong value into row `id` of the
  // shadow at every catch-up: that row's chunk stays different.
  Result<executor::ChecksumVerdict> ChecksumWithAStuckRow(const ShadowTableInfo& info, Connection& conn,
                                                          const executor::ChunkChecksumConfig& config,
                                                          int id) {
    const std::string corrupt =
        "UPDATE " + Shadow() + " SET v = 'wrong' WHERE id = " + std::to_string(id);
    Exec(corrupt);
    auto bad = Connect();
    FunctionCatchUp corrupting([&] { return bad->Execute(corrupt); });
    executor::NoThrottle throttle;
    CollectingChecksumObserver checked;
    executor::ChunkChecksum checksum(conn, info, corrupting, throttle, checked, SystemClock::Instance(),
                                     executor::RealSleeper::Instance(), config);
    return checksum.Run();
  }

  static RowCopierConfig SmallChunks(int64_t rows) {
    RowCopierConfig c;
    c.chunk = ChunkSizerConfig{500, rows, rows, rows};
    return c;
  }

  Sandbox* sandbox_ = nullptr;
  std::string table_;
  std::unique_ptr<Connection> conn_;
  MemoryArtifactRecorder recorder_;
};

TEST_F(CopierTest, ShadowTableIsRecordedFirstReusedAndRefusedWhenForeign) {
  Exec("CREATE TABLE " + T() + " (id INT AUTO_INCREMENT PRIMARY KEY, a INT) AUTO_INCREMENT=500");
  ShadowTableInfo info = MustMakeShadow("ADD COLUMN b INT, ALGORITHM=INPLACE, LOCK=NONE");
  EXPECT_FALSE(info.reused);
  EXPECT_EQ(info.source_auto_increment, std::optional<uint64_t>(500));
  const std::string shadow = "_" + table_ + "_new";
  EXPECT_EQ(recorder_.events(), (std::vector<std::string>{"planned shadow " + shadow, "created shadow " + shadow}));
  EXPECT_NE(info.shadow_def.FindColumn("b"), nullptr);

  ShadowTableInfo again = MustMakeShadow("ADD COLUMN b INT");
  EXPECT_TRUE(again.reused);

  MemoryArtifactRecorder other;
  auto foreign = MakeShadow("ADD COLUMN c INT", other);
  EXPECT_EQ(foreign.status().code(), StatusCode::kFailedPrecondition) << foreign.status().ToString();

  // A crash between CREATE ... LIKE and the ALTER: the ALTER is finished.
  Exec("DROP TABLE " + Shadow());
  Exec("CREATE TABLE " + Shadow() + " LIKE " + T());
  ShadowTableInfo finished = MustMakeShadow("ADD COLUMN b INT");
  EXPECT_TRUE(finished.reused);
  EXPECT_EQ(Value("SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = 'copytest' "
                  "AND TABLE_NAME = '" + shadow + "' AND COLUMN_NAME = 'b'"), "1");
}

TEST_F(CopierTest, DeferredKeysAreMissingWhileCopyingAndAddedAfter) {
  Exec("CREATE TABLE " + T() + " (id INT PRIMARY KEY, k INT, v VARCHAR(20), UNIQUE KEY uv (v), "
       "KEY kk (k))");
  Exec("INSERT INTO " + T() + " SELECT seq, seq % 7, CONCAT('v', seq) FROM seq_1_to_3000");
  const std::string clauses = "ADD COLUMN extra INT, ADD INDEX ke (extra, k)";
  auto shadow = ShadowOf(clauses, recorder_, {.defer_secondary_indexes = true});
  ASSERT_TRUE(shadow.ok()) << shadow.status().ToString();
  auto info = shadow->Ensure();
  ASSERT_TRUE(info.ok()) << info.status().ToString();
  // The unique key stays: a duplicate must stop the copy, not wait for the end.
  EXPECT_EQ(ShadowKeys(), "PRIMARY,uv");  // names sort ignoring case
  EXPECT_EQ(executor::IndexNames(info->indexes_to_build), "`kk`, `ke`");
  EXPECT_NE(info->shadow_def.FindIndex("ke"), nullptr) << "the definition is the final one";

  CollectingCopyObserver observer;
  auto copied = Copy(*info, SmallChunks(1000), std::nullopt, observer);
  ASSERT_TRUE(copied.ok()) << copied.status().ToString();

  // A restart finds the shadow without its keys and still owes them.
  MemoryArtifactRecorder again;
  auto resumed_shadow = ShadowOf(clauses, again, {.defer_secondary_indexes = true});
  ASSERT_TRUE(resumed_shadow.ok());
  auto resumed = resumed_shadow->Ensure();
  ASSERT_TRUE(resumed.ok()) << resumed.status().ToString();
  EXPECT_TRUE(resumed->reused);
  EXPECT_EQ(executor::IndexNames(resumed->indexes_to_build), "`kk`, `ke`");

  Status built = resumed_shadow->BuildDeferredIndexes(*resumed);
  ASSERT_TRUE(built.ok()) << built.ToString();
  EXPECT_TRUE(resumed->indexes_to_build.empty());
  EXPECT_EQ(ShadowKeys(), "ke,kk,PRIMARY,uv");
  EXPECT_EQ(Fingerprint(Shadow(), "id, k, v", "ISNULL(extra)"), Fingerprint(T(), "id, k, v", "1"));

  // Built once more (a crash after the ALTER, before the run knew): a no-op.
  resumed->indexes_to_build = info->indexes_to_build;
  built = resumed_shadow->BuildDeferredIndexes(*resumed);
  EXPECT_TRUE(built.ok()) << built.ToString();
  // And without deferring, the finished shadow is reused as it is.
  auto plain = MakeShadow(clauses, again);
  ASSERT_TRUE(plain.ok()) << plain.status().ToString();
  EXPECT_TRUE(plain->indexes_to_build.empty());
}

TEST_F(CopierTest, AShadowLeftHalfMadeByACrashIsFinishedWithoutItsKeys) {
  Exec("CREATE TABLE " + T() + " (id INT PRIMARY KEY, k INT, KEY kk (k))");
  const std::string clauses = "ADD COLUMN extra INT";
  const executor::ShadowTableOptions defer{.defer_secondary_indexes = true};
  // Killed after CREATE ... LIKE: the clauses and the drop are still owed.
  Exec("CREATE TABLE " + Shadow() + " LIKE " + T());
  auto shadow = ShadowOf(clauses, recorder_, defer);
  ASSERT_TRUE(shadow.ok());
  auto info = shadow->Ensure();
  ASSERT_TRUE(info.ok()) << info.status().ToString();
  EXPECT_EQ(ShadowKeys(), "PRIMARY");
  EXPECT_EQ(executor::IndexNames(info->indexes_to_build), "`kk`");
  // Killed after the ALTER, before the drop: only the drop is owed.
  Exec("DROP TABLE " + Shadow());
  Exec("CREATE TABLE " + Shadow() + " LIKE " + T());
  Exec("ALTER TABLE " + Shadow() + " ADD COLUMN extra INT");
  info = shadow->Ensure();
  ASSERT_TRUE(info.ok()) << info.status().ToString();
  EXPECT_EQ(ShadowKeys(), "PRIMARY");
  EXPECT_EQ(executor::IndexNames(info->indexes_to_build), "`kk`");
  // With rows in it, a shadow with its keys is taken as it is.
  Exec("INSERT INTO " + T() + " VALUES (1, 1)");
  Exec("ALTER TABLE " + Shadow() + " ADD KEY kk (k)");
  Exec("INSERT INTO " + Shadow() + " (id, k) VALUES (1, 1)");
  info = shadow->Ensure();
  ASSERT_TRUE(info.ok()) << info.status().ToString();
  EXPECT_EQ(ShadowKeys(), "kk,PRIMARY");
  EXPECT_TRUE(info->indexes_to_build.empty());
}

TEST_F(CopierTest, KeysWhoseOrderARebuildWouldChangeAreNotDeferred) {
  // A HASH key is not deferred; added back after it, kk would be listed
  // after kh, and the finished _t_new would not be what the change makes.
  Exec("CREATE TABLE " + T() + " (id INT PRIMARY KEY, k INT, h INT, KEY kk (k), "
       "KEY kh (h) USING HASH)");
  auto info = EnsureDeferring("ADD COLUMN extra INT");
  ASSERT_TRUE(info.ok()) << info.status().ToString();
  EXPECT_TRUE(info->indexes_to_build.empty()) << executor::IndexNames(info->indexes_to_build);
  EXPECT_EQ(ShadowKeys(), "kh,kk,PRIMARY");
}

TEST_F(CopierTest, KeysOfATableNotInInnoDbAreNotDeferred) {
  Exec("CREATE TABLE " + T() + " (id INT PRIMARY KEY, k INT, KEY kk (k)) ENGINE=MyISAM");
  auto info = EnsureDeferring("ADD COLUMN extra INT");
  ASSERT_TRUE(info.ok()) << info.status().ToString();
  EXPECT_TRUE(info->indexes_to_build.empty());
  EXPECT_EQ(ShadowKeys(), "kk,PRIMARY");
}

TEST_F(CopierTest, AKeyTheServerWillNotDropIsNotDeferred) {
  // An AUTO_INCREMENT column must lead some key: its only one stays.
  Exec("CREATE TABLE " + T() + " (id INT, seq INT AUTO_INCREMENT, k INT, PRIMARY KEY (id), "
       "KEY kseq (seq), KEY kk (k))");
  auto info = EnsureDeferring("ADD COLUMN extra INT");
  ASSERT_TRUE(info.ok()) << info.status().ToString();
  EXPECT_TRUE(info->indexes_to_build.empty());
  EXPECT_EQ(ShadowKeys(), "kk,kseq,PRIMARY");
}

TEST_F(CopierTest, CopiesIntegerKeyWithNullsAndOddTypes) {
  Exec("CREATE TABLE " + T() +
       " (id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY, n INT, s VARCHAR(64), b VARBINARY(16),"
       " dt DATETIME(6), ts TIMESTAMP(3) NULL DEFAULT NULL, d DECIMAL(20,6), f DOUBLE,"
       " e ENUM('red','green','blue'), j JSON, bits BIT(8), blobby BLOB, z DATE, dropme INT)");
  Exec("INSERT INTO " + T() +
       " (n, s, b, dt, ts, d, f, e, j, bits, blobby, z, dropme) SELECT"
       " IF(seq % 7 = 0, NULL, CAST(seq AS SIGNED) - 2500),"
       " IF(seq % 11 = 0, NULL, CONCAT('row ', seq, ' ''q'' \\\\ \xF0\x9F\x98\x80 ,%')),"
       " IF(seq % 13 = 0, NULL, UNHEX(LPAD(HEX(seq), 8, '0'))),"
       " IF(seq % 5 = 0, NULL, '2024-02-29 23:59:59.999999' - INTERVAL seq SECOND),"
       " IF(seq % 3 = 0, NULL, '2030-01-01 00:00:00.125' - INTERVAL seq MINUTE),"
       " IF(seq % 17 = 0, NULL, seq / 7 - 300.5), IF(seq % 19 = 0, NULL, seq * 1.1e-3),"
       " ELT(1 + seq % 4, 'red', 'green', 'blue', NULL),"
       " IF(seq % 23 = 0, NULL, JSON_OBJECT('k', seq, 'arr', JSON_ARRAY(1, 'x'))),"
       " IF(seq % 29 = 0, NULL, seq % 256), IF(seq % 31 = 0, NULL, REPEAT(CHAR(0, 255, seq % 256), 9)),"
       " IF(seq % 37 = 0, '0000-00-00', '2000-01-01' + INTERVAL seq DAY), seq"
       " FROM seq_1_to_5000");
  ShadowTableInfo info =
      MustMakeShadow("ADD COLUMN extra INT NOT NULL DEFAULT 7, DROP COLUMN dropme, RENAME COLUMN n TO n2");
  EXPECT_TRUE(info.copy_safety.ignore_allowed);

  CollectingCopyObserver observer;
  auto out = Copy(info, SmallChunks(700), std::nullopt, observer);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_TRUE(out->progress.done);
  EXPECT_FALSE(out->stopped);
  EXPECT_EQ(out->progress.rows_copied, 5000);
  EXPECT_EQ(out->progress.chunks, 8);  // 7 x 700 + 100
  ASSERT_FALSE(observer.reports.empty());
  EXPECT_EQ(observer.reports.back().watermark, std::optional<std::string>("5000"));

  const std::string cols = "id, %s, s, b, dt, ts, d, f, e, j, bits, blobby, z";
  const std::string nulls = "ISNULL(%s), ISNULL(s), ISNULL(b), ISNULL(dt), ISNULL(d), ISNULL(j)";
  auto with = [](std::string text, const std::string& n) {
    for (size_t at; (at = text.find("%s")) != std::string::npos;) text.replace(at, 2, n);
    return text;
  };
  EXPECT_EQ(Fingerprint(T(), with(cols, "n"), with(nulls, "n")),
            Fingerprint(Shadow(), with(cols, "n2"), with(nulls, "n2")));
  EXPECT_EQ(Value("SELECT COUNT(*) FROM " + Shadow() + " WHERE extra = 7"), "5000");

  auto conn = Connect();
  executor::NoThrottle throttle;
  FunctionCatchUp catch_up;
  CollectingChecksumObserver checked;
  executor::ChunkChecksum checksum(*conn, info, catch_up, throttle, checked, SystemClock::Instance(),
                                   executor::RealSleeper::Instance());
  auto verdict = checksum.Run();
  ASSERT_TRUE(verdict.ok()) << verdict.status().ToString();
  EXPECT_TRUE(verdict->passed);
  EXPECT_EQ(verdict->rows, 5000);
  EXPECT_EQ(verdict->recopied, 0);
  EXPECT_EQ(catch_up.calls, 0);
}

TEST_F(CopierTest, CopiesCompositeKeyWithStringsAndBinaryParts) {
  Exec("CREATE TABLE " + T() +
       " (tenant INT NOT NULL, code VARCHAR(20) NOT NULL, tag VARBINARY(8) NOT NULL, v VARCHAR(30),"
       " PRIMARY KEY (tenant, code, tag))");
  Exec("INSERT INTO " + T() + " SELECT CAST(seq % 5 AS SIGNED) - 2,"
       " CONCAT(IF(seq % 2, 'c,', 'C%'), seq % 40, IF(seq % 3 = 0, '''', '')),"
       " UNHEX(LPAD(HEX(seq), 6, '0')), IF(seq % 9 = 0, NULL, CONCAT('v', seq)) FROM seq_1_to_4000");
  ShadowTableInfo info = MustMakeShadow("MODIFY v VARCHAR(60)");
  EXPECT_FALSE(info.copy_safety.ignore_allowed);  // a type change: strict

  CollectingCopyObserver observer;
  auto out = Copy(info, SmallChunks(333), std::nullopt, observer);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(out->progress.rows_copied, 4000);
  EXPECT_GT(out->progress.chunks, 10);
  const std::string cols = "tenant, code, HEX(tag), v";
  EXPECT_EQ(Fingerprint(T(), cols, "ISNULL(v)"), Fingerprint(Shadow(), cols, "ISNULL(v)"));

  auto conn = Connect();
  executor::NoThrottle throttle;
  FunctionCatchUp catch_up;
  CollectingChecksumObserver checked;
  executor::ChunkChecksumConfig config;
  config.chunk = ChunkSizerConfig{500, 250, 250, 250};
  executor::ChunkChecksum checksum(*conn, info, catch_up, throttle, checked, SystemClock::Instance(),
                                   executor::RealSleeper::Instance(), config);
  auto verdict = checksum.Run();
  ASSERT_TRUE(verdict.ok()) << verdict.status().ToString();
  EXPECT_TRUE(verdict->passed);
  EXPECT_EQ(verdict->chunks, 16);
}

class ResumeTest : public CopierTest, public ::testing::WithParamInterface<const char*> {};

TEST_P(ResumeTest, ResumingRepeatsAtMostOneChunk) {
  Exec("CREATE TABLE " + T() + " (id BIGINT PRIMARY KEY, v INT)");
  Exec("INSERT INTO " + T() + " SELECT seq, seq * 3 FROM seq_1_to_10000");
  ShadowTableInfo info = MustMakeShadow(GetParam());

  CollectingCopyObserver crashing;
  crashing.fail_at_chunk = 4;  // chunk 4 commits, its checkpoint never does
  auto first = Copy(info, SmallChunks(1000), std::nullopt, crashing);
  ASSERT_FALSE(first.ok());
  ASSERT_EQ(crashing.reports.size(), 3u);
  const std::optional<std::string> checkpoint = crashing.reports.back().watermark;
  EXPECT_EQ(checkpoint, std::optional<std::string>("3000"));
  EXPECT_EQ(Value("SELECT COUNT(*) FROM " + Shadow()), "4000");

  CollectingCopyObserver resumed;
  auto second = Copy(info, SmallChunks(1000), checkpoint, resumed);
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  ASSERT_FALSE(resumed.reports.empty());
  // The repeated chunk is exactly the one in flight: its rows, possibly
  // stale, were deleted with everything above the checkpoint, and copied
  // again.
  EXPECT_EQ(resumed.reports[0].chunk_lower, checkpoint);
  EXPECT_EQ(resumed.reports[0].watermark, std::optional<std::string>("4000"));
  EXPECT_EQ(resumed.reports[0].last_chunk_rows, 1000);
  EXPECT_EQ(second->progress.rows_copied, 7000);
  EXPECT_EQ(Fingerprint(T(), "id, v", "ISNULL(v)"), Fingerprint(Shadow(), "id, v", "ISNULL(v)"));
}

INSTANTIATE_TEST_SUITE_P(IgnoreAndStrict, ResumeTest,
                         ::testing::Values("ADD INDEX iv (v)", "MODIFY v BIGINT"));

TEST_F(CopierTest, NewUniqueKeyOverDuplicatesStopsAndLosesNothing) {
  Exec("CREATE TABLE " + T() + " (id INT PRIMARY KEY, email VARCHAR(50), name VARCHAR(20))");
  Exec("INSERT INTO " + T() + " SELECT seq, IF(seq IN (10, 20, 30), NULL, CONCAT('user', seq, '@x')),"
       " CONCAT('n', seq) FROM seq_1_to_3000");
  Exec("UPDATE " + T() + " SET email = 'dup@x' WHERE id IN (1500, 1700, 2900)");
  ShadowTableInfo info = MustMakeShadow("ADD UNIQUE KEY uk_email (email)");
  EXPECT_FALSE(info.copy_safety.ignore_allowed);
  EXPECT_EQ(info.copy_safety.new_unique_keys, std::vector<std::string>{"uk_email"});

  CollectingCopyObserver observer;
  auto out = Copy(info, SmallChunks(500), std::nullopt, observer);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), StatusCode::kFailedPrecondition) << out.status().ToString();
  const std::string& msg = out.status().message();
  EXPECT_NE(msg.find("uk_email"), std::string::npos) << msg;
  EXPECT_NE(msg.find("email='dup@x') in 3 rows"), std::string::npos) << msg;
  // Stopped at the chunk holding the second 'dup@x': every earlier row copied,
  // none skipped, nothing after it.
  ASSERT_FALSE(observer.reports.empty());
  EXPECT_EQ(observer.reports.back().watermark, std::optional<std::string>("1500"));
  EXPECT_EQ(Value("SELECT COUNT(*) FROM " + Shadow()), "1500");
  EXPECT_EQ(Fingerprint(T() + " WHERE id <= 1500", "id, email, name", "ISNULL(email)"),
            Fingerprint(Shadow(), "id, email, name", "ISNULL(email)"));

  // Duplicates cleaned up: the copy resumes and finishes; NULLs never collide.
  Exec("UPDATE " + T() + " SET email = CONCAT('fixed', id) WHERE email = 'dup@x' AND id > 1500");
  CollectingCopyObserver resumed;
  auto done = Copy(info, SmallChunks(500), observer.reports.back().watermark, resumed);
  ASSERT_TRUE(done.ok()) << done.status().ToString();
  EXPECT_EQ(Fingerprint(T(), "id, email, name", "ISNULL(email)"),
            Fingerprint(Shadow(), "id, email, name", "ISNULL(email)"));
}

// Calls `hook` on the first sleep: stands in for the applier catching up
// while the copier backs off.
class HookSleeper : public executor::Sleeper {
 public:
  explicit HookSleeper(std::function<void()> hook) : hook_(std::move(hook)) {}
  void SleepFor(int64_t ms) override {
    slept.push_back(ms);
    if (hook_) std::exchange(hook_, nullptr)();
  }
  std::vector<int64_t> slept;

 private:
  std::function<void()> hook_;
};

TEST_F(CopierTest, StaleDuplicateInTheShadowWaitsForTheApplier) {
  ShadowTableInfo info = MustMakeShadowWithStaleDuplicate();
  if (HasFatalFailure()) return;
  auto applier = Connect();
  HookSleeper sleeper([&] {
    ASSERT_TRUE(applier->Execute("UPDATE " + Shadow() + " SET email = 'moved' WHERE id = 1").ok());
  });
  CollectingCopyObserver resumed;
  auto out = Copy(info, SmallChunks(500), std::string("500"), resumed, nullptr, &sleeper);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(sleeper.slept.size(), 1u);
  EXPECT_EQ(Fingerprint(T(), "id, email", "''"), Fingerprint(Shadow(), "id, email", "''"));
}

// Stands in for the applier: writes the stale row's change when asked.
class FixingCatchUp : public executor::ApplierCatchUp {
 public:
  explicit FixingCatchUp(std::function<Status()> fix) : fix_(std::move(fix)) {}
  Status WaitForApplierCaughtUp() override {
    ++calls;
    return calls == 1 ? fix_() : Status::Ok();
  }
  int calls = 0;

 private:
  std::function<Status()> fix_;
};

TEST_F(CopierTest, StaleDuplicateInTheShadowAsksTheApplierToCatchUp) {
  ShadowTableInfo info = MustMakeShadowWithStaleDuplicate();
  if (HasFatalFailure()) return;
  auto applier = Connect();
  FixingCatchUp catch_up(
      [&] { return applier->Execute("UPDATE " + Shadow() + " SET email = 'moved' WHERE id = 1"); });
  HookSleeper sleeper(nullptr);
  CollectingCopyObserver resumed;
  auto out = Copy(info, SmallChunks(500), std::string("500"), resumed, nullptr, &sleeper, &catch_up);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(catch_up.calls, 1);
  EXPECT_TRUE(sleeper.slept.empty()) << "waited for the applier instead of asking it";
  EXPECT_EQ(Fingerprint(T(), "id, email", "''"), Fingerprint(Shadow(), "id, email", "''"));
}

class ScriptedThrottler : public executor::Throttler {
 public:
  std::vector<Result<executor::ThrottleDecision>> script;
  size_t calls = 0;
  Result<executor::ThrottleDecision> Check() override {
    const size_t i = calls++;
    return i < script.size() ? script[i] : executor::ThrottleDecision::Proceed();
  }
};

TEST_F(CopierTest, ThrottlerErrorsPauseAndStopStops) {
  Exec("CREATE TABLE " + T() + " (id INT PRIMARY KEY, v INT)");
  Exec("INSERT INTO " + T() + " SELECT seq, seq FROM seq_1_to_1000");
  ShadowTableInfo info = MustMakeShadow("ADD INDEX iv (v)");
  ScriptedThrottler throttler;
  throttler.script = {Status::Unavailable("lag unknown"), Status::Unavailable("lag unknown"),
                      executor::ThrottleDecision::Wait(30, "lag 2 s"),
                      executor::ThrottleDecision::Proceed(), executor::ThrottleDecision::Proceed(),
                      executor::ThrottleDecision::Stop("operator pause")};
  HookSleeper sleeper(nullptr);
  CollectingCopyObserver observer;
  RowCopierConfig config = SmallChunks(100);
  config.throttle.error_wait_ms = 250;
  auto out = Copy(info, config, std::nullopt, observer, &throttler, &sleeper);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(out->stopped, std::optional<std::string>("operator pause"));
  EXPECT_EQ(sleeper.slept, (std::vector<int64_t>{250, 250, 30}));  // errors paused, never proceeded
  EXPECT_EQ(out->progress.chunks, 2);
  EXPECT_EQ(out->progress.watermark, std::optional<std::string>("200"));
  EXPECT_EQ(Value("SELECT COUNT(*) FROM " + Shadow()), "200");
}

TEST_F(CopierTest, ChecksumFindsCorruptionRecopiesTheChunkAndPasses) {
  Exec("CREATE TABLE " + T() + " (id INT PRIMARY KEY, v VARCHAR(20), w INT)");
  Exec("INSERT INTO " + T() + " SELECT seq, CONCAT('v', seq), IF(seq % 4 = 0, NULL, seq) FROM seq_1_to_3000");
  ShadowTableInfo info = MustMakeShadow("ADD COLUMN extra INT");
  CollectingCopyObserver observer;
  ASSERT_TRUE(Copy(info, SmallChunks(1000), std::nullopt, observer).ok());
  Exec("UPDATE " + Shadow() + " SET v = 'corrupt' WHERE id = 1234");   // chunk 2
  Exec("UPDATE " + Shadow() + " SET w = NULL WHERE id = 1235");         // chunk 2, NULL vs value
  Exec("DELETE FROM " + Shadow() + " WHERE id = 2999");                 // chunk 3

  auto conn = Connect();
  executor::NoThrottle throttle;
  FunctionCatchUp catch_up;
  CollectingChecksumObserver checked;
  executor::ChunkChecksumConfig config;
  config.chunk = ChunkSizerConfig{500, 1000, 1000, 1000};
  executor::ChunkChecksum checksum(*conn, info, catch_up, throttle, checked, SystemClock::Instance(),
                                   executor::RealSleeper::Instance(), config);
  auto verdict = checksum.Run();
  ASSERT_TRUE(verdict.ok()) << verdict.status().ToString();
  EXPECT_TRUE(verdict->passed);
  EXPECT_EQ(verdict->recopied, 2);
  ASSERT_EQ(checked.results.size(), 3u);
  using Outcome = executor::ChecksumChunkResult::Outcome;
  EXPECT_EQ(checked.results[0].outcome, Outcome::kMatch);
  EXPECT_EQ(checked.results[1].outcome, Outcome::kMatchAfterRecopy);
  EXPECT_EQ(checked.results[1].lower, std::optional<std::string>("1000"));
  EXPECT_EQ(checked.results[1].upper, "2000");
  EXPECT_EQ(checked.results[1].recopied_rows, 1000);
  EXPECT_EQ(checked.results[2].outcome, Outcome::kMatchAfterRecopy);
  EXPECT_EQ(checked.results[2].target_rows, 1000);
  // Per differing chunk: before the re-check, before the locked compare, and
  // before the locked compare after the re-copy.
  EXPECT_EQ(catch_up.calls, 6);
  EXPECT_EQ(Fingerprint(T(), "id, v, w", "ISNULL(w)"), Fingerprint(Shadow(), "id, v, w", "ISNULL(w)"));

  // An "applier" that keeps writing a wrong value: the chunk stays different.
  auto failed = ChecksumWithAStuckRow(info, *conn, config, 42);
  ASSERT_TRUE(failed.ok()) << failed.status().ToString();
  EXPECT_FALSE(failed->passed);
  ASSERT_EQ(failed->mismatches.size(), 1u);
  EXPECT_EQ(failed->mismatches[0].upper, "1000");
  EXPECT_EQ(failed->mismatches[0].outcome, Outcome::kMismatch);
}

TEST_F(CopierTest, AChunkStillDifferentIsLockedOnlyWhereItDiffers) {
  Exec("CREATE TABLE " + T() + " (id INT PRIMARY KEY, v VARCHAR(20))");
  Exec("INSERT INTO " + T() + " SELECT seq, CONCAT('v', seq) FROM seq_1_to_2000");
  ShadowTableInfo info = MustMakeShadow("ADD COLUMN extra INT");
  CollectingCopyObserver observer;
  ASSERT_TRUE(Copy(info, SmallChunks(1000), std::nullopt, observer).ok());
  Exec("UPDATE " + Shadow() + " SET v = 'corrupt' WHERE id = 1234");  // chunk 2, piece 1000-1250

  auto conn = Connect();
  executor::NoThrottle throttle;
  FunctionCatchUp catch_up;
  CollectingChecksumObserver checked;
  executor::ChunkChecksumConfig config;
  config.chunk = ChunkSizerConfig{1000, 1000, 1000, 1000};
  config.locked_piece_rows = 250;
  executor::ChunkChecksum checksum(*conn, info, catch_up, throttle, checked, SystemClock::Instance(),
                                   executor::RealSleeper::Instance(), config);
  auto verdict = checksum.Run();
  ASSERT_TRUE(verdict.ok()) << verdict.status().ToString();
  EXPECT_TRUE(verdict->passed);
  ASSERT_EQ(checked.results.size(), 2u);
  using Outcome = executor::ChecksumChunkResult::Outcome;
  EXPECT_EQ(checked.results[0].outcome, Outcome::kMatch);
  EXPECT_EQ(checked.results[0].pieces_locked, 0);
  const auto& second = checked.results[1];
  EXPECT_EQ(second.outcome, Outcome::kMatchAfterRecopy);
  EXPECT_EQ(second.pieces_locked, 1) << "only the piece holding the difference is locked";
  EXPECT_EQ(second.recopied_rows, 250) << "and only it is re-copied";
  EXPECT_EQ(second.source_rows, 1000) << "the chunk's own counts stay on the record";
  EXPECT_EQ(second.upper, "2000");
  // Before the re-check, before each of the 4 pieces, before the differing
  // piece's locked compare and before its locked compare after the re-copy.
  EXPECT_EQ(catch_up.calls, 7);
  EXPECT_EQ(Fingerprint(T(), "id, v", "0"), Fingerprint(Shadow(), "id, v", "0"));

  // A piece that stays different makes its chunk a mismatch.
  auto failed = ChecksumWithAStuckRow(info, *conn, config, 1600);
  ASSERT_TRUE(failed.ok()) << failed.status().ToString();
  EXPECT_FALSE(failed->passed);
  ASSERT_EQ(failed->mismatches.size(), 1u);
  EXPECT_EQ(failed->mismatches[0].upper, "2000");
  EXPECT_EQ(failed->mismatches[0].pieces_locked, 1);
}

// Rows of _t_new above t's largest key when the checksum starts: a row t no
// longer has (stale) was never compared and went through to the cut-over.
TEST_F(CopierTest, ChecksumComparesRowsAboveTheTablesLargestKey) {
  Exec("CREATE TABLE " + T() + " (id INT PRIMARY KEY, v VARCHAR(20))");
  Exec("INSERT INTO " + T() + " SELECT seq, CONCAT('v', seq) FROM seq_1_to_2000");
  ShadowTableInfo info = MustMakeShadow("ADD COLUMN extra INT");
  CollectingCopyObserver observer;
  ASSERT_TRUE(Copy(info, SmallChunks(1000), std::nullopt, observer).ok());
  Exec("INSERT INTO " + Shadow() + " (id, v) VALUES (5000, 'stale'), (5001, 'stale')");

  auto conn = Connect();
  executor::NoThrottle throttle;
  FunctionCatchUp catch_up;
  CollectingChecksumObserver checked;
  executor::ChunkChecksumConfig config;
  config.chunk = ChunkSizerConfig{500, 1000, 1000, 1000};
  executor::ChunkChecksum checksum(*conn, info, catch_up, throttle, checked, SystemClock::Instance(),
                                   executor::RealSleeper::Instance(), config);
  auto verdict = checksum.Run();
  ASSERT_TRUE(verdict.ok()) << verdict.status().ToString();
  EXPECT_TRUE(verdict->passed);
  EXPECT_EQ(verdict->recopied, 1) << "the tail above 2000 was not compared";
  ASSERT_FALSE(checked.results.empty());
  EXPECT_EQ(checked.results.back().lower, std::optional<std::string>("2000"));
  EXPECT_EQ(Fingerprint(T(), "id, v", "0"), Fingerprint(Shadow(), "id, v", "0"));
}

TEST_F(CopierTest, ChecksumTrailChecksOnlyWhatIsCopiedAndOnlyWhenAllowed) {
  Exec("CREATE TABLE " + T() + " (id INT PRIMARY KEY, v VARCHAR(20))");
  Exec("INSERT INTO " + T() + " SELECT seq, CONCAT('v', seq) FROM seq_1_to_3000");
  ShadowTableInfo info = MustMakeShadow("ADD COLUMN extra INT");
  CollectingCopyObserver observer;
  ASSERT_TRUE(Copy(info, SmallChunks(1000), std::nullopt, observer).ok());
  Exec("UPDATE " + Shadow() + " SET v = 'corrupt' WHERE id = 1500");   // inside the "copied" part
  Exec("UPDATE " + Shadow() + " SET v = 'corrupt' WHERE id = 2500");   // beyond it

  auto conn = Connect();
  FunctionCatchUp catch_up;
  std::atomic<bool> allowed{false};
  executor::ChunkChecksumConfig config;
  config.chunk = ChunkSizerConfig{500, 500, 500, 500};
  executor::ChecksumTrail trail(*conn, info, catch_up, [&] { return allowed.load(); },
                                SystemClock::Instance(), executor::RealSleeper::Instance(), config);
  trail.CopiedUpTo("2000");  // as if the copy had reached id 2000
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_EQ(Value("SELECT v FROM " + Shadow() + " WHERE id = 1500"), "corrupt")
      << "not allowed yet (a busy server): the trail waits";
  allowed = true;
  // Wait until it has checked up to the watermark (four 500-row chunks).
  for (int i = 0; i < 200 && Value("SELECT v FROM " + Shadow() + " WHERE id = 1500") != "v1500"; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  executor::ChecksumTrail::Outcome outcome = trail.Finish();
  ASSERT_TRUE(outcome.status.ok()) << outcome.status.ToString();
  EXPECT_EQ(outcome.verdict.chunks, 4);
  EXPECT_EQ(outcome.verdict.rows, 2000);
  EXPECT_EQ(outcome.verdict.recopied, 1) << "id 1500 was repaired";
  EXPECT_EQ(outcome.verdict.checked_upto, std::optional<std::string>("2000"));
  ASSERT_EQ(outcome.notable.size(), 1u);
  EXPECT_EQ(outcome.notable[0].upper, "1500");
  EXPECT_EQ(Value("SELECT v FROM " + Shadow() + " WHERE id = 2500"), "corrupt")
      << "beyond the watermark is the checksum after the copy's";

  // The checksum after the copy starts where the trail stopped.
  auto after_conn = Connect();
  executor::NoThrottle throttle;
  CollectingChecksumObserver checked;
  executor::ChunkChecksum rest(*after_conn, info, catch_up, throttle, checked,
                               SystemClock::Instance(), executor::RealSleeper::Instance(), config);
  auto verdict = rest.Run(outcome.verdict.checked_upto);
  ASSERT_TRUE(verdict.ok()) << verdict.status().ToString();
  EXPECT_TRUE(verdict->passed);
  EXPECT_EQ(verdict->rows, 1000);
  EXPECT_EQ(verdict->recopied, 1);
  EXPECT_EQ(Fingerprint(T(), "id, v", "0"), Fingerprint(Shadow(), "id, v", "0"));
}

TEST_F(CopierTest, KeysByValueCopyDenseSparseNegative) {
  Exec("CREATE TABLE " + T() + " (id BIGINT PRIMARY KEY, v INT)");
  Exec("INSERT INTO " + T() + " SELECT CAST(seq AS SIGNED) - 2000, seq FROM seq_1_to_3000");          // -1999..1000, dense
  Exec("INSERT INTO " + T() + " SELECT 1000000 + seq * 37, seq FROM seq_1_to_500");   // sparse
  Exec("INSERT INTO " + T() + " VALUES (9223372036854775807, 1)");                    // the largest BIGINT
  ShadowTableInfo info = MustMakeShadow("ADD COLUMN extra INT");
  CollectingCopyObserver observer;
  auto copied = Copy(info, SmallChunks(200), std::nullopt, observer);
  ASSERT_TRUE(copied.ok()) << copied.status().ToString();
  EXPECT_EQ(copied->progress.rows_copied, 3501);
  EXPECT_EQ(Fingerprint(T(), "id, v", "0"), Fingerprint(Shadow(), "id, v", "0"));
  // Dense chunks hold what the sizer asked for, in value order: the watermarks
  // of the first chunks step by the chunk's size.
  ASSERT_GE(observer.reports.size(), 3u);
  EXPECT_EQ(observer.reports[0].watermark, std::optional<std::string>("-1800"));
  EXPECT_EQ(observer.reports[1].watermark, std::optional<std::string>("-1600"));
  EXPECT_EQ(observer.reports[1].last_chunk_rows, 200);

  // BIGINT UNSIGNED near its top: the sum of key and span must not wrap.
  table_ += "_u";
  Exec("CREATE TABLE " + T() + " (id BIGINT UNSIGNED PRIMARY KEY, v INT)");
  Exec("INSERT INTO " + T() + " SELECT 18446744073709551615 - seq, seq FROM seq_0_to_999");
  ShadowTableInfo top = MustMakeShadow("ADD COLUMN extra INT");
  CollectingCopyObserver top_observer;
  auto top_copied = Copy(top, SmallChunks(300), std::nullopt, top_observer);
  ASSERT_TRUE(top_copied.ok()) << top_copied.status().ToString();
  EXPECT_EQ(top_copied->progress.rows_copied, 1000);
  EXPECT_EQ(Fingerprint(T(), "id, v", "0"), Fingerprint(Shadow(), "id, v", "0"));
}

}  // namespace
}  // namespace lockstep::testing
