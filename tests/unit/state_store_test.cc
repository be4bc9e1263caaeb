// StateStore against real SQLite files: opening, migrations, phase CAS,
// the event log, concurrency between handles.
#include "state/state_store.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <latch>
#include <string>
#include <thread>

#include "common/clock.h"
#include "state/sqlite_db.h"
#include "state/sqlite_transaction.h"

#include "state_test_support.h"

namespace lockstep {
namespace {

class StateStoreTest : public StateDirTest {
 protected:

  std::unique_ptr<StateStore> Open(int busy_timeout_ms = 5000) {
    auto store = StateStore::Open(path_, {.busy_timeout_ms = busy_timeout_ms, .clock = &clock_});
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    return store.ok() ? std::move(store).value() : nullptr;
  }

  // A second connection that bypasses the store, as an operator with the
  // sqlite3 shell (or a bug) would.
  SqliteDb Raw() {
    auto db = SqliteDb::OpenExisting(path_);
    EXPECT_TRUE(db.ok()) << db.status().ToString();
    return std::move(db).value();
  }

  static MigrationSpec Spec(const std::string& table = "orders") {
    MigrationSpec spec;
    spec.table_schema = "shop";
    spec.table_name = table;
    spec.alter_sql = "ALTER TABLE shop." + table + " ADD COLUMN note VARCHAR(64)";
    spec.alter_fingerprint = "sha256:0123";
    spec.topology_fingerprint = "sha256:abcd";
    spec.plan_json = R"({"verdict":"go"})";
    spec.zone = "orders";
    spec.skew_class = SkewClass::kA;
    spec.cutover_mode = CutoverMode::kWindow;
    spec.strategy = Strategy::kCopy;
    spec.dcs = {"dc2", "dc1"};
    spec.requested_by = "alice";
    return spec;
  }

  int64_t Create(StateStore& store, const MigrationSpec& spec = Spec()) {
    auto id = store.CreateMigration(spec);
    EXPECT_TRUE(id.ok()) << id.status().ToString();
    return id.ok() ? *id : -1;
  }

  Phase PhaseOf(StateStore& store, int64_t id) {
    auto m = store.GetMigration(id);
    EXPECT_TRUE(m.ok()) << m.status().ToString();
    return m.ok() ? m->phase : Phase::kFailed;
  }

  std::vector<EventRecord> Events(StateStore& store, int64_t id) {
    auto events = store.ListEvents(id);
    EXPECT_TRUE(events.ok()) << events.status().ToString();
    return events.ok() ? *events : std::vector<EventRecord>{};
  }

  FakeClock clock_;
};

TEST_F(StateStoreTest, DatabaseWalAndShmAre0600EvenUnderPermissiveUmask) {
  std::unique_ptr<StateStore> store;
  {
    ScopedUmask permissive(0);
    store = Open();
    ASSERT_NE(store, nullptr);
    Create(*store);
  }
  // Checked while the store is open: closing the last connection removes them.
  ASSERT_TRUE(std::filesystem::exists(path_ + "-wal"));
  ASSERT_TRUE(std::filesystem::exists(path_ + "-shm"));
  EXPECT_EQ(ModeOf(path_), 0600u);
  EXPECT_EQ(ModeOf(path_ + "-wal"), 0600u);
  EXPECT_EQ(ModeOf(path_ + "-shm"), 0600u);
}

TEST_F(StateStoreTest, RefusesWorldReadableDatabase) {
  ASSERT_NE(Open(), nullptr);
  ASSERT_EQ(chmod(path_.c_str(), 0644), 0);
  auto store = StateStore::Open(path_, {.busy_timeout_ms = 100, .clock = &clock_});
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(store.status().message().find("0644"), std::string::npos);
}

TEST_F(StateStoreTest, RefusesMissingDirectory) {
  auto store = StateStore::Open((dir_ / "nope" / "state.db").string());
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.status().message().find("does not exist"), std::string::npos);
}

TEST_F(StateStoreTest, RefusesDatabaseFromNewerBinary) {
  ASSERT_NE(Open(), nullptr);
  {
    SqliteDb raw = Raw();
    ASSERT_TRUE(raw.Exec("PRAGMA user_version = 7").ok());
  }
  auto store = StateStore::Open(path_);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(store.status().message().find("newer lockstep"), std::string::npos)
      << store.status().message();
}

TEST_F(StateStoreTest, CreatedMigrationRoundTrips) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  const int64_t id = Create(*store);
  auto m = store->GetMigration(id);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(m->spec.table_schema, "shop");
  EXPECT_EQ(m->spec.table_name, "orders");
  EXPECT_EQ(m->spec.alter_fingerprint, "sha256:0123");
  EXPECT_EQ(m->spec.plan_json, R"({"verdict":"go"})");
  EXPECT_EQ(m->spec.skew_class, SkewClass::kA);
  EXPECT_EQ(m->spec.cutover_mode, CutoverMode::kWindow);
  EXPECT_EQ(m->spec.strategy, Strategy::kCopy);
  EXPECT_EQ(m->spec.dcs, (std::vector<std::string>{"dc1", "dc2"}));
  EXPECT_EQ(m->spec.requested_by, "alice");
  EXPECT_EQ(m->phase, Phase::kPlanned);
  EXPECT_FALSE(m->paused);
  EXPECT_EQ(m->created_at, clock_.NowMillis());
  auto dcs = store->ListDcProgress(id);
  ASSERT_TRUE(dcs.ok());
  ASSERT_EQ(dcs->size(), 2u);
  EXPECT_EQ((*dcs)[0].phase, Phase::kPlanned);
  auto events = Events(*store, id);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].event.kind, event_kinds::kMigrationCreated);
  EXPECT_EQ(events[0].event.actor, "alice");
}

TEST_F(StateStoreTest, CreateValidatesSpec) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  MigrationSpec no_dcs = Spec();
  no_dcs.dcs.clear();
  EXPECT_TRUE(store->CreateMigration(no_dcs).status().IsInvalidArgument());
  MigrationSpec twice = Spec();
  twice.dcs = {"dc1", "dc1"};
  EXPECT_TRUE(store->CreateMigration(twice).status().IsInvalidArgument());
  MigrationSpec bad_json = Spec();
  bad_json.plan_json = "{not json";
  EXPECT_TRUE(store->CreateMigration(bad_json).status().IsInvalidArgument());
  MigrationSpec anonymous = Spec();
  anonymous.requested_by.clear();
  EXPECT_TRUE(store->CreateMigration(anonymous).status().IsInvalidArgument());
  auto all = store->ListMigrations();
  ASSERT_TRUE(all.ok());
  EXPECT_TRUE(all->empty());
}

TEST_F(StateStoreTest, OneActiveMigrationPerTable) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  const int64_t first = Create(*store);
  auto second = store->CreateMigration(Spec());
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), StatusCode::kAlreadyExists);
  EXPECT_NE(second.status().message().find("migration " + std::to_string(first)),
            std::string::npos);
  EXPECT_TRUE(store->CreateMigration(Spec("customers")).ok()) << "other tables are independent";

  ASSERT_TRUE(
      store->TransitionPhase(first, Phase::kPlanned, Phase::kAborted, "bob", "wrong ALTER").ok());
  auto active = store->ActiveMigrationFor("shop", "orders");
  ASSERT_TRUE(active.ok());
  EXPECT_FALSE(active->has_value());
  auto third = store->CreateMigration(Spec());
  ASSERT_TRUE(third.ok()) << third.status().ToString();
  active = store->ActiveMigrationFor("shop", "orders");
  ASSERT_TRUE(active.ok() && active->has_value());
  EXPECT_EQ((*active)->id, *third);
}

TEST_F(StateStoreTest, ListMigrationsFilters) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  const int64_t a = Create(*store, Spec("a"));
  const int64_t b = Create(*store, Spec("b"));
  ASSERT_TRUE(store->TransitionPhase(a, Phase::kPlanned, Phase::kFailed, "lockstep", "x").ok());
  auto all = store->ListMigrations();
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].id, b) << "newest first";
  auto active = store->ListMigrations({.active_only = true, .table_schema = {}, .table_name = {}});
  ASSERT_TRUE(active.ok());
  ASSERT_EQ(active->size(), 1u);
  EXPECT_EQ((*active)[0].id, b);
  auto by_table =
      store->ListMigrations({.active_only = false, .table_schema = {}, .table_name = "a"});
  ASSERT_TRUE(by_table.ok());
  ASSERT_EQ(by_table->size(), 1u);
  EXPECT_EQ((*by_table)[0].id, a);
}

TEST_F(StateStoreTest, TransitionIsCompareAndSwapWithEvent) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  const int64_t id = Create(*store);
  clock_.Advance(1000);
  ASSERT_TRUE(
      store->TransitionPhase(id, Phase::kPlanned, Phase::kShadowCreated, "lockstep", "").ok());
  EXPECT_EQ(PhaseOf(*store, id), Phase::kShadowCreated);

  Status stale = store->TransitionPhase(id, Phase::kPlanned, Phase::kShadowCreated, "lockstep", "");
  ASSERT_TRUE(stale.IsConflict()) << stale.ToString();
  EXPECT_NE(stale.message().find("is in phase shadow_created, not planned"), std::string::npos)
      << stale.message();

  auto m = store->GetMigration(id);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->phase_entered_at.at(Phase::kShadowCreated), clock_.NowMillis());
  EXPECT_EQ(m->updated_at, clock_.NowMillis());
  EXPECT_EQ(m->phase_entered_at.count(Phase::kCopying), 0u);

  auto events = Events(*store, id);
  ASSERT_EQ(events.size(), 2u) << "created + one transition; the conflict wrote nothing";
  EXPECT_EQ(events[1].event.kind, event_kinds::kPhase);
  EXPECT_EQ(events[1].event.message, "planned -> shadow_created");
  EXPECT_EQ(events[1].at, clock_.NowMillis());
}

TEST_F(StateStoreTest, IllegalTransitionRefusedAndNothingWritten) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  const int64_t id = Create(*store);
  Status s = store->TransitionPhase(id, Phase::kPlanned, Phase::kDone, "lockstep", "");
  ASSERT_TRUE(s.IsInvalidArgument()) << s.ToString();
  EXPECT_NE(s.message().find("planned -> done"), std::string::npos);
  s = store->TransitionPhase(id, Phase::kPlanned, Phase::kReady, "lockstep", "");
  EXPECT_TRUE(s.IsInvalidArgument()) << "shadow_copy cannot skip the copy";
  EXPECT_EQ(PhaseOf(*store, id), Phase::kPlanned);
  EXPECT_EQ(Events(*store, id).size(), 1u);
  EXPECT_TRUE(
      store->TransitionPhase(id + 100, Phase::kPlanned, Phase::kAborted, "x", "").IsNotFound());
  EXPECT_TRUE(
      store->TransitionPhase(id, Phase::kPlanned, Phase::kAborted, "", "").IsInvalidArgument());
}

TEST_F(StateStoreTest, NativeStrategySkipsShadowPhases) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  MigrationSpec spec = Spec();
  spec.strategy = Strategy::kInstant;
  const int64_t id = Create(*store, spec);
  EXPECT_TRUE(store->TransitionPhase(id, Phase::kPlanned, Phase::kShadowCreated, "l", "")
                  .IsInvalidArgument());
  EXPECT_TRUE(store->TransitionPhase(id, Phase::kPlanned, Phase::kReady, "l", "").ok());
}

TEST_F(StateStoreTest, FailedEventWriteRollsBackTheTransition) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  const int64_t id = Create(*store);
  {
    // Fault injection: any event insert now fails, after the phase UPDATE ran.
    SqliteDb raw = Raw();
    ASSERT_TRUE(raw.Exec("CREATE TRIGGER inject_event_failure BEFORE INSERT ON events "
                         "BEGIN SELECT RAISE(ABORT, 'injected event failure'); END")
                    .ok());
  }
  Status s = store->TransitionPhase(id, Phase::kPlanned, Phase::kShadowCreated, "lockstep", "");
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("injected event failure"), std::string::npos) << s.ToString();
  EXPECT_EQ(PhaseOf(*store, id), Phase::kPlanned) << "the phase change rolled back with its event";
  auto m = store->GetMigration(id);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->phase_entered_at.count(Phase::kShadowCreated), 0u);
  {
    SqliteDb raw = Raw();
    ASSERT_TRUE(raw.Exec("DROP TRIGGER inject_event_failure").ok());
  }
  EXPECT_TRUE(
      store->TransitionPhase(id, Phase::kPlanned, Phase::kShadowCreated, "lockstep", "").ok());
  EXPECT_EQ(Events(*store, id).size(), 2u);
}

TEST_F(StateStoreTest, TwoHandlesRaceForOneTransitionAndExactlyOneWins) {
  auto setup = Open();
  ASSERT_NE(setup, nullptr);
  const int64_t id = Create(*setup);
  constexpr int kHandles = 4;
  std::vector<std::unique_ptr<StateStore>> stores;
  for (int i = 0; i < kHandles; ++i) {
    stores.push_back(Open());
    ASSERT_NE(stores.back(), nullptr);
  }
  std::latch start(kHandles);
  std::atomic<int> wins = 0, conflicts = 0;
  std::vector<std::thread> threads;
  for (int i = 0; i < kHandles; ++i) {
    threads.emplace_back([&, i] {
      start.arrive_and_wait();
      Status s = stores[i]->TransitionPhase(id, Phase::kPlanned, Phase::kShadowCreated,
                                            "coordinator-" + std::to_string(i), "");
      if (s.ok()) ++wins;
      if (s.IsConflict()) ++conflicts;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(wins, 1);
  EXPECT_EQ(conflicts, kHandles - 1);
  EXPECT_EQ(Events(*setup, id).size(), 2u);
}

TEST_F(StateStoreTest, BusyTimeoutGivesErrorNotHang) {
  auto store = Open(/*busy_timeout_ms=*/100);
  ASSERT_NE(store, nullptr);
  SqliteDb raw = Raw();
  auto held = SqliteTransaction::BeginImmediate(raw);  // another writer holds the lock
  ASSERT_TRUE(held.ok());
  const auto start = std::chrono::steady_clock::now();
  auto id = store->CreateMigration(Spec());
  const auto waited = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(id.ok());
  EXPECT_TRUE(id.status().IsTimeout()) << id.status().ToString();
  EXPECT_NE(id.status().message().find(path_), std::string::npos);
  EXPECT_GE(waited, std::chrono::milliseconds(90));
  EXPECT_LT(waited, std::chrono::seconds(4));
  ASSERT_TRUE(held->Commit().ok());
  EXPECT_TRUE(store->CreateMigration(Spec()).ok()) << "works once the lock is released";
}

TEST_F(StateStoreTest, EventLogIsAppendOnly) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  const int64_t id = Create(*store);
  ASSERT_TRUE(store
                  ->AppendEvent({.migration_id = id,
                                 .actor = "bob",
                                 .kind = "note",
                                 .dc = "dc1",
                                 .message = "hello",
                                 .reason = "testing"})
                  .ok());
  SqliteDb raw = Raw();
  Status update = raw.Exec("UPDATE events SET message = 'rewritten'");
  EXPECT_TRUE(update.IsConflict()) << update.ToString();
  EXPECT_NE(update.message().find("append-only"), std::string::npos);
  Status del = raw.Exec("DELETE FROM events");
  EXPECT_TRUE(del.IsConflict()) << del.ToString();
  auto events = Events(*store, id);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[1].event.message, "hello");
  EXPECT_EQ(events[1].event.dc, "dc1");
  EXPECT_EQ(events[1].event.reason, "testing");
}

TEST_F(StateStoreTest, ListEventsSinceIdAndAcrossMigrations) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  const int64_t a = Create(*store, Spec("a"));
  const int64_t b = Create(*store, Spec("b"));
  auto global = store->AppendEvent({.migration_id = std::nullopt,
                                    .actor = "lockstep",
                                    .kind = "startup",
                                    .dc = std::nullopt,
                                    .message = "",
                                    .reason = ""});
  ASSERT_TRUE(global.ok());
  auto all = store->ListEvents(std::nullopt);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 3u);
  auto after_first = store->ListEvents(std::nullopt, (*all)[0].id);
  ASSERT_TRUE(after_first.ok());
  EXPECT_EQ(after_first->size(), 2u);
  auto of_b = store->ListEvents(b);
  ASSERT_TRUE(of_b.ok());
  ASSERT_EQ(of_b->size(), 1u);
  EXPECT_EQ(of_b->front().event.migration_id, b);
  EXPECT_NE(a, b);
  EXPECT_TRUE(store
                  ->AppendEvent({.migration_id = a,
                                 .actor = "",
                                 .kind = "k",
                                 .dc = std::nullopt,
                                 .message = "",
                                 .reason = ""})
                  .status()
                  .IsInvalidArgument());
}

TEST_F(StateStoreTest, PauseIsAFlagNotAPhase) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  const int64_t id = Create(*store);
  ASSERT_TRUE(store->SetPaused(id, true, "bob", "peak traffic").ok());
  ASSERT_TRUE(store->SetPaused(id, true, "bob", "again").ok());
  auto m = store->GetMigration(id);
  ASSERT_TRUE(m.ok());
  EXPECT_TRUE(m->paused);
  EXPECT_EQ(m->phase, Phase::kPlanned);
  ASSERT_TRUE(store->SetPaused(id, false, "bob", "traffic down").ok());
  auto events = Events(*store, id);
  ASSERT_EQ(events.size(), 3u) << "created, paused, resumed; the repeat logged nothing";
  EXPECT_EQ(events[1].event.kind, event_kinds::kPaused);
  EXPECT_EQ(events[1].event.reason, "peak traffic");
  EXPECT_EQ(events[2].event.kind, event_kinds::kResumed);
}

TEST_F(StateStoreTest, EverythingSurvivesCloseAndReopen) {
  int64_t id = 0;
  {
    auto store = Open();
    ASSERT_NE(store, nullptr);
    id = Create(*store);
    ASSERT_TRUE(store->TransitionPhase(id, Phase::kPlanned, Phase::kShadowCreated, "l", "").ok());
    ASSERT_TRUE(store
                    ->SaveCheckpoint(id, "dc1",
                                     {.binlog_gtid = "0-1-42",
                                      .binlog_file = std::nullopt,
                                      .binlog_pos = std::nullopt,
                                      .copy_watermark = "[17]",
                                      .rows_copied = 17,
                                      .rows_total_estimate = 100,
                                      .applier_events = 3})
                    .ok());
    ASSERT_TRUE(store->SetPaused(id, true, "bob", "lunch").ok());
  }
  auto store = Open();
  ASSERT_NE(store, nullptr);
  auto m = store->GetMigration(id);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->phase, Phase::kShadowCreated);
  EXPECT_TRUE(m->paused);
  auto dc1 = store->GetDcProgress(id, "dc1");
  ASSERT_TRUE(dc1.ok());
  EXPECT_EQ(dc1->checkpoint.binlog_gtid, "0-1-42");
  EXPECT_EQ(dc1->checkpoint.copy_watermark, "[17]");
  EXPECT_EQ(dc1->checkpoint.rows_copied, 17);
  EXPECT_EQ(Events(*store, id).size(), 3u);
}

}  // namespace
}  // namespace lockstep
