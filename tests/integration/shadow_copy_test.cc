// lockstep run --strategy copy on a real server while writers change the
// table: every writer transaction changes `t` and an oracle twin the same
// way, so after the migration `t` must equal the oracle (the content it
// would have without the migration), whatever the copy, the applier and the
// cut-over did meanwhile.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "state/state_store.h"
#include "support/oracle.h"
#include "support/sandbox_suite.h"

namespace lockstep::testing {
namespace {

class ShadowCopyTest : public SandboxSuite<1> {};

TEST_F(ShadowCopyTest, TableEqualsTheOracleAfterAMigrationUnderWrites) {
  auto c = Dc(1);
  ASSERT_TRUE(CreateTableAndOracle(*c, "copytest", "t", 20000).ok());
  OracleWriters writers(*sandbox_, "copytest", "t", 20000, 3);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  CommandOutput run = RunLockstep({"--config", sandbox_->topology_path(), "run", "--table",
                                   "copytest.t", "--alter",
                                   "ADD COLUMN note VARCHAR(32) DEFAULT 'n', MODIFY c VARCHAR(100), "
                                   "ADD INDEX kc (k, c)",
                                   "--strategy", "copy", "--yes"});
  // Writers keep going a moment after the cut-over: into the new table.
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  writers.Stop();

  ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_NE(run.out.find("cut_over"), std::string::npos) << run.out;
  EXPECT_GT(writers.committed(), 50) << "the writers barely ran";
  const std::string diff = DiffAgainstOracle(*c, "copytest", "t");
  EXPECT_EQ(diff, "") << "t differs from the oracle after the migration (" << writers.committed()
                      << " writer transactions, " << writers.rolled_back() << " rolled back)";
  auto note = c->QueryValue("SELECT COUNT(*) FROM information_schema.COLUMNS WHERE "
                            "TABLE_SCHEMA = 'copytest' AND TABLE_NAME = 't' AND COLUMN_NAME = 'note'");
  EXPECT_EQ(note->value_or(""), "1") << "t has the new schema";
  // Its keys: kk, which _t_new was copied into without, and the new kc.
  auto keys = c->QueryValue("SELECT GROUP_CONCAT(DISTINCT INDEX_NAME ORDER BY INDEX_NAME) FROM "
                            "information_schema.STATISTICS WHERE TABLE_SCHEMA = 'copytest' AND "
                            "TABLE_NAME = 't'");
  EXPECT_EQ(keys->value_or(""), "kc,kk,PRIMARY");  // names sort ignoring case
  EXPECT_NE(run.err.find("added `kk`, `kc` to _t_new"), std::string::npos) << run.err;
  // The cut-over report, printed and stored with the attempt.
  EXPECT_NE(run.out.find("cut-over attempt 1: commit (ready)"), std::string::npos) << run.out;
  auto store = StateStore::Open(sandbox_->topology().state_db_path);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  auto m = (*store)->ListMigrations();
  ASSERT_TRUE(m.ok() && !m->empty());
  auto attempts = (*store)->ListCutoverAttempts(m->back().id);
  ASSERT_TRUE(attempts.ok() && !attempts->empty());
  const std::string timings = attempts->back().timings_json.value_or("");
  for (const char* field : {"\"dc\":\"dc1\"", "\"outcome\":\"committed\"", "\"writes_blocked_ms\":",
                            "\"rename_skew_ms\":0", "\"writes_before_rename\":[]"}) {
    EXPECT_NE(timings.find(field), std::string::npos) << field << " in " << timings;
  }
  auto old = c->QueryValue("SELECT COUNT(*) FROM information_schema.TABLES WHERE "
                           "TABLE_SCHEMA = 'copytest' AND TABLE_NAME = '_t_old'");
  EXPECT_EQ(old->value_or(""), "1") << "the old table is kept for its retention";
  std::cout << "[ oracle   ] " << writers.committed() << " writer transactions during the "
            << "migration, " << writers.rolled_back() << " rolled back\n";
}

// A FULLTEXT key, which the probe's temporary table cannot take: planned from
// the parsed clause, and the shadow copy adds it, an unnamed one too.
TEST_F(ShadowCopyTest, AFulltextKeyIsAddedByTheShadowCopy) {
  auto c = Dc(1);
  ASSERT_TRUE(c->Execute("DROP TABLE IF EXISTS copytest.oracle").ok());
  ASSERT_TRUE(CreateTableAndOracle(*c, "copytest", "ft", 2000).ok());
  OracleWriters writers(*sandbox_, "copytest", "ft", 2000, 1);
  CommandOutput run = RunLockstep({"--config", sandbox_->topology_path(), "run", "--table",
                                   "copytest.ft", "--alter", "ADD FULLTEXT INDEX fc (c), ADD FULLTEXT (c)",
                                   "--strategy", "copy", "--yes", "--format", "json"});
  writers.Stop();
  ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_NE(run.out.find("\"phase\":\"cut_over\""), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("\"cutover_attempts\":[{\"attempt\":1,\"decision\":\"commit\",\"reason\":\"ready\","
                         "\"report\":{\"dcs\":[{\"dc\":\"dc1\",\"outcome\":\"committed\""),
            std::string::npos)
      << run.out;
  EXPECT_EQ(DiffAgainstOracle(*c, "copytest", "ft"), "");
  auto keys = c->QueryValue("SELECT GROUP_CONCAT(DISTINCT INDEX_NAME ORDER BY INDEX_NAME) FROM "
                            "information_schema.STATISTICS WHERE TABLE_SCHEMA = 'copytest' AND "
                            "TABLE_NAME = 'ft' AND INDEX_TYPE = 'FULLTEXT'");
  EXPECT_EQ(keys->value_or(""), "c,fc");
  ASSERT_TRUE(c->Execute("DROP TABLE copytest.oracle").ok());
}

}  // namespace
}  // namespace lockstep::testing
