// The coordinator against fake DCs: the barriers, the two-phase cut-over's
// decisions (COMMIT recorded before any rename, ABORT releasing every DC),
// roll-forward after COMMIT, the pause after too many attempts, recovery
// from a crash inside the cut-over, and the copies' pacing.
#include "coordinator/coordinator.h"

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <thread>

#include "coordinator/copy_pacing.h"
#include "state/state_store.h"
#include "state_test_support.h"

namespace lockstep {
namespace {

// What happened, in order, across every fake DC's thread.
class Journal {
 public:
  void Add(std::string entry) {
    std::lock_guard lock(mu_);
    entries_.push_back(std::move(entry));
    added_.notify_all();
  }
  std::vector<std::string> entries() const {
    std::lock_guard lock(mu_);
    return entries_;
  }
  int Count(const std::string& entry) const {
    std::lock_guard lock(mu_);
    return static_cast<int>(std::count(entries_.begin(), entries_.end(), entry));
  }
  // Until `entry` is in the journal (false after 5 s).
  bool WaitFor(const std::string& entry) {
    std::unique_lock lock(mu_);
    return added_.wait_for(lock, std::chrono::seconds(5), [&] {
      return std::find(entries_.begin(), entries_.end(), entry) != entries_.end();
    });
  }
  // Index of the first `entry` (-1: none).
  int First(const std::string& entry) const {
    std::lock_guard lock(mu_);
    auto it = std::find(entries_.begin(), entries_.end(), entry);
    return it == entries_.end() ? -1 : static_cast<int>(it - entries_.begin());
  }

 private:
  mutable std::mutex mu_;
  std::condition_variable added_;
  std::vector<std::string> entries_;
};

class FakeDc final : public DcExecutor {
 public:
  FakeDc(std::string name, Journal& journal, StateStore& store, int64_t id, FakeClock& clock)
      : name_(std::move(name)), journal_(journal), store_(store), id_(id), clock_(clock) {}

  // Behaviour.
  Phase start_phase = Phase::kPlanned;
  int prepare_failures = 0;         // the first N prepares fail
  bool late_prepare = false;        // the first prepare passes the deadline
  int commit_releases = 0;          // the first N commits are released before the rename
  bool copy_fails = false;
  bool catch_up_conflict = false;   // CatchUp fails with a Conflict that is no abort
  int slow_prepare_ms = 0;          // real time the first prepare takes
  bool prepare_refused = false;     // the first prepare fails for good (FailedPrecondition)
  int prepare_conflicts = 0;        // the first N prepares meet a holder of _t_new (Conflict)
  bool commit_complaint = false;    // renamed, but the witness found writes in _t_old
  std::vector<std::string> prepare_after;  // journal entries the first prepare waits for
  bool found_renamed = false;       // Reconcile finds t renamed

  const std::string& dc() const override { return name_; }
  Phase phase() const override { return phase_; }

  Status Open() override {
    if (!opened_) phase_ = start_phase;
    opened_ = true;
    if (phase_ == Phase::kCutOver) return Status::Ok();
    journal_.Add(name_ + " open");
    if (phase_ == Phase::kPlanned) phase_ = Phase::kShadowCreated;
    return Status::Ok();
  }
  Status Copy(CopyPacer& pacer) override {
    if (phase_ != Phase::kShadowCreated && phase_ != Phase::kCopying) return Status::Ok();
    phase_ = Phase::kCopying;
    if (copy_fails) return Status::Internal("disk full");
    // The others run until the pacer stops them (a failed DC) or they finish.
    int waits = 0;
    for (int chunk = 1; chunk <= 50; ++chunk) {
      executor::ThrottleDecision d = pacer.Pace(name_);
      if (d.action == executor::ThrottleDecision::Action::kStop) return Status::Internal("stopped: " + d.reason);
      if (d.action == executor::ThrottleDecision::Action::kWait) {
        if (++waits > 10000) return Status::Internal("held back by the pacer: " + d.reason);
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
        --chunk;
        continue;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
      pacer.Copied(name_, chunk * 1000, 50000);
    }
    journal_.Add(name_ + " copied");
    phase_ = Phase::kVerifying;
    return Status::Ok();
  }
  Status Verify(CopyPacer&) override {
    if (phase_ != Phase::kVerifying) return Status::Ok();
    journal_.Add(name_ + " verified");
    phase_ = Phase::kReady;
    return Status::Ok();
  }
  Status CatchUp(bool) override {
    if (catch_up_conflict) return Status::Conflict("a constraint of the state store");
    return Status::Ok();
  }
  Status Prepare() override {
    if (phase_ == Phase::kReady) phase_ = Phase::kCuttingOver;
    journal_.Add(name_ + " prepare");
    for (const auto& entry : prepare_after) EXPECT_TRUE(journal_.WaitFor(entry)) << entry;
    prepare_after.clear();
    if (prepare_conflicts > 0) {
      --prepare_conflicts;
      return Status::Conflict("_orders_new is held exclusively by another session");
    }
    if (prepare_refused) {
      prepare_refused = false;
      return Status::FailedPrecondition("_orders_old exists and is no sentry");
    }
    if (slow_prepare_ms > 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(slow_prepare_ms));
      slow_prepare_ms = 0;
      journal_.Add(name_ + " slow ready");
    }
    if (prepare_failures > 0) {
      --prepare_failures;
      return Status::Timeout("lock wait timeout on t");
    }
    if (late_prepare) {
      late_prepare = false;
      clock_.Advance(60000);
      // The coordinator records ABORT without waiting for this DC.
      for (int i = 0; i < 200; ++i) {
        auto attempts = store_.ListCutoverAttempts(id_);
        if (attempts.ok() && !attempts->empty() &&
            attempts->back().decision == CutoverDecision::kAbort) {
          journal_.Add(name_ + " saw the abort");
          break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
      }
      journal_.Add(name_ + " late ready");
    }
    prepared_ = true;
    journal_.Add(name_ + " ready");
    return Status::Ok();
  }
  Status Commit() override {
    auto attempts = store_.ListCutoverAttempts(id_);
    const bool commit_recorded = attempts.ok() && !attempts->empty() &&
                                 attempts->back().decision == CutoverDecision::kCommit;
    journal_.Add(name_ + (commit_recorded ? " commit" : " commit before the decision"));
    prepared_ = false;
    if (commit_complaint) {
      commit_complaint = false;
      phase_ = Phase::kCutOver;
      return Status::Internal(name_ + ": renamed, but 2 transactions wrote to t after the lock");
    }
    if (commit_releases > 0) {
      --commit_releases;
      return Status::Unavailable(name_ + ": released before the rename");
    }
    phase_ = Phase::kCutOver;
    return Status::Ok();
  }
  Status Release() override {
    if (prepared_) journal_.Add(name_ + " release");
    prepared_ = false;
    return Status::Ok();
  }
  Status BackOut() override {
    if (phase_ == Phase::kCuttingOver) phase_ = Phase::kReady;
    return Status::Ok();
  }
  Status Reconcile(bool committed) override {
    phase_ = start_phase;
    opened_ = true;
    journal_.Add(name_ + " reconcile");
    if (found_renamed && committed) phase_ = Phase::kCutOver;
    return Status::Ok();
  }
  executor::DcCutoverResult CutoverResult() const override {
    return {name_, phase_ == Phase::kCutOver ? executor::CutoverState::kCommitted
                                             : executor::CutoverState::kAborted, {}};
  }

 private:
  const std::string name_;
  Journal& journal_;
  StateStore& store_;
  const int64_t id_;
  FakeClock& clock_;
  Phase phase_ = Phase::kPlanned;
  bool opened_ = false;
  bool prepared_ = false;
};

class CountingSleeper final : public executor::Sleeper {
 public:
  void SleepFor(int64_t millis) override {
    std::lock_guard lock(mu_);
    slept.push_back(millis);
  }
  std::vector<int64_t> slept;

 private:
  std::mutex mu_;
};

class CoordinatorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ("lockstep_coordinator_" + std::to_string(getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    StateStoreOptions options;
    options.clock = &clock_;
    auto store = StateStore::Open((dir_ / "state.db").string(), options);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(*store);
    MigrationSpec spec = MinimalMigrationSpec();
    spec.dcs = {"dc1", "dc2", "dc3"};
    auto id = store_->CreateMigration(spec);
    ASSERT_TRUE(id.ok()) << id.status().ToString();
    id_ = *id;
    for (const char* name : {"dc1", "dc2", "dc3"}) {
      dcs_.push_back(std::make_unique<FakeDc>(name, journal_, *store_, id_, clock_));
    }
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  Status Run(CoordinatorConfig config = {}) {
    OperatorPoll operators(*store_, id_, clock_);
    std::vector<DcExecutor*> dcs;
    for (auto& dc : dcs_) dcs.push_back(dc.get());
    Coordinator coordinator(*store_, operators, clock_, sleeper_, id_, "test", config, dcs);
    return coordinator.Run();
  }

  Phase MigrationPhase() {
    auto m = store_->GetMigration(id_);
    EXPECT_TRUE(m.ok());
    return m.ok() ? m->phase : Phase::kFailed;
  }
  std::vector<CutoverAttempt> Attempts() {
    auto a = store_->ListCutoverAttempts(id_);
    EXPECT_TRUE(a.ok());
    return a.ok() ? *a : std::vector<CutoverAttempt>{};
  }
  // Moves the recorded migration along `phases`.
  void Walk(std::initializer_list<Phase> phases) {
    Phase at = MigrationPhase();
    for (Phase next : phases) {
      ASSERT_TRUE(store_->TransitionPhase(id_, at, next, "test", "setup").ok());
      at = next;
    }
  }

  std::filesystem::path dir_;
  FakeClock clock_;
  CountingSleeper sleeper_;
  std::unique_ptr<StateStore> store_;
  int64_t id_ = 0;
  Journal journal_;
  std::vector<std::unique_ptr<FakeDc>> dcs_;
};

TEST_F(CoordinatorTest, EveryDcRenamesOnlyAfterCommitIsRecorded) {
  ASSERT_TRUE(Run().ok());
  EXPECT_EQ(MigrationPhase(), Phase::kCutOver);
  for (const char* dc : {"dc1", "dc2", "dc3"}) {
    EXPECT_EQ(journal_.Count(std::string(dc) + " commit"), 1) << dc;
    EXPECT_EQ(journal_.Count(std::string(dc) + " commit before the decision"), 0) << dc;
    // Each barrier holds: no DC prepares before every DC is verified.
    EXPECT_LT(journal_.First("dc1 verified"), journal_.First(std::string(dc) + " prepare"));
    EXPECT_LT(journal_.First("dc3 verified"), journal_.First(std::string(dc) + " prepare"));
  }
  const auto attempts = Attempts();
  ASSERT_EQ(attempts.size(), 1u);
  EXPECT_EQ(attempts[0].decision, CutoverDecision::kCommit);
  const std::string report = attempts[0].timings_json.value_or("");
  for (const char* dc : {"\"dc1\"", "\"dc2\"", "\"dc3\""}) EXPECT_NE(report.find(dc), std::string::npos);
}

TEST_F(CoordinatorTest, OneDcFailingItsPrepareAbortsAndReleasesEveryDc) {
  dcs_[1]->prepare_failures = 1;
  ASSERT_TRUE(Run().ok());
  const auto attempts = Attempts();
  ASSERT_EQ(attempts.size(), 2u);
  EXPECT_EQ(attempts[0].decision, CutoverDecision::kAbort);
  EXPECT_NE(attempts[0].reason.find("dc2"), std::string::npos) << attempts[0].reason;
  EXPECT_EQ(attempts[1].decision, CutoverDecision::kCommit);
  // The DCs that were READY let go; nothing was renamed in the aborted attempt.
  EXPECT_EQ(journal_.Count("dc1 release"), 1);
  EXPECT_EQ(journal_.Count("dc3 release"), 1);
  EXPECT_EQ(journal_.Count("dc1 prepare"), 2);
  EXPECT_EQ(journal_.Count("dc1 commit"), 1);
  EXPECT_EQ(sleeper_.slept, std::vector<int64_t>{500}) << "one backoff before the retry";
  EXPECT_EQ(MigrationPhase(), Phase::kCutOver);
}

TEST_F(CoordinatorTest, ADcLateForTheWindowAbortsAndTheReadyOnesAreReleasedAtOnce) {
  dcs_[2]->late_prepare = true;
  dcs_[2]->prepare_after = {"dc1 ready", "dc2 ready"};  // late after the others are READY
  ASSERT_TRUE(Run().ok());
  const auto attempts = Attempts();
  ASSERT_EQ(attempts.size(), 2u);
  EXPECT_EQ(attempts[0].decision, CutoverDecision::kAbort);
  EXPECT_NE(attempts[0].reason.find("not READY within 1500 ms"), std::string::npos) << attempts[0].reason;
  EXPECT_NE(attempts[0].reason.find("dc3"), std::string::npos) << attempts[0].reason;
  // Released while dc3 was still preparing, not after it returned.
  ASSERT_GE(journal_.First("dc1 release"), 0);
  EXPECT_LT(journal_.First("dc1 release"), journal_.First("dc3 late ready"));
  EXPECT_LT(journal_.First("dc2 release"), journal_.First("dc3 late ready"));
  EXPECT_EQ(journal_.Count("dc3 release"), 1) << "the late DC is released when it returns";
  EXPECT_EQ(journal_.Count("dc3 saw the abort"), 1) << "ABORT is recorded before the late DC returns";
  EXPECT_EQ(attempts[1].decision, CutoverDecision::kCommit);
}

TEST_F(CoordinatorTest, AfterTooManyFailedAttemptsTheMigrationIsPausedWithTheReason) {
  dcs_[2]->prepare_failures = 100;
  CoordinatorConfig config;
  config.cutover_attempts = 3;
  Status ran = Run(config);
  ASSERT_FALSE(ran.ok());
  EXPECT_NE(ran.ToString().find("paused"), std::string::npos) << ran.ToString();
  EXPECT_EQ(MigrationPhase(), Phase::kReady);
  auto m = store_->GetMigration(id_);
  ASSERT_TRUE(m.ok());
  EXPECT_TRUE(m->paused);
  const auto attempts = Attempts();
  ASSERT_EQ(attempts.size(), 3u);
  for (const auto& a : attempts) EXPECT_EQ(a.decision, CutoverDecision::kAbort);
  EXPECT_EQ(sleeper_.slept, (std::vector<int64_t>{500, 1000})) << "the backoff doubles";
  for (const auto& dc : dcs_) EXPECT_EQ(dc->phase(), Phase::kReady) << dc->dc();
}

TEST_F(CoordinatorTest, ADcReleasedBeforeItsRenameAfterCommitIsPreparedAgainAndRenamed) {
  dcs_[1]->commit_releases = 1;
  ASSERT_TRUE(Run().ok());
  const auto attempts = Attempts();
  ASSERT_EQ(attempts.size(), 1u) << "COMMIT is not decided again";
  EXPECT_EQ(attempts[0].decision, CutoverDecision::kCommit);
  EXPECT_EQ(journal_.Count("dc2 prepare"), 2);
  EXPECT_EQ(journal_.Count("dc2 commit"), 2);
  EXPECT_EQ(journal_.Count("dc1 prepare"), 1) << "a renamed DC is left alone";
  EXPECT_EQ(MigrationPhase(), Phase::kCutOver);
}

TEST_F(CoordinatorTest, ACopyFailingInOneDcStopsTheOthersAndIsTheErrorReported) {
  dcs_[0]->copy_fails = true;
  Status ran = Run();
  ASSERT_FALSE(ran.ok());
  EXPECT_NE(ran.ToString().find("disk full"), std::string::npos) << ran.ToString();
  EXPECT_NE(ran.ToString().find("dc1"), std::string::npos) << ran.ToString();
  EXPECT_EQ(journal_.Count("dc2 copied"), 0) << "stopped by the pacer";
  EXPECT_EQ(MigrationPhase(), Phase::kCopying);
  EXPECT_EQ(journal_.Count("dc2 prepare"), 0);
}

TEST_F(CoordinatorTest, AnUndecidedAttemptFoundAfterARestartIsAbortedEverywhere) {
  Walk({Phase::kShadowCreated, Phase::kCopying, Phase::kVerifying, Phase::kReady, Phase::kCuttingOver});
  ASSERT_TRUE(store_->BeginCutoverAttempt(id_, 3000, "test").ok());
  for (auto& dc : dcs_) dc->start_phase = Phase::kCuttingOver;
  ASSERT_TRUE(Run().ok());
  const auto attempts = Attempts();
  ASSERT_EQ(attempts.size(), 2u);
  EXPECT_EQ(attempts[0].decision, CutoverDecision::kAbort);
  EXPECT_NE(attempts[0].reason.find("restarted"), std::string::npos);
  EXPECT_EQ(attempts[1].decision, CutoverDecision::kCommit);
  EXPECT_EQ(MigrationPhase(), Phase::kCutOver);
}

TEST_F(CoordinatorTest, AfterACommitFoundOnRestartOnlyTheDcsNotRenamedAreRenamed) {
  Walk({Phase::kShadowCreated, Phase::kCopying, Phase::kVerifying, Phase::kReady, Phase::kCuttingOver});
  auto attempt = store_->BeginCutoverAttempt(id_, 3000, "test");
  ASSERT_TRUE(attempt.ok());
  ASSERT_TRUE(store_->DecideCutoverAttempt(attempt->id, CutoverDecision::kCommit, std::nullopt, "test",
                                           "ready").ok());
  for (auto& dc : dcs_) dc->start_phase = Phase::kCuttingOver;
  dcs_[0]->found_renamed = true;
  ASSERT_TRUE(Run().ok());
  EXPECT_EQ(Attempts().size(), 1u);
  EXPECT_EQ(journal_.Count("dc1 prepare"), 0);
  EXPECT_EQ(journal_.Count("dc2 commit"), 1);
  EXPECT_EQ(journal_.Count("dc3 commit"), 1);
  EXPECT_EQ(MigrationPhase(), Phase::kCutOver);
}

TEST_F(CoordinatorTest, ACopyResumedAfterAnotherDcFinishedIsNotHeldBack) {
  Walk({Phase::kShadowCreated, Phase::kCopying});
  dcs_[0]->start_phase = Phase::kVerifying;  // copied everything before the restart
  dcs_[1]->start_phase = Phase::kCopying;
  dcs_[2]->start_phase = Phase::kCopying;
  Status ran = Run();
  ASSERT_TRUE(ran.ok()) << ran.ToString();
  EXPECT_EQ(MigrationPhase(), Phase::kCutOver);
}

TEST_F(CoordinatorTest, AnAbortTakenBeforeARestartAfterCommitDoesNotStopTheRollForward) {
  Walk({Phase::kShadowCreated, Phase::kCopying, Phase::kVerifying, Phase::kReady, Phase::kCuttingOver});
  auto attempt = store_->BeginCutoverAttempt(id_, 3000, "test");
  ASSERT_TRUE(attempt.ok());
  ASSERT_TRUE(store_->DecideCutoverAttempt(attempt->id, CutoverDecision::kCommit, std::nullopt, "test",
                                           "ready").ok());
  ASSERT_TRUE(store_->AppendEvent({id_, "dba", "operator_abort_taken", std::nullopt,
                                   "abort taken by the running migration", "too late"}).ok());
  for (auto& dc : dcs_) dc->start_phase = Phase::kCuttingOver;
  dcs_[0]->found_renamed = true;
  OperatorPoll operators(*store_, id_, clock_);
  std::vector<DcExecutor*> dcs;
  for (auto& dc : dcs_) dcs.push_back(dc.get());
  Coordinator coordinator(*store_, operators, clock_, sleeper_, id_, "test", {}, dcs);
  Status ran = coordinator.Run();
  ASSERT_TRUE(ran.ok()) << ran.ToString();
  EXPECT_FALSE(coordinator.operator_abort().has_value());
  EXPECT_EQ(MigrationPhase(), Phase::kCutOver);
  EXPECT_EQ(journal_.Count("dc2 commit"), 1);
  auto ignored = store_->ListEventsOfKinds(id_, {"operator_command_ignored"});
  ASSERT_TRUE(ignored.ok());
  EXPECT_EQ(ignored->size(), 1u) << "the abort is recorded as ignored";
}

TEST_F(CoordinatorTest, AConflictThatIsNoAbortFailsTheRun) {
  dcs_[1]->catch_up_conflict = true;
  Status ran = Run();
  EXPECT_FALSE(ran.ok());
  EXPECT_TRUE(ran.IsConflict()) << ran.ToString();
  EXPECT_EQ(MigrationPhase(), Phase::kReady);
}

TEST_F(CoordinatorTest, AFailedPrepareReleasesTheOthersWithoutWaitingForTheSlowest) {
  dcs_[1]->prepare_failures = 1;
  dcs_[1]->prepare_after = {"dc1 ready"};  // fails once dc1 is READY
  dcs_[2]->slow_prepare_ms = 300;
  ASSERT_TRUE(Run().ok());
  ASSERT_GE(journal_.First("dc1 release"), 0);
  EXPECT_LT(journal_.First("dc1 release"), journal_.First("dc3 slow ready"));
}

TEST_F(CoordinatorTest, APrepareThatCannotSucceedIsNotRetried) {
  dcs_[1]->prepare_refused = true;
  Status ran = Run();
  ASSERT_FALSE(ran.ok());
  EXPECT_NE(ran.ToString().find("is no sentry"), std::string::npos) << ran.ToString();
  const auto attempts = Attempts();
  ASSERT_EQ(attempts.size(), 1u);
  EXPECT_EQ(attempts[0].decision, CutoverDecision::kAbort);
  EXPECT_EQ(MigrationPhase(), Phase::kReady);
  auto m = store_->GetMigration(id_);
  ASSERT_TRUE(m.ok());
  EXPECT_FALSE(m->paused);
}

TEST_F(CoordinatorTest, AHolderOfTheShadowForAMomentIsRetried) {
  dcs_[1]->prepare_conflicts = 1;
  ASSERT_TRUE(Run().ok());
  const auto attempts = Attempts();
  ASSERT_EQ(attempts.size(), 2u);
  EXPECT_EQ(attempts[0].decision, CutoverDecision::kAbort);
  EXPECT_EQ(attempts[1].decision, CutoverDecision::kCommit);
}

TEST_F(CoordinatorTest, AFailureThatWouldRecurWinsOverATimeout) {
  dcs_[0]->prepare_failures = 1;  // a lock wait timeout
  dcs_[2]->prepare_refused = true;
  dcs_[2]->prepare_after = {"dc1 prepare"};
  Status ran = Run();
  ASSERT_FALSE(ran.ok());
  EXPECT_NE(ran.ToString().find("is no sentry"), std::string::npos) << ran.ToString();
  EXPECT_EQ(Attempts().size(), 1u) << "not retried";
}

TEST_F(CoordinatorTest, ARenameWithAWitnessComplaintStillRenamesEveryOtherDc) {
  dcs_[0]->commit_complaint = true;
  dcs_[1]->commit_releases = 1;
  Status ran = Run();
  ASSERT_FALSE(ran.ok());
  EXPECT_NE(ran.ToString().find("wrote to t after the lock"), std::string::npos) << ran.ToString();
  EXPECT_EQ(journal_.Count("dc2 commit"), 2) << "dc2, released, was renamed all the same";
  EXPECT_EQ(MigrationPhase(), Phase::kCutOver);
}

TEST(CopyPacingTest, ADcAheadOfTheSlowestByMoreThanTheLeadWaits) {
  CopyPacing pacing({"dc1", "dc2", "dc3"}, 0.10);
  // Rows against the largest estimate: dc2's low estimate does not make it look ahead.
  pacing.Copied("dc1", 30000, 100000);
  pacing.Copied("dc2", 25000, 80000);
  pacing.Copied("dc3", 15000, 95000);
  EXPECT_EQ(pacing.Pace("dc1").action, executor::ThrottleDecision::Action::kWait);
  EXPECT_NE(pacing.Pace("dc1").reason.find("dc3"), std::string::npos) << pacing.Pace("dc1").reason;
  EXPECT_EQ(pacing.Pace("dc2").action, executor::ThrottleDecision::Action::kProceed);
  EXPECT_EQ(pacing.Pace("dc3").action, executor::ThrottleDecision::Action::kProceed);
  pacing.Copied("dc3", 10000, 95000);  // a report from before: progress never moves back
  EXPECT_EQ(pacing.Progress().at("dc3"), 0.15);
  pacing.Copied("dc3", 26000, 95000);  // 4% behind dc1 now
  EXPECT_EQ(pacing.Pace("dc1").action, executor::ThrottleDecision::Action::kProceed);
  pacing.Finished("dc1");
  EXPECT_EQ(pacing.Progress().at("dc1"), 1.0);
  pacing.Stop("dc2 failed: disk full");
  EXPECT_EQ(pacing.Pace("dc3").action, executor::ThrottleDecision::Action::kStop);
  EXPECT_EQ(pacing.Pace("dc3").reason, "dc2 failed: disk full");
}

TEST(CopyPacingTest, OneDcIsNeverPaced) {
  CopyPacing pacing({"dc1"}, 0.0);
  pacing.Copied("dc1", 90, 100);
  EXPECT_EQ(pacing.Pace("dc1").action, executor::ThrottleDecision::Action::kProceed);
}

}  // namespace
}  // namespace lockstep
