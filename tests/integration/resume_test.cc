// kill -9 of `lockstep run` in each phase it can be caught in, then
// `lockstep resume`: the table ends equal to its oracle twin, written in the
// same transactions by writers that never stopped. Phases too short to catch
// from outside are reached with a failpoint (common/failpoint.h): lockstep
// kills itself there with SIGKILL.
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/wait.h>

#include <chrono>
#include <cstdio>
#include <optional>
#include <thread>

#include "db/artifact_names.h"
#include "db/sql.h"
#include "state/state_store.h"
#include "support/oracle.h"
#include "support/sandbox_suite.h"

namespace lockstep::testing {
namespace {

constexpr int kRows = 150000;

class ResumeTest : public SandboxSuite<1>, public ::testing::WithParamInterface<Phase> {
 protected:
  // Polls the state database until the table's migration reaches `phase`.
  static bool WaitForPhase(const std::string& table, Phase phase, int timeout_ms) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    while (std::chrono::steady_clock::now() < deadline) {
      auto store = StateStore::Open(sandbox_->topology().state_db_path);
      if (store.ok()) {
        auto m = (*store)->ActiveMigrationFor("resume", table);
        if (m.ok() && m->has_value() && (*m)->phase == phase) return true;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return false;
  }

  // The arguments naming the change on resume.<table>, shared by run and resume.
  static std::vector<std::string> Change(const std::string& table) {
    return {"--config", sandbox_->topology_path(), "--table", "resume." + table, "--alter",
            "ADD COLUMN note VARCHAR(32) DEFAULT 'n'"};
  }

  // Starts `lockstep run` of Change(table) with `extra_env`; returns its pid.
  static int SpawnRun(const std::string& table, const std::vector<std::string>& extra_env = {}) {
    std::vector<std::string> args{"run"};
    const auto change = Change(table);
    args.insert(args.end(), change.begin(), change.end());
    args.insert(args.end(), {"--strategy", "copy", "--yes"});
    return SpawnLockstep(args, extra_env);
  }

  // `lockstep resume --yes` of Change(table), to its end.
  static CommandOutput Resume(const std::string& table) {
    std::vector<std::string> args{"resume"};
    const auto change = Change(table);
    args.insert(args.end(), change.begin(), change.end());
    args.push_back("--yes");
    return RunLockstep(args);
  }

  // `lockstep run` of Change(table), which must die of SIGKILL at `failpoint`.
  static void RunToFailpoint(const std::string& table, const std::string& failpoint) {
    const int pid = SpawnRun(table, {"LOCKSTEP_FAILPOINT=" + failpoint});
    ASSERT_GT(pid, 0);
    const std::optional<int> status = WaitForExit(pid, 180000);
    ASSERT_TRUE(status.has_value() && WIFSIGNALED(*status) && WTERMSIG(*status) == SIGKILL)
        << "the failpoint " << failpoint << " was not hit";
  }

  // `lockstep resume` of Change(table) while the writers run on, then the
  // writers stop and the table must equal its oracle.
  static void ResumeAndCompare(const std::string& table, OracleWriters& writers,
                               const std::string& killed_in) {
    CommandOutput resumed = Resume(table);
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    writers.Stop();
    ASSERT_EQ(resumed.exit_code, 0) << resumed.out << resumed.err;
    EXPECT_NE(resumed.out.find("cut_over"), std::string::npos) << resumed.out;
    EXPECT_NE(resumed.err.find("resuming migration"), std::string::npos) << resumed.err;
    auto c = Dc(1);
    const std::string diff = DiffAgainstOracle(*c, "resume", table);
    EXPECT_EQ(diff, "") << "after kill -9 in " << killed_in << " and resume ("
                        << writers.committed() << " writer transactions)";
    // The secondary key the shadow was built without is back.
    EXPECT_EQ(HasKeyKk(*c, table), "1") << table << " lost its key kk after kill -9 in " << killed_in;
    ASSERT_TRUE(c->Execute("DROP TABLE resume.oracle").ok());
  }

  // "1" when resume.<table> has the key kk, "0" when not, else the error.
  static std::string HasKeyKk(Connection& c, const std::string& table) {
    auto keys = c.QueryValue("SELECT COUNT(*) FROM information_schema.STATISTICS WHERE "
                             "TABLE_SCHEMA = 'resume' AND TABLE_NAME = '" + table +
                             "' AND INDEX_NAME = 'kk'");
    return keys.ok() ? keys->value_or("") : keys.status().ToString();
  }

  // Every row of resume.<table> and of its oracle changes three times: a
  // backlog of 3 x kRows row changes for the applier.
  static void ChangeEveryRowThreeTimes(Connection& c, const std::string& table) {
    for (int round = 0; round < 3; ++round) {
      for (const char* t : {"oracle", ""}) {
        const std::string name = *t ? std::string(t) : table;
        ASSERT_TRUE(c.Execute("UPDATE resume." + name + " SET k = k + 1, c = CONCAT('r', " +
                              std::to_string(round) + ", LEFT(c, 20))").ok());
      }
    }
  }

  // A fresh resume.<table> of kRows rows and its oracle.
  static void CreateTable(const std::string& table) {
    auto c = Dc(1);
    ASSERT_TRUE(c->Execute("CREATE DATABASE IF NOT EXISTS resume").ok());
    ASSERT_TRUE(c->Execute("DROP TABLE IF EXISTS resume.oracle").ok());
    ASSERT_TRUE(CreateTableAndOracle(*c, "resume", table, kRows).ok());
  }

  // `lockstep run` under writers, killed by the failpoint `failpoint`, which
  // must leave the migration in `phase` with `_<table>_new` created and no
  // row copied; then resumed to the oracle's content.
  void KillAtFailpointAndResume(const std::string& failpoint, Phase phase) {
    const std::string table = "t_fp_" + failpoint;
    CreateTable(table);
    if (HasFatalFailure()) return;
    OracleWriters writers(*sandbox_, "resume", table, kRows, 2);

    const int pid = SpawnRun(table, {"LOCKSTEP_FAILPOINT=" + failpoint});
    ASSERT_GT(pid, 0);
    const std::optional<int> status = WaitForExit(pid, 120000);
    ASSERT_TRUE(status.has_value()) << "lockstep was still running after 120 s";
    const bool killed = WIFSIGNALED(*status) && WTERMSIG(*status) == SIGKILL;
    ASSERT_TRUE(killed) << "lockstep did not die of SIGKILL at failpoint " << failpoint << " ("
                        << (WIFEXITED(*status) ? "exit " + std::to_string(WEXITSTATUS(*status))
                                               : "signal " + std::to_string(WTERMSIG(*status)))
                        << "): the failpoint was not hit";

    // What the kill left: the DC's phase (the migration's follows once every
    // DC is there), a checkpoint with no watermark, the shadow.
    {
      auto store = StateStore::Open(sandbox_->topology().state_db_path);
      ASSERT_TRUE(store.ok()) << store.status().ToString();
      auto m = (*store)->ActiveMigrationFor("resume", table);
      ASSERT_TRUE(m.ok() && m->has_value()) << "no active migration after the kill";
      auto progress = (*store)->GetDcProgress((*m)->id, "dc1");
      ASSERT_TRUE(progress.ok()) << progress.status().ToString();
      EXPECT_EQ(progress->phase, phase) << PhaseName(progress->phase);
      EXPECT_TRUE(progress->checkpoint.binlog_gtid.has_value());
      EXPECT_FALSE(progress->checkpoint.copy_watermark.has_value())
          << *progress->checkpoint.copy_watermark;
    }
    auto c = Dc(1);
    auto shadow = c->Query(sql::ExistingTables("resume", {ShadowTableName(table)}));
    ASSERT_TRUE(shadow.ok()) << shadow.status().ToString();
    EXPECT_EQ(shadow->rows.size(), 1u) << ShadowTableName(table) << " missing after the kill";

    ResumeAndCompare(table, writers, std::string("phase ") + PhaseName(phase) + " (failpoint " +
                                         failpoint + ")");
  }
};

TEST_P(ResumeTest, KilledInPhaseResumesToTheOraclesContent) {
  const Phase phase = GetParam();
  const std::string table = std::string("t_") + PhaseName(phase);
  CreateTable(table);
  if (HasFatalFailure()) return;
  OracleWriters writers(*sandbox_, "resume", table, kRows, 2);

  const int pid = SpawnRun(table);
  ASSERT_GT(pid, 0);
  const bool reached = WaitForPhase(table, phase, 60000);
  ::kill(pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
  ASSERT_TRUE(reached) << "the run never reached " << PhaseName(phase);
  ASSERT_TRUE(WIFSIGNALED(status)) << "lockstep ended before it was killed";

  ResumeAndCompare(table, writers, PhaseName(phase));
}

// shadow_created lasts milliseconds (until the applier starts): no test can
// kill lockstep in it from outside.
TEST_F(ResumeTest, KilledAtFailpointInShadowCreatedResumesToTheOraclesContent) {
  KillAtFailpointAndResume("after_shadow_created", Phase::kShadowCreated);
}

// Copying before its first chunk: a checkpoint without a watermark, which
// the copying case above (killed once the phase is seen) rarely reaches.
TEST_F(ResumeTest, KilledAtFailpointBeforeTheFirstChunkResumesToTheOraclesContent) {
  KillAtFailpointAndResume("after_copying_started", Phase::kCopying);
}

// Killed after the copy, before _t_new's deferred keys are added: the resume
// adds them, and the table ends with its key kk.
TEST_F(ResumeTest, KilledBeforeTheDeferredKeysAreAddedResumesWithThem) {
  const std::string table = "t_deferred_keys";
  CreateTable(table);
  if (HasFatalFailure()) return;
  OracleWriters writers(*sandbox_, "resume", table, kRows, 2);
  RunToFailpoint(table, "before_deferred_indexes");
  if (HasFatalFailure()) return;
  auto c = Dc(1);
  EXPECT_EQ(HasKeyKk(*c, ShadowTableName(table)), "0") << "the shadow was copied into without its key";
  ResumeAndCompare(table, writers, "verifying, before the deferred keys were added");
}

// Killed when ready, then every row changes three times: the resumed
// applier starts seconds behind. It must catch up before the cut-over locks
// the table, not under the lock, where the drain would hold the
// application's writes for its whole timeout and fail.
TEST_F(ResumeTest, ResumedWithABacklogCatchesUpBeforeTheCutOverLocks) {
  const std::string table = "t_backlog";
  CreateTable(table);
  if (HasFatalFailure()) return;
  RunToFailpoint(table, "after_verified");
  if (HasFatalFailure()) return;
  auto c = Dc(1);
  ChangeEveryRowThreeTimes(*c, table);
  CommandOutput resumed = Resume(table);
  ASSERT_EQ(resumed.exit_code, 0) << resumed.out << resumed.err;
  // (An attempt may still fail on InnoDB's statistics update, which briefly
  // locks _t_new after that many changes, and be retried.)
  EXPECT_EQ(resumed.err.find("draining the applier"), std::string::npos) << resumed.err;
  const size_t held = resumed.err.find("writes held ");
  ASSERT_NE(held, std::string::npos) << resumed.err;
  // Normally 50-250 ms; without the catch-up the successful retry held 1.5 s.
  EXPECT_LT(std::stoi(resumed.err.substr(held + 12)), 1000) << resumed.err;
  EXPECT_EQ(DiffAgainstOracle(*c, "resume", table), "");
  ASSERT_TRUE(c->Execute("DROP TABLE resume.oracle").ok());
}

// A crash between the two halves of a step (the migration moved to
// cutting_over, its DC still ready) is completed on resume, not refused.
TEST_F(ResumeTest, AStepHalfDoneBeforeACrashIsCompletedOnResume) {
  const std::string table = "t_half_step";
  CreateTable(table);
  if (HasFatalFailure()) return;
  // Killed once the DC recorded ready, before the migration followed it.
  RunToFailpoint(table, "after_verified");
  if (HasFatalFailure()) return;
  {
    auto store = StateStore::Open(sandbox_->topology().state_db_path);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    auto m = (*store)->ActiveMigrationFor("resume", table);
    ASSERT_TRUE(m.ok() && m->has_value());
    EXPECT_EQ((*m)->phase, Phase::kVerifying) << PhaseName((*m)->phase);
    auto progress = (*store)->GetDcProgress((*m)->id, "dc1");
    ASSERT_TRUE(progress.ok()) << progress.status().ToString();
    EXPECT_EQ(progress->phase, Phase::kReady) << PhaseName(progress->phase);
  }
  CommandOutput resumed = Resume(table);
  ASSERT_EQ(resumed.exit_code, 0) << resumed.out << resumed.err;
  EXPECT_NE(resumed.err.find("verifying -> ready"), std::string::npos) << resumed.err;
  EXPECT_EQ(resumed.err.find("checksum passed"), std::string::npos)
      << "the DC was verified already: " << resumed.err;
  auto c = Dc(1);
  EXPECT_EQ(DiffAgainstOracle(*c, "resume", table), "");
  ASSERT_TRUE(c->Execute("DROP TABLE resume.oracle").ok());
}

// Killed in the checksum after the copy, once its first chunk was found
// equal: the resumed checksum starts after that chunk, and the table still
// ends equal to its oracle. (The writers keep the checksum trail, which runs
// only on an idle server, from checking anything during the copy.)
TEST_F(ResumeTest, KilledInTheChecksumResumesAfterTheLastEqualChunk) {
  const std::string table = "t_checksum";
  CreateTable(table);
  if (HasFatalFailure()) return;
  OracleWriters writers(*sandbox_, "resume", table, kRows, 2);
  RunToFailpoint(table, "after_checksum_progress");
  if (HasFatalFailure()) return;
  std::optional<std::string> saved;
  {
    auto store = StateStore::Open(sandbox_->topology().state_db_path);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    auto m = (*store)->ActiveMigrationFor("resume", table);
    ASSERT_TRUE(m.ok() && m->has_value());
    EXPECT_EQ((*m)->phase, Phase::kVerifying) << PhaseName((*m)->phase);
    auto progress = (*store)->GetDcProgress((*m)->id, "dc1");
    ASSERT_TRUE(progress.ok()) << progress.status().ToString();
    saved = progress->checksum_watermark;
  }
  ASSERT_TRUE(saved.has_value()) << "no checksum watermark after the first equal chunk";
  CommandOutput resumed = Resume(table);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  writers.Stop();
  ASSERT_EQ(resumed.exit_code, 0) << resumed.out << resumed.err;
  EXPECT_NE(resumed.err.find("checksum resumes after " + *saved), std::string::npos) << resumed.err;
  auto c = Dc(1);
  EXPECT_EQ(DiffAgainstOracle(*c, "resume", table), "");
  ASSERT_TRUE(c->Execute("DROP TABLE resume.oracle").ok());
}

TEST_F(ResumeTest, ResumeRefusesAnotherChangeAndAPurgedBinlog) {
  const std::string table = "t_refusals";
  auto c = Dc(1);
  ASSERT_TRUE(c->Execute("CREATE DATABASE IF NOT EXISTS resume").ok());
  ASSERT_TRUE(c->Execute("DROP TABLE IF EXISTS resume.oracle").ok());
  ASSERT_TRUE(CreateTableAndOracle(*c, "resume", table, kRows).ok());
  const std::vector<std::string> base{"--config", sandbox_->topology_path(), "--table",
                                      "resume." + table};
  std::vector<std::string> run_args{"run"};
  run_args.insert(run_args.end(), base.begin(), base.end());
  run_args.insert(run_args.end(), {"--alter", "ADD COLUMN note INT", "--strategy", "copy", "--yes"});
  const int pid = SpawnLockstep(run_args);
  ASSERT_GT(pid, 0);
  const bool reached = WaitForPhase(table, Phase::kCopying, 60000);
  ::kill(pid, SIGKILL);
  ::waitpid(pid, nullptr, 0);
  ASSERT_TRUE(reached);

  // A refused or unconfirmed resume touches nothing: the shadow and the
  // checkpoint survive it (gh-ost #1769: a dry-run resume dropped the shadow).
  auto shadow_kept = [&] {
    auto found = c->Query(sql::ExistingTables("resume", {ShadowTableName(table)}));
    return found.ok() && found->rows.size() == 1;
  };
  std::vector<std::string> unconfirmed{"resume"};
  unconfirmed.insert(unconfirmed.end(), base.begin(), base.end());
  CommandOutput asked = RunLockstep(unconfirmed);
  EXPECT_EQ(asked.exit_code, 2) << asked.out << asked.err;
  EXPECT_NE(asked.err.find("--yes"), std::string::npos) << asked.err;
  EXPECT_TRUE(shadow_kept()) << "a resume without --yes touched the shadow";

  std::vector<std::string> other{"resume"};
  other.insert(other.end(), base.begin(), base.end());
  other.insert(other.end(), {"--alter", "ADD COLUMN note BIGINT", "--yes"});
  CommandOutput refused = RunLockstep(other);
  EXPECT_EQ(refused.exit_code, 3) << refused.out << refused.err;
  EXPECT_NE(refused.err.find("is not the one migration"), std::string::npos) << refused.err;
  EXPECT_TRUE(shadow_kept()) << "a refused resume touched the shadow";

  // Writes after the checkpoint, then every binlog holding the checkpoint purged.
  ASSERT_TRUE(c->Execute("UPDATE resume." + table + " SET k = k + 1 WHERE id <= 100").ok());
  // The killed run's dump thread may linger on the server for a moment, and
  // a binlog in use is not purged: retry until only the newest file is left.
  bool purged_all = false;
  for (int i = 0; i < 50 && !purged_all; ++i) {
    ASSERT_TRUE(c->Execute("FLUSH BINARY LOGS").ok());
    auto current = c->Query("SHOW MASTER STATUS");
    ASSERT_TRUE(current.ok() && !current->rows.empty());
    ASSERT_TRUE(c->Execute("PURGE BINARY LOGS TO '" + current->rows[0][0].value_or("") + "'").ok());
    auto logs = c->Query("SHOW BINARY LOGS");
    purged_all = logs.ok() && logs->rows.size() == 1;
    if (!purged_all) std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  ASSERT_TRUE(purged_all) << "the old binlogs could not be purged";
  std::vector<std::string> same{"resume"};
  same.insert(same.end(), base.begin(), base.end());
  same.push_back("--yes");
  CommandOutput purged = RunLockstep(same);
  EXPECT_EQ(purged.exit_code, 3) << purged.out << purged.err;
  EXPECT_NE(purged.err.find("no longer holds position"), std::string::npos) << purged.err;
  EXPECT_TRUE(shadow_kept()) << "a resume refused for a purged binlog touched the shadow";
  auto store = StateStore::Open(sandbox_->topology().state_db_path);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  auto m = (*store)->ActiveMigrationFor("resume", table);
  ASSERT_TRUE(m.ok() && m->has_value()) << "the refusals ended the migration";
  EXPECT_EQ((*m)->phase, Phase::kCopying) << PhaseName((*m)->phase);
  ASSERT_TRUE(c->Execute("DROP TABLE resume.oracle").ok());
}

// lockstep stopped (SIGSTOP) while it holds t locked for the cut-over: the
// server ends its lock session once the cut-over budget is idle, so writes to
// t wait seconds, not until someone finds the process; after kill -9 the
// resume finishes the migration.
TEST_F(ResumeTest, AStoppedLockstepLeavesTheTableWritableWithinSeconds) {
  const std::string table = "t_stopped";
  CreateTable(table);
  if (HasFatalFailure()) return;
  OracleWriters writers(*sandbox_, "resume", table, kRows, 2);
  const int pid = SpawnRun(table, {"LOCKSTEP_FAILPOINT=after_cutover_prepared:stop"});
  ASSERT_GT(pid, 0);
  bool stopped = false;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(180);
  while (!stopped && std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    const int r = ::waitpid(pid, &status, WNOHANG | WUNTRACED);
    ASSERT_GE(r, 0);
    ASSERT_FALSE(r == pid && !WIFSTOPPED(status)) << "lockstep ended before the failpoint";
    stopped = r == pid;
    if (!stopped) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ASSERT_TRUE(stopped) << "the failpoint after_cutover_prepared was not hit";

  // A write to t right after the stop: it waits for the lock.
  auto c = Dc(1);
  ASSERT_TRUE(c->Execute("SET SESSION lock_wait_timeout = 60").ok());
  const auto start = std::chrono::steady_clock::now();
  Status wrote = c->Execute("UPDATE resume." + table + " SET k = k WHERE id = 1");
  const auto stalled_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                              std::chrono::steady_clock::now() - start).count();
  ::kill(pid, SIGKILL);
  ::waitpid(pid, nullptr, 0);
  ASSERT_TRUE(wrote.ok()) << wrote.ToString();
  std::printf("[ measure  ] a write to t waited %lld ms for the stopped lockstep's lock\n",
              static_cast<long long>(stalled_ms));
  // The sandbox's cut-over window is 3 s: the server closes the idle lock
  // session after 4 s.
  EXPECT_LT(stalled_ms, 6000);
  ResumeAndCompare(table, writers, "stopped with t locked, then killed");
}

// Killed right after COMMIT was recorded (t locked, nothing renamed), with
// writers running through a long checksum and a backlog added before the
// resume: the migration may only roll forward, so the resume must catch up
// outside the lock and rename, not replay the backlog under the lock and
// fail every attempt.
TEST_F(ResumeTest, KilledRightAfterCommitIsRecordedResumesToTheRename) {
  const std::string table = "t_after_commit";
  CreateTable(table);
  if (HasFatalFailure()) return;
  {
    OracleWriters writers(*sandbox_, "resume", table, kRows, 2);
    RunToFailpoint(table, "after_commit_recorded");
    if (HasFatalFailure()) return;
  }
  {
    auto store = StateStore::Open(sandbox_->topology().state_db_path);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    auto m = (*store)->ActiveMigrationFor("resume", table);
    ASSERT_TRUE(m.ok() && m->has_value());
    EXPECT_EQ((*m)->phase, Phase::kCuttingOver) << PhaseName((*m)->phase);
  }
  auto c = Dc(1);
  ChangeEveryRowThreeTimes(*c, table);
  OracleWriters writers(*sandbox_, "resume", table, kRows, 2);
  CommandOutput resumed = Resume(table);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  writers.Stop();
  ASSERT_EQ(resumed.exit_code, 0) << resumed.out << resumed.err;
  EXPECT_NE(resumed.out.find("cut_over"), std::string::npos) << resumed.out;
  EXPECT_EQ(DiffAgainstOracle(*c, "resume", table), "");
  ASSERT_TRUE(c->Execute("DROP TABLE resume.oracle").ok());
}

// Killed after a chunk was copied and before its checkpoint was written; its
// rows then change. The resumed copy starts again below that chunk and the
// resumed applier leaves those keys to it: the rows the dead process copied
// must not survive in their old state. Compared before the checksum runs,
// which would otherwise repair them under row locks.
TEST_F(ResumeTest, RowsOfAChunkCopiedButNotCheckpointedAreExactBeforeTheChecksum) {
  const std::string table = "t_stale_chunk";
  CreateTable(table);
  if (HasFatalFailure()) return;
  RunToFailpoint(table, "after_chunk_copied");
  if (HasFatalFailure()) return;
  auto c = Dc(1);
  auto One = [](Connection& conn, const std::string& query) {
    auto v = conn.QueryValue(query);
    return v.ok() ? v->value_or("NULL") : v.status().ToString();
  };
  const std::string shadow = "resume." + ShadowTableName(table);
  ASSERT_EQ(One(*c, "SELECT COUNT(*) FROM " + shadow + " WHERE id <= 50"), "50")
      << "the first chunk was not copied before the kill: nothing is tested";
  for (const char* t : {"oracle", ""}) {
    const std::string name = *t ? std::string(t) : table;
    ASSERT_TRUE(c->Execute("UPDATE resume." + name + " SET k = k + 1000, c = 'changed while down' "
                           "WHERE id <= 50").ok());
  }
  // The resume copies and stops before the checksum; writers keep the
  // checksum trail (which runs only on an idle server) from repairing rows.
  {
    OracleWriters writers(*sandbox_, "resume", table, kRows, 2);
    const int pid = SpawnLockstep({"resume", "--config", sandbox_->topology_path(), "--table",
                                   "resume." + table, "--yes"},
                                  {"LOCKSTEP_FAILPOINT=before_deferred_indexes"});
    ASSERT_GT(pid, 0);
    const std::optional<int> status = WaitForExit(pid, 180000);
    ASSERT_TRUE(status.has_value() && WIFSIGNALED(*status) && WTERMSIG(*status) == SIGKILL)
        << "the resume did not reach before_deferred_indexes";
  }
  // Rows no writer touched since (c still says so) must have their new state.
  const std::string untouched = One(*c, "SELECT COUNT(*) FROM resume." + table +
                                            " WHERE id <= 50 AND c = 'changed while down'");
  EXPECT_GE(std::stoi(untouched), 20);
  EXPECT_EQ(One(*c, "SELECT COUNT(*) FROM " + shadow + " n JOIN resume." + table +
                        " t USING (id) WHERE t.id <= 50 AND t.c = 'changed while down' AND "
                        "n.c = t.c AND n.k = t.k"),
            untouched)
      << "rows of the chunk copied before the kill kept their old state";
  CommandOutput resumed = Resume(table);
  ASSERT_EQ(resumed.exit_code, 0) << resumed.out << resumed.err;
  EXPECT_EQ(DiffAgainstOracle(*c, "resume", table), "");
  ASSERT_TRUE(c->Execute("DROP TABLE resume.oracle").ok());
}

// Killed right after the RENAME, before its records: the resume finds the
// tables renamed, makes the records follow them (the old table created, the
// shadow gone), checks the binlog from the recorded lock position, and ends
// cut over, equal to the oracle.
TEST_F(ResumeTest, KilledAfterTheRenameBeforeItsRecordsIsReconciledOnResume) {
  const std::string table = "t_after_rename";
  CreateTable(table);
  if (HasFatalFailure()) return;
  OracleWriters writers(*sandbox_, "resume", table, kRows, 2);
  RunToFailpoint(table, "after_rename");
  if (HasFatalFailure()) return;
  CommandOutput resumed = Resume(table);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  writers.Stop();
  ASSERT_EQ(resumed.exit_code, 0) << resumed.out << resumed.err;
  EXPECT_NE(resumed.out.find("cut_over"), std::string::npos) << resumed.out;
  EXPECT_NE(resumed.err.find("found renamed after a restart"), std::string::npos) << resumed.err;
  auto store = StateStore::Open(sandbox_->topology().state_db_path);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  auto all = (*store)->ListMigrations({});
  ASSERT_TRUE(all.ok());
  int64_t id = 0;
  for (const auto& m : *all) {
    if (m.spec.table_name == table) id = m.id;
  }
  ASSERT_NE(id, 0);
  auto artifacts = (*store)->ListArtifacts(id);
  ASSERT_TRUE(artifacts.ok());
  for (const auto& a : *artifacts) {
    const std::string what = std::string(ArtifactKindName(a.artifact.kind)) + " " + a.artifact.object_name;
    if (a.artifact.kind == ArtifactKind::kOld) {
      EXPECT_EQ(a.state, ArtifactState::kCreated) << what;
    } else {
      EXPECT_EQ(a.state, ArtifactState::kDropped) << what;
    }
  }
  auto events = (*store)->ListEvents(id, 0, 10000);
  ASSERT_TRUE(events.ok());
  for (const auto& e : *events) EXPECT_NE(e.event.kind, "rename_unverified") << e.event.message;
  auto c = Dc(1);
  EXPECT_EQ(DiffAgainstOracle(*c, "resume", table), "");
  ASSERT_TRUE(c->Execute("DROP TABLE resume.oracle").ok());
}

TEST_F(ResumeTest, ResumeWithoutAMigrationSaysSo) {
  auto c = Dc(1);
  ASSERT_TRUE(c->Execute("CREATE DATABASE IF NOT EXISTS resume").ok());
  CommandOutput none = RunLockstep({"--config", sandbox_->topology_path(), "resume", "--table",
                                    "resume.nothing_here", "--yes"});
  EXPECT_EQ(none.exit_code, 2) << none.err;
  EXPECT_NE(none.err.find("no unfinished migration"), std::string::npos) << none.err;
}

INSTANTIATE_TEST_SUITE_P(Phases, ResumeTest,
                         ::testing::Values(Phase::kCopying, Phase::kVerifying,
                                           Phase::kCuttingOver),
                         [](const ::testing::TestParamInfo<Phase>& info) {
                           return std::string(PhaseName(info.param));
                         });

}  // namespace
}  // namespace lockstep::testing
