// The DBA's controls against a real server: `lockstep run` killed -9 while
// copying leaves its lease and `_t_new` behind; while a live process (this
// test) holds the lease, resume is refused and pause is queued; once nobody
// runs it, `lockstep abort` drops `_t_new` (binlogged for local replicas), leaves
// the table exactly as it was and ends the migration with the reason.
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <thread>

#include "db/cutover_sql.h"
#include "db/sql.h"
#include "executor/migration/table_owner.h"
#include "state/runner_lease_keeper.h"
#include "state/state_store.h"
#include "support/oracle.h"
#include "support/sandbox_suite.h"

namespace lockstep::testing {
namespace {

constexpr int kRows = 200000;
constexpr char kSchema[] = "operator";
constexpr char kTable[] = "t_abort";

class OperatorTest : public SandboxSuite<1> {
 protected:
  static std::unique_ptr<StateStore> OpenStore() {
    auto store = StateStore::Open(sandbox_->topology().state_db_path);
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    return store.ok() ? std::move(*store) : nullptr;
  }

  // Polls the state database until the table's migration reaches `phase`.
  static bool WaitForPhase(Phase phase, int timeout_ms) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    while (std::chrono::steady_clock::now() < deadline) {
      auto store = StateStore::Open(sandbox_->topology().state_db_path);
      if (store.ok()) {
        auto m = (*store)->ActiveMigrationFor(kSchema, kTable);
        if (m.ok() && m->has_value() && (*m)->phase == phase) return true;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return false;
  }

  static std::string One(Connection& c, const std::string& query, size_t column = 0) {
    auto r = c.Query(query);
    EXPECT_TRUE(r.ok()) << query << ": " << r.status().ToString();
    if (!r.ok() || r->rows.empty() || r->rows[0].size() <= column) return "<none>";
    return r->rows[0][column].value_or("NULL");
  }

  static bool TableExists(Connection& c, const std::string& table) {
    auto r = c.Query(sql::ExistingTables(kSchema, {table}));
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() && !r->rows.empty();
  }

  static CommandOutput Lockstep(std::vector<std::string> args) {
    args.insert(args.end(), {"--config", sandbox_->topology_path()});
    return RunLockstep(args);
  }
};

TEST_F(OperatorTest, AbortAfterAKilledCopyDropsTheShadowAndLeavesTheTable) {
  setenv("LOCKSTEP_OPERATOR", "dba-erin", 1);
  auto c = Dc(1);
  ASSERT_NE(c, nullptr);
  ASSERT_TRUE(c->Execute("DROP DATABASE IF EXISTS operator").ok());
  ASSERT_TRUE(CreateTableAndOracle(*c, kSchema, kTable, kRows).ok());
  const std::string qualified = std::string(kSchema) + "." + kTable;
  const std::string checksum_before = One(*c, "CHECKSUM TABLE " + qualified, 1);
  const std::string create_before = One(*c, "SHOW CREATE TABLE " + qualified, 1);

  const int pid = SpawnLockstep({"run", "--config", sandbox_->topology_path(), "--table",
                                 qualified, "--alter", "ADD COLUMN note VARCHAR(32) DEFAULT 'n'",
                                 "--strategy", "copy", "--yes"});
  ASSERT_GT(pid, 0);
  const bool reached = WaitForPhase(Phase::kCopying, 60000);
  ::kill(pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
  ASSERT_TRUE(reached) << "the run never reached copying";
  ASSERT_TRUE(WIFSIGNALED(status)) << "lockstep ended before it was killed";

  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  auto active = store->ActiveMigrationFor(kSchema, kTable);
  ASSERT_TRUE(active.ok() && active->has_value());
  const int64_t id = (*active)->id;
  const std::string id_arg = std::to_string(id);
  EXPECT_EQ((*active)->phase, Phase::kCopying);
  // The killed run held the lease: it took it before touching the DC.
  auto left = store->GetRunnerLease(id);
  ASSERT_TRUE(left.ok() && left->has_value());
  EXPECT_EQ((*left)->owner.pid, pid);
  ASSERT_TRUE(TableExists(*c, "_t_abort_new"));

  // This test process becomes the live runner (the killed one's pid is gone,
  // so the lease is taken over at once).
  const RunnerIdentity me = ThisRunner();
  ASSERT_TRUE(store->AcquireRunnerLease(id, me, kRunnerLeaseTtlMs).ok());
  CommandOutput refused = Lockstep({"resume", "--id", id_arg, "--yes"});
  EXPECT_EQ(refused.exit_code, 1) << refused.out << refused.err;
  EXPECT_NE(refused.err.find("already being run by " + DescribeRunner(me)), std::string::npos)
      << refused.err;
  CommandOutput paused = Lockstep({"pause", "--id", id_arg, "--reason", "peak hour"});
  EXPECT_EQ(paused.exit_code, 0) << paused.out << paused.err;
  EXPECT_NE(paused.out.find("picks it up within a second"), std::string::npos) << paused.out;
  auto taken = store->TakePendingOperatorCommands(id);  // as the runner would
  ASSERT_TRUE(taken.ok());
  ASSERT_EQ(taken->size(), 1u);
  EXPECT_EQ((*taken)[0].command.command, OperatorCommandKind::kPause);
  EXPECT_EQ((*taken)[0].command.actor, "dba-erin");
  ASSERT_TRUE(TableExists(*c, "_t_abort_new")) << "a queued command changes nothing by itself";
  ASSERT_TRUE(store->ReleaseRunnerLease(id, me).ok());

  // A sentry left by a cut-over attempt whose process died (recorded, and in
  // the DC under `_t_old`'s name): the abort drops it too, knowing it by its
  // comment.
  Artifact sentry;
  sentry.migration_id = id;
  sentry.dc = "dc1";
  sentry.schema_name = "operator";
  sentry.object_name = "_t_abort_old";
  sentry.kind = ArtifactKind::kSentry;
  auto sentry_id = store->RecordArtifactPlanned(sentry);
  ASSERT_TRUE(sentry_id.ok()) << sentry_id.status().ToString();
  ASSERT_TRUE(store->MarkArtifactCreated(*sentry_id).ok());
  ASSERT_TRUE(c->Execute(sql::CreateSentry("operator", "_t_abort_old")).ok());

  // Nobody runs it now: abort cleans up itself. The DROP is binlogged, as the
  // CREATE was, so the DC's own replicas drop their copy too (the DRC links
  // filter `_` tables; mesh_test shows they stay in their DC).
  const std::string binlog_file = One(*c, "SHOW MASTER STATUS", 0);
  const std::string binlog_pos = One(*c, "SHOW MASTER STATUS", 1);
  CommandOutput aborted = Lockstep({"abort", "--id", id_arg, "--reason", "wrong default"});
  ASSERT_EQ(aborted.exit_code, 0) << aborted.out << aborted.err;
  EXPECT_NE(aborted.out.find("dropped dc1: `operator`.`_t_abort_new`"), std::string::npos)
      << aborted.out;
  EXPECT_FALSE(TableExists(*c, "_t_abort_new"));
  EXPECT_FALSE(TableExists(*c, "_t_abort_old"));
  EXPECT_EQ(One(*c, "CHECKSUM TABLE " + qualified, 1), checksum_before);
  EXPECT_EQ(One(*c, "SHOW CREATE TABLE " + qualified, 1), create_before);
  EXPECT_EQ(One(*c, "SELECT COUNT(*) FROM " + qualified), std::to_string(kRows));
  auto binlog = c->Query("SHOW BINLOG EVENTS IN " + sql::QuoteString(binlog_file) + " FROM " +
                         binlog_pos);
  ASSERT_TRUE(binlog.ok()) << binlog.status().ToString();
  const int info = binlog->ColumnIndex("Info");
  int drops = 0;
  for (size_t r = 0; r < binlog->rows.size(); ++r) {
    const std::string text = binlog->rows[r][info].value_or("");
    if (text.find("DROP TABLE") != std::string::npos && text.find("_t_abort_new") != std::string::npos) {
      ++drops;
    }
  }
  EXPECT_EQ(drops, 1) << "the drop of _t_abort_new is not in the binlog: a local replica keeps it";

  auto m = store->GetMigration(id);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->phase, Phase::kAborted);
  auto artifacts = store->ListArtifacts(id);
  ASSERT_TRUE(artifacts.ok());
  for (const auto& a : *artifacts) {
    if (a.artifact.kind == ArtifactKind::kShadow) {
      EXPECT_EQ(a.state, ArtifactState::kDropped);
    }
  }
  auto events = store->ListEvents(id);
  ASSERT_TRUE(events.ok());
  bool phase_logged = false;
  bool drop_logged = false;
  for (const auto& e : *events) {
    phase_logged |= e.event.kind == "phase" && e.event.message == "copying -> aborted" &&
                    e.event.actor == "dba-erin" && e.event.reason == "wrong default";
    drop_logged |= e.event.kind == "artifact_dropped" && e.event.dc == "dc1" &&
                   e.event.reason == "wrong default";
  }
  EXPECT_TRUE(phase_logged);
  EXPECT_TRUE(drop_logged);
  auto lease = store->GetRunnerLease(id);
  ASSERT_TRUE(lease.ok());
  EXPECT_FALSE(lease->has_value()) << "abort released the lease it cleaned up under";

  // Finished migrations take no more commands.
  CommandOutput late_pause = Lockstep({"pause", "--id", id_arg, "--reason", "too late"});
  EXPECT_EQ(late_pause.exit_code, 1) << late_pause.out << late_pause.err;
  EXPECT_NE(late_pause.err.find("is aborted"), std::string::npos) << late_pause.err;
  CommandOutput late_resume = Lockstep({"resume", "--id", id_arg, "--yes"});
  EXPECT_EQ(late_resume.exit_code, 1) << late_resume.out << late_resume.err;
  CommandOutput late_abort = Lockstep({"abort", "--id", id_arg, "--reason", "again"});
  EXPECT_EQ(late_abort.exit_code, 1) << late_abort.out << late_abort.err;
  unsetenv("LOCKSTEP_OPERATOR");
}

TEST_F(OperatorTest, CleanupDropsTheOldTableOnlyAfterItsRetentionAndEndsTheMigration) {
  setenv("LOCKSTEP_OPERATOR", "dba-finn", 1);
  auto c = Dc(1);
  ASSERT_NE(c, nullptr);
  ASSERT_TRUE(c->Execute("DROP DATABASE IF EXISTS operator").ok());
  ASSERT_TRUE(c->Execute("CREATE DATABASE operator").ok());
  ASSERT_TRUE(c->Execute("CREATE TABLE operator.t_clean (id INT PRIMARY KEY, v INT)").ok());
  ASSERT_TRUE(c->Execute("INSERT INTO operator.t_clean SELECT seq, seq FROM operator.seq_1_to_5000").ok());
  CommandOutput ran = Lockstep({"run", "--table", "operator.t_clean", "--alter",
                                "ADD COLUMN w INT", "--strategy", "copy", "--yes"});
  ASSERT_EQ(ran.exit_code, 0) << ran.out << ran.err;
  ASSERT_TRUE(TableExists(*c, "_t_clean_old"));
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  auto active = store->ActiveMigrationFor(kSchema, "t_clean");
  ASSERT_TRUE(active.ok() && active->has_value());
  const std::string id = std::to_string((*active)->id);
  EXPECT_EQ((*active)->phase, Phase::kCutOver);

  // The zone keeps old tables a day by default.
  CommandOutput early = Lockstep({"cleanup", "--id", id});
  EXPECT_EQ(early.exit_code, 1) << early.out << early.err;
  EXPECT_NE(early.err.find("keeps its old table until"), std::string::npos) << early.err;
  EXPECT_TRUE(TableExists(*c, "_t_clean_old"));
  CommandOutput no_reason = Lockstep({"cleanup", "--id", id, "--before-retention"});
  EXPECT_EQ(no_reason.exit_code, 2) << no_reason.out << no_reason.err;
  EXPECT_TRUE(TableExists(*c, "_t_clean_old"));
  // A second migration of the table waits for the first to end.
  CommandOutput blocked = Lockstep({"run", "--table", "operator.t_clean", "--alter",
                                    "ADD COLUMN x INT", "--strategy", "copy", "--yes"});
  EXPECT_NE(blocked.exit_code, 0) << blocked.out << blocked.err;

  CommandOutput cleaned =
      Lockstep({"cleanup", "--id", id, "--before-retention", "--reason", "disk is short"});
  ASSERT_EQ(cleaned.exit_code, 0) << cleaned.out << cleaned.err;
  EXPECT_NE(cleaned.out.find("dropped dc1: `operator`.`_t_clean_old`"), std::string::npos)
      << cleaned.out;
  EXPECT_FALSE(TableExists(*c, "_t_clean_old"));
  EXPECT_EQ(One(*c, "SELECT COUNT(*), SUM(v), COUNT(w) FROM operator.t_clean"), "5000");
  EXPECT_EQ(One(*c, "SELECT SUM(v) FROM operator.t_clean"), "12502500");
  auto m = store->GetMigration((*active)->id);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->phase, Phase::kDone);
  auto events = store->ListEvents((*active)->id);
  ASSERT_TRUE(events.ok());
  bool drop_logged = false;
  for (const auto& e : *events) {
    drop_logged |= e.event.kind == "artifact_dropped" && e.event.actor == "dba-finn" &&
                   e.event.reason == "disk is short";
  }
  EXPECT_TRUE(drop_logged);
  CommandOutput again = Lockstep({"cleanup", "--id", id});
  EXPECT_EQ(again.exit_code, 1) << "a done migration takes no more commands: " << again.err;

  // Done: the table may be migrated again.
  CommandOutput next = Lockstep({"run", "--table", "operator.t_clean", "--alter",
                                 "ADD COLUMN x INT", "--strategy", "copy", "--yes"});
  EXPECT_EQ(next.exit_code, 0) << next.out << next.err;
  unsetenv("LOCKSTEP_OPERATOR");
}

// A second lockstep working from another state file against the same DC is
// refused while the first one's migration of the table is unfinished, before
// it touches anything; once the first one aborts, the table is free again.
TEST_F(OperatorTest, AnotherStateFileIsRefusedWhileTheTableIsOwned) {
  auto c = Dc(1);
  ASSERT_NE(c, nullptr);
  const std::string table = "t_owned";
  const std::string qualified = std::string(kSchema) + "." + table;
  ASSERT_TRUE(c->Execute("CREATE DATABASE IF NOT EXISTS operator").ok());
  ASSERT_TRUE(c->Execute("DROP TABLE IF EXISTS operator.oracle").ok());
  ASSERT_TRUE(CreateTableAndOracle(*c, kSchema, table, 20000).ok());
  const std::vector<std::string> change{"--table", qualified, "--alter", "ADD COLUMN note INT",
                                        "--strategy", "copy", "--yes"};
  std::vector<std::string> first{"run", "--config", sandbox_->topology_path()};
  first.insert(first.end(), change.begin(), change.end());
  const int pid = SpawnLockstep(first, {"LOCKSTEP_FAILPOINT=after_copying_started"});
  ASSERT_GT(pid, 0);
  int status = 0;
  ::waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << "the failpoint was not hit";
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  auto owned = store->ActiveMigrationFor(kSchema, table);
  ASSERT_TRUE(owned.ok() && owned->has_value());
  const int64_t id = (*owned)->id;
  auto identity = store->Identity();
  ASSERT_TRUE(identity.ok()) << identity.status().ToString();

  // The same DCs, another state file.
  const std::string other_config = sandbox_->topology_path() + ".other.ini";
  {
    std::ifstream in(sandbox_->topology_path());
    std::ofstream out(other_config);
    for (std::string line; std::getline(in, line);) {
      out << (line.rfind("state_db", 0) == 0 ? "state_db = " + sandbox_->topology_path() + ".other.db"
                                              : line)
          << "\n";
    }
  }
  std::vector<std::string> second{"run", "--config", other_config};
  second.insert(second.end(), change.begin(), change.end());
  const std::string shadow_rows = One(*c, "SELECT COUNT(*) FROM operator._t_owned_new");
  CommandOutput refused = RunLockstep(second);
  EXPECT_NE(refused.exit_code, 0) << refused.out << refused.err;
  // The plan's artifacts check names the owner (the owner record in the DC
  // also stops a run that planned before the first one claimed the table).
  EXPECT_NE((refused.out + refused.err).find("migration " + std::to_string(id) + " of state store " + *identity),
            std::string::npos)
      << refused.out << refused.err;
  EXPECT_EQ(One(*c, "SELECT COUNT(*) FROM operator._t_owned_new"), shadow_rows) << "the second one copied";
  EXPECT_EQ(One(*c, "SELECT store_id FROM operator._lockstep_owners WHERE table_name = 't_owned'"), *identity);

  CommandOutput aborted = Lockstep({"abort", "--id", std::to_string(id), "--reason", "make way"});
  ASSERT_EQ(aborted.exit_code, 0) << aborted.out << aborted.err;
  EXPECT_EQ(One(*c, "SELECT COUNT(*) FROM operator._lockstep_owners WHERE table_name = 't_owned'"), "0");
  second[0] = "run";
  CommandOutput ran = RunLockstep(second);
  ASSERT_EQ(ran.exit_code, 0) << ran.out << ran.err;
  EXPECT_NE(ran.out.find("cut_over"), std::string::npos) << ran.out;
  std::remove(other_config.c_str());
}

// The owner record itself: the first claim wins, a second store's claim is
// refused naming the first, a release by anyone but the owner changes nothing.
TEST_F(OperatorTest, TheFirstClaimOfATableWinsUntilItsOwnerReleasesIt) {
  auto c = Dc(1);
  ASSERT_NE(c, nullptr);
  ASSERT_TRUE(c->Execute("CREATE DATABASE IF NOT EXISTS operator").ok());
  const TableOwnerId first{"11111111111111111111111111111111", 4, "host-a"};
  const TableOwnerId second{"22222222222222222222222222222222", 9, "host-b"};
  ASSERT_TRUE(ClaimTable(*c, "dc1", "operator", "t_claimed", first).ok());
  ASSERT_TRUE(ClaimTable(*c, "dc1", "operator", "t_claimed", first).ok()) << "a claim is repeatable";
  Status refused = ClaimTable(*c, "dc1", "operator", "t_claimed", second);
  EXPECT_EQ(refused.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(refused.message().find("migration 4 of state store 1111"), std::string::npos) << refused.ToString();
  EXPECT_NE(refused.message().find("host host-a"), std::string::npos) << refused.ToString();
  ASSERT_TRUE(ReleaseTable(*c, "operator", "t_claimed", second).ok());
  EXPECT_FALSE(ClaimTable(*c, "dc1", "operator", "t_claimed", second).ok()) << "released by a stranger";
  ASSERT_TRUE(ReleaseTable(*c, "operator", "t_claimed", first).ok());
  EXPECT_TRUE(ClaimTable(*c, "dc1", "operator", "t_claimed", second).ok());
  ASSERT_TRUE(ReleaseTable(*c, "operator", "t_claimed", second).ok());
  // Where nothing was ever claimed there is no owners table: nothing to release.
  ASSERT_TRUE(c->Execute("CREATE DATABASE IF NOT EXISTS operator_empty").ok());
  EXPECT_TRUE(ReleaseTable(*c, "operator_empty", "t", first).ok());
}

}  // namespace
}  // namespace lockstep::testing
