// StateStore through a migration's life: per-DC progress and checkpoints,
// artifacts, cut-over attempts and operator commands.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <latch>
#include <string>
#include <thread>

#include "common/clock.h"
#include "state/sqlite_db.h"
#include "state/state_store.h"

#include "state_test_support.h"

namespace lockstep {
namespace {

class StateLifecycleTest : public StateDirTest {
 protected:
  void SetUp() override {
    StateDirTest::SetUp();
    store_ = Open();
    ASSERT_NE(store_, nullptr);
    MigrationSpec spec;
    spec.table_schema = "shop";
    spec.table_name = "orders";
    spec.alter_sql = "ALTER TABLE shop.orders ADD COLUMN note VARCHAR(64)";
    spec.alter_fingerprint = "sha256:0123";
    spec.plan_json = "{}";
    spec.zone = "orders";
    spec.dcs = {"dc1", "dc2"};
    spec.requested_by = "alice";
    auto id = store_->CreateMigration(spec);
    ASSERT_TRUE(id.ok()) << id.status().ToString();
    id_ = *id;
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::unique_ptr<StateStore> Open() {
    auto store = StateStore::Open(path_, {.busy_timeout_ms = 5000, .clock = &clock_});
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    return store.ok() ? std::move(store).value() : nullptr;
  }

  // Moves the migration along `phases`, starting from its current phase.
  void Walk(std::initializer_list<Phase> phases) {
    auto m = store_->GetMigration(id_);
    ASSERT_TRUE(m.ok());
    Phase from = m->phase;
    for (Phase to : phases) {
      Status s = store_->TransitionPhase(id_, from, to, "lockstep", "");
      ASSERT_TRUE(s.ok()) << s.ToString();
      from = to;
    }
  }
  void WalkToCuttingOver() {
    Walk({Phase::kShadowCreated, Phase::kCopying, Phase::kVerifying, Phase::kReady,
          Phase::kCuttingOver});
  }

  Artifact Shadow(const std::string& dc = "dc1") {
    return {.migration_id = id_,
            .dc = dc,
            .schema_name = "shop",
            .object_name = "_orders_new",
            .kind = ArtifactKind::kShadow};
  }

  OperatorCommand Command(OperatorCommandKind kind, const std::string& reason) {
    return {
        .migration_id = id_, .command = kind, .args_json = "{}", .actor = "bob", .reason = reason};
  }

  FakeClock clock_;
  std::unique_ptr<StateStore> store_;
  int64_t id_ = 0;
};

// --- Per-DC progress ---

TEST_F(StateLifecycleTest, CheckpointRoundTrip) {
  Checkpoint cp{.binlog_gtid = "0-1-100,1-2-7",
                .binlog_file = "mariadb-bin.000042",
                .binlog_pos = 123456,
                .copy_watermark = R"([1017,"b"])",
                .rows_copied = 1017,
                .rows_total_estimate = 5000,
                .applier_events = 88};
  clock_.Advance(5);
  ASSERT_TRUE(store_->SaveCheckpoint(id_, "dc2", cp).ok());
  auto got = store_->GetDcProgress(id_, "dc2");
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->checkpoint.binlog_gtid, cp.binlog_gtid);
  EXPECT_EQ(got->checkpoint.binlog_file, cp.binlog_file);
  EXPECT_EQ(got->checkpoint.binlog_pos, cp.binlog_pos);
  EXPECT_EQ(got->checkpoint.copy_watermark, cp.copy_watermark);
  EXPECT_EQ(got->checkpoint.rows_copied, 1017);
  EXPECT_EQ(got->checkpoint.rows_total_estimate, 5000);
  EXPECT_EQ(got->checkpoint.applier_events, 88);
  EXPECT_EQ(got->updated_at, clock_.NowMillis());
  auto other = store_->GetDcProgress(id_, "dc1");
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(other->checkpoint.copy_watermark, std::nullopt) << "DCs are independent";
}

TEST_F(StateLifecycleTest, CheckpointValidationAndUnknownDc) {
  Checkpoint half{.binlog_gtid = std::nullopt,
                  .binlog_file = "bin.000001",
                  .binlog_pos = std::nullopt,
                  .copy_watermark = std::nullopt,
                  .rows_copied = 0,
                  .rows_total_estimate = 0,
                  .applier_events = 0};
  EXPECT_TRUE(store_->SaveCheckpoint(id_, "dc1", half).IsInvalidArgument());
  EXPECT_TRUE(store_->SaveCheckpoint(id_, "dc9", Checkpoint{}).IsNotFound());
  EXPECT_TRUE(store_->GetDcProgress(id_, "dc9").status().IsNotFound());
}

TEST_F(StateLifecycleTest, ChecksumWatermarkIsKeptApartFromTheCopysCheckpoint) {
  auto fresh = store_->GetDcProgress(id_, "dc1");
  ASSERT_TRUE(fresh.ok());
  EXPECT_EQ(fresh->checksum_watermark, std::nullopt);
  ASSERT_TRUE(store_->SaveChecksumWatermark(id_, "dc1", std::string("[500]")).ok());
  // A copy checkpoint replaces its own fields only.
  Checkpoint copied;
  copied.copy_watermark = "[900]";
  ASSERT_TRUE(store_->SaveCheckpoint(id_, "dc1", copied).ok());
  auto got = store_->GetDcProgress(id_, "dc1");
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->checksum_watermark, std::optional<std::string>("[500]"));
  EXPECT_EQ(got->checkpoint.copy_watermark, std::optional<std::string>("[900]"));
  ASSERT_TRUE(store_->SaveChecksumWatermark(id_, "dc1", std::nullopt).ok());
  EXPECT_EQ(store_->GetDcProgress(id_, "dc1")->checksum_watermark, std::nullopt);
  EXPECT_EQ(store_->SaveChecksumWatermark(id_, "dc9", std::string("[1]")).code(),
            StatusCode::kFailedPrecondition);
  Walk({Phase::kAborted});
  EXPECT_EQ(store_->SaveChecksumWatermark(id_, "dc1", std::string("[600]")).code(),
            StatusCode::kFailedPrecondition);
}

TEST_F(StateLifecycleTest, CheckpointRefusedOnceMigrationIsTerminal) {
  Walk({Phase::kAborted});
  Status s = store_->SaveCheckpoint(id_, "dc1", Checkpoint{});
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition) << s.ToString();
}

TEST_F(StateLifecycleTest, DcPhaseIsCompareAndSwapWithEvent) {
  ASSERT_TRUE(store_
                  ->TransitionDcPhase(id_, "dc1", Phase::kPlanned, Phase::kShadowCreated,
                                      "executor-dc1", "")
                  .ok());
  Status stale = store_->TransitionDcPhase(id_, "dc1", Phase::kPlanned, Phase::kShadowCreated,
                                           "executor-dc1", "");
  ASSERT_TRUE(stale.IsConflict()) << stale.ToString();
  EXPECT_NE(stale.message().find("dc1 is in phase shadow_created"), std::string::npos);
  EXPECT_TRUE(store_->TransitionDcPhase(id_, "dc2", Phase::kPlanned, Phase::kCopying, "x", "")
                  .IsInvalidArgument());
  EXPECT_TRUE(store_->TransitionDcPhase(id_, "dc9", Phase::kPlanned, Phase::kShadowCreated, "x", "")
                  .IsNotFound());
  auto dc1 = store_->GetDcProgress(id_, "dc1");
  auto dc2 = store_->GetDcProgress(id_, "dc2");
  ASSERT_TRUE(dc1.ok() && dc2.ok());
  EXPECT_EQ(dc1->phase, Phase::kShadowCreated);
  EXPECT_EQ(dc2->phase, Phase::kPlanned);
  auto events = store_->ListEvents(id_);
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 2u);
  EXPECT_EQ(events->back().event.kind, event_kinds::kDcPhase);
  EXPECT_EQ(events->back().event.dc, "dc1");
}

// --- Artifacts ---

TEST_F(StateLifecycleTest, ArtifactLifecycle) {
  auto id = store_->RecordArtifactPlanned(Shadow());
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  auto again = store_->RecordArtifactPlanned(Shadow());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, *id) << "re-recording after a crash returns the same row";

  clock_.Advance(10);
  ASSERT_TRUE(store_->MarkArtifactCreated(*id).ok());
  ASSERT_TRUE(store_->MarkArtifactCreated(*id).ok()) << "repeatable";
  clock_.Advance(10);
  ASSERT_TRUE(store_->MarkArtifactDropped(*id).ok());
  ASSERT_TRUE(store_->MarkArtifactDropped(*id).ok()) << "repeatable";
  EXPECT_TRUE(store_->MarkArtifactCreated(*id).IsConflict()) << "a dropped artifact stays dropped";

  auto list = store_->ListArtifacts(id_);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 1u);
  const ArtifactRecord& a = list->front();
  EXPECT_EQ(a.state, ArtifactState::kDropped);
  EXPECT_EQ(a.artifact.object_name, "_orders_new");
  EXPECT_EQ(a.artifact.kind, ArtifactKind::kShadow);
  EXPECT_EQ(a.planned_at + 10, a.created_at);
  EXPECT_EQ(a.planned_at + 20, a.dropped_at);

  auto reused = store_->RecordArtifactPlanned(Shadow());
  ASSERT_TRUE(reused.ok()) << "a dropped name may be planned again";
  EXPECT_NE(*reused, *id);
  EXPECT_TRUE(store_->MarkArtifactCreated(*id + 100).IsNotFound());
}

TEST_F(StateLifecycleTest, EveryArtifactKindIsStorable) {
  for (ArtifactKind kind : {ArtifactKind::kShadow, ArtifactKind::kOld, ArtifactKind::kSentry,
                            ArtifactKind::kFenceTrigger, ArtifactKind::kMarker}) {
    Artifact a = Shadow();
    a.kind = kind;
    a.object_name = std::string("_") + ArtifactKindName(kind);
    auto id = store_->RecordArtifactPlanned(a);
    EXPECT_TRUE(id.ok()) << ArtifactKindName(kind) << ": " << id.status().ToString();
  }
  Artifact marker = Shadow();
  marker.kind = ArtifactKind::kMarker;
  marker.object_name = "lockstep_marker";
  EXPECT_TRUE(store_->RecordArtifactPlanned(marker).ok()) << "the replicated marker has no '_'";
}

TEST_F(StateLifecycleTest, ArtifactRulesProtectUserTables) {
  Artifact user_table = Shadow();
  user_table.object_name = "orders";
  EXPECT_TRUE(store_->RecordArtifactPlanned(user_table).status().IsInvalidArgument());
  EXPECT_TRUE(store_->RecordArtifactPlanned(Shadow("dc9")).status().IsNotFound());
  {
    // The schema enforces it too, for writers that bypass the store.
    auto raw = SqliteDb::OpenExisting(path_);
    ASSERT_TRUE(raw.ok());
    Status s = raw->Exec(
        "INSERT INTO artifacts (migration_id, dc, schema_name, object_name, kind, "
        "state, planned_at) VALUES (1, 'dc1', 'shop', 'orders', 'old', 'planned', 0)");
    EXPECT_TRUE(s.IsConflict()) << s.ToString();
  }
  ASSERT_TRUE(store_->RecordArtifactPlanned(Shadow()).ok());
  Artifact as_old = Shadow();
  as_old.kind = ArtifactKind::kOld;
  EXPECT_EQ(store_->RecordArtifactPlanned(as_old).status().code(), StatusCode::kAlreadyExists);

  Walk({Phase::kAborted});
  Artifact later = Shadow("dc2");
  EXPECT_EQ(store_->RecordArtifactPlanned(later).status().code(), StatusCode::kFailedPrecondition);
  auto list = store_->ListArtifacts(id_);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 1u);
  EXPECT_TRUE(store_->MarkArtifactDropped(list->front().id).ok()) << "clean-up after abort";
}

// --- Cut-over attempts ---

TEST_F(StateLifecycleTest, CutoverNeedsCuttingOverPhase) {
  EXPECT_EQ(store_->BeginCutoverAttempt(id_, 3000, "lockstep").status().code(),
            StatusCode::kFailedPrecondition);
  WalkToCuttingOver();
  auto attempt = store_->BeginCutoverAttempt(id_, 3000, "lockstep");
  ASSERT_TRUE(attempt.ok()) << attempt.status().ToString();
  EXPECT_EQ(attempt->attempt_no, 1);
  EXPECT_EQ(attempt->mode, CutoverMode::kFenced) << "the migration's mode";
  EXPECT_EQ(attempt->decision, CutoverDecision::kPending);
  EXPECT_EQ(attempt->deadline_at, attempt->started_at + 3000);
  EXPECT_TRUE(store_->BeginCutoverAttempt(id_, 3000, "lockstep").status().IsConflict())
      << "one pending attempt at a time";
}

TEST_F(StateLifecycleTest, DecisionHappensExactlyOnce) {
  WalkToCuttingOver();
  auto attempt = store_->BeginCutoverAttempt(id_, 3000, "lockstep");
  ASSERT_TRUE(attempt.ok());
  ASSERT_TRUE(store_
                  ->DecideCutoverAttempt(attempt->id, CutoverDecision::kCommit,
                                         R"({"dc1":{"prepare_ms":40}})", "lockstep", "all ready")
                  .ok());
  Status again = store_->DecideCutoverAttempt(attempt->id, CutoverDecision::kAbort, std::nullopt,
                                              "bob", "second thoughts");
  ASSERT_TRUE(again.IsConflict()) << again.ToString();
  EXPECT_NE(again.message().find("already decided: commit"), std::string::npos);
  EXPECT_TRUE(
      store_->DecideCutoverAttempt(attempt->id, CutoverDecision::kPending, std::nullopt, "x", "")
          .IsInvalidArgument());

  auto raw = SqliteDb::OpenExisting(path_);
  ASSERT_TRUE(raw.ok());
  EXPECT_TRUE(raw->Exec("UPDATE cutover_attempts SET decision = 'abort'").IsConflict())
      << "the schema keeps a decision final even against raw writers";

  // The report may follow the decision (a COMMIT's renames come after it);
  // nothing else of the attempt may.
  ASSERT_TRUE(store_->RecordCutoverTimings(attempt->id, R"({"dcs":[{"dc":"dc1","rename_ms":3}]})").ok());
  EXPECT_TRUE(store_->RecordCutoverTimings(attempt->id, "{not json").IsInvalidArgument());
  EXPECT_TRUE(store_->RecordCutoverTimings(attempt->id + 100, "{}").IsNotFound());
  EXPECT_TRUE(raw->Exec("UPDATE cutover_attempts SET reason = 'other'").IsConflict());

  auto attempts = store_->ListCutoverAttempts(id_);
  ASSERT_TRUE(attempts.ok());
  ASSERT_EQ(attempts->size(), 1u);
  EXPECT_EQ(attempts->front().decision, CutoverDecision::kCommit);
  EXPECT_EQ(attempts->front().timings_json, R"({"dcs":[{"dc":"dc1","rename_ms":3}]})");
  EXPECT_EQ(attempts->front().reason, "all ready");
}

TEST_F(StateLifecycleTest, ConcurrentDecisionsOneWins) {
  WalkToCuttingOver();
  auto attempt = store_->BeginCutoverAttempt(id_, 3000, "lockstep");
  ASSERT_TRUE(attempt.ok());
  auto other = Open();
  ASSERT_NE(other, nullptr);
  std::latch start(2);
  std::atomic<int> wins = 0, conflicts = 0;
  auto decide = [&](StateStore* store, CutoverDecision d) {
    start.arrive_and_wait();
    Status s = store->DecideCutoverAttempt(attempt->id, d, std::nullopt, "coordinator", "");
    if (s.ok()) ++wins;
    if (s.IsConflict()) ++conflicts;
  };
  std::thread a(decide, store_.get(), CutoverDecision::kCommit);
  std::thread b(decide, other.get(), CutoverDecision::kAbort);
  a.join();
  b.join();
  EXPECT_EQ(wins, 1);
  EXPECT_EQ(conflicts, 1);
}

TEST_F(StateLifecycleTest, CommitAfterDeadlineRefused) {
  WalkToCuttingOver();
  auto attempt = store_->BeginCutoverAttempt(id_, 3000, "lockstep");
  ASSERT_TRUE(attempt.ok());
  clock_.Advance(3001);
  Status late = store_->DecideCutoverAttempt(attempt->id, CutoverDecision::kCommit, std::nullopt,
                                             "lockstep", "");
  EXPECT_EQ(late.code(), StatusCode::kFailedPrecondition) << late.ToString();
  EXPECT_TRUE(store_
                  ->DecideCutoverAttempt(attempt->id, CutoverDecision::kAbort, std::nullopt,
                                         "lockstep", "window missed")
                  .ok());
}

TEST_F(StateLifecycleTest, AbortedAttemptIsRetriedAndCommitOnlyRollsForward) {
  WalkToCuttingOver();
  auto first = store_->BeginCutoverAttempt(id_, 3000, "lockstep");
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(store_->TransitionPhase(id_, Phase::kCuttingOver, Phase::kReady, "lockstep", "").code(),
            StatusCode::kFailedPrecondition)
      << "the pending attempt must be decided first";
  EXPECT_EQ(
      store_->TransitionPhase(id_, Phase::kCuttingOver, Phase::kCutOver, "lockstep", "").code(),
      StatusCode::kFailedPrecondition)
      << "cut_over needs a recorded COMMIT";
  ASSERT_TRUE(store_
                  ->DecideCutoverAttempt(first->id, CutoverDecision::kAbort, std::nullopt,
                                         "lockstep", "dc2 lag")
                  .ok());
  Walk({Phase::kReady, Phase::kCuttingOver});

  auto second = store_->BeginCutoverAttempt(id_, 3000, "lockstep");
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->attempt_no, 2);
  ASSERT_TRUE(
      store_
          ->DecideCutoverAttempt(second->id, CutoverDecision::kCommit, std::nullopt, "lockstep", "")
          .ok());
  EXPECT_EQ(store_->TransitionPhase(id_, Phase::kCuttingOver, Phase::kAborted, "bob", "").code(),
            StatusCode::kFailedPrecondition)
      << "after COMMIT only forward";
  EXPECT_EQ(store_->TransitionDcPhase(id_, "dc1", Phase::kPlanned, Phase::kAborted, "x", "").code(),
            StatusCode::kFailedPrecondition)
      << "no DC aborts after COMMIT either";
  EXPECT_EQ(store_->BeginCutoverAttempt(id_, 3000, "lockstep").status().code(),
            StatusCode::kFailedPrecondition)
      << "no attempt after a commit";
  Walk({Phase::kCutOver, Phase::kCleanedUp, Phase::kDone});
}

// --- Operator commands ---

TEST_F(StateLifecycleTest, OperatorCommandNeedsAReason) {
  for (const char* reason : {"", "   ", "\t\n"}) {
    auto id = store_->EnqueueOperatorCommand(Command(OperatorCommandKind::kPause, reason));
    EXPECT_TRUE(id.status().IsInvalidArgument()) << "reason '" << reason << "'";
  }
  auto raw = SqliteDb::OpenExisting(path_);
  ASSERT_TRUE(raw.ok());
  EXPECT_TRUE(raw->Exec("INSERT INTO operator_commands (migration_id, command, actor, reason, "
                        "created_at) VALUES (1, 'pause', 'bob', ' ', 0)")
                  .IsConflict());
  auto pending = store_->TakePendingOperatorCommands(id_);
  ASSERT_TRUE(pending.ok());
  EXPECT_TRUE(pending->empty());
}

TEST_F(StateLifecycleTest, OperatorCommandsAreTakenOnceInOrder) {
  ASSERT_TRUE(store_->EnqueueOperatorCommand(Command(OperatorCommandKind::kPause, "peak")).ok());
  OperatorCommand throttle = Command(OperatorCommandKind::kThrottle, "disk busy");
  throttle.args_json = R"({"ratio":0.5})";
  ASSERT_TRUE(store_->EnqueueOperatorCommand(throttle).ok());
  clock_.Advance(7);
  auto taken = store_->TakePendingOperatorCommands(id_);
  ASSERT_TRUE(taken.ok()) << taken.status().ToString();
  ASSERT_EQ(taken->size(), 2u);
  EXPECT_EQ((*taken)[0].command.command, OperatorCommandKind::kPause);
  EXPECT_EQ((*taken)[1].command.command, OperatorCommandKind::kThrottle);
  EXPECT_EQ((*taken)[1].command.args_json, R"({"ratio":0.5})");
  EXPECT_EQ((*taken)[1].command.reason, "disk busy");
  EXPECT_EQ((*taken)[1].consumed_at, clock_.NowMillis());
  auto again = store_->TakePendingOperatorCommands(id_);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->empty());

  auto events = store_->ListEvents(id_);
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 3u);
  EXPECT_EQ(events->back().event.kind, event_kinds::kOperatorCommand);
  EXPECT_EQ(events->back().event.actor, "bob");
  EXPECT_EQ(events->back().event.reason, "disk busy");
}

TEST_F(StateLifecycleTest, OperatorCommandValidation) {
  OperatorCommand bad_args = Command(OperatorCommandKind::kOverride, "known risk");
  bad_args.args_json = "ratio=1";
  EXPECT_TRUE(store_->EnqueueOperatorCommand(bad_args).status().IsInvalidArgument());
  OperatorCommand nobody = Command(OperatorCommandKind::kAbort, "why not");
  nobody.actor.clear();
  EXPECT_TRUE(store_->EnqueueOperatorCommand(nobody).status().IsInvalidArgument());
  OperatorCommand unknown = Command(OperatorCommandKind::kAbort, "why not");
  unknown.migration_id = id_ + 100;
  EXPECT_TRUE(store_->EnqueueOperatorCommand(unknown).status().IsNotFound());
  Walk({Phase::kAborted});
  EXPECT_EQ(
      store_->EnqueueOperatorCommand(Command(OperatorCommandKind::kResume, "go")).status().code(),
      StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace lockstep
