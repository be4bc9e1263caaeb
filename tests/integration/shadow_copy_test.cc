// lockstep run --strategy copy on a real server while writers change the
// table: every writer transaction changes `t` and an oracle twin the same
// way, so after the migration `t` must equal the oracle (the content it
// would have without the migration), whatever the copy, the applier and the
// cut-over did meanwhile.
#include <gtest/gtest.h>

#include <atomic>
#include <random>
#include <set>
#include <sstream>
#include <thread>

#include "support/sandbox_suite.h"

namespace lockstep::testing {
namespace {

constexpr int kInitialRows = 20000;

class ShadowCopyTest : public SandboxSuite<1> {
 protected:
  // Writes in the same transaction to `t` and `oracle` until told to stop.
  static void Writer(int id, std::atomic<bool>* stop, std::atomic<int>* committed,
                     std::atomic<int>* failed) {
    auto conn = sandbox_->Connect(1);
    if (!conn.ok()) {
      failed->fetch_add(1000000);
      return;
    }
    Connection& c = **conn;
    std::mt19937 rng(static_cast<unsigned>(id) * 7919u);
    int next_insert = 1'000'000 * (id + 1);
    while (!stop->load()) {
      const int pick = static_cast<int>(rng() % 100);
      const std::string x = std::to_string(1 + rng() % (kInitialRows + 500));
      std::string stmt;
      if (pick < 35) {
        const std::string n = std::to_string(next_insert++);
        stmt = "INSERT INTO copytest.{T} (id, k, c, d, ts) VALUES (" + n + ", " + n +
               " % 97, CONCAT('w', " + n + "), " + n + " / 13, '2025-01-01 00:00:00.5' + INTERVAL " + n + " MICROSECOND)";
      } else if (pick < 75) {
        stmt = "UPDATE copytest.{T} SET k = k + 1, c = CONCAT(c, '+'), d = d * 2 WHERE id = " + x;
      } else if (pick < 90) {
        stmt = "DELETE FROM copytest.{T} WHERE id = " + x;
      } else {
        // Move a primary key: the applier must delete the old row and add the new.
        stmt = "UPDATE copytest.{T} SET id = id + 500000 WHERE id = " + x;
      }
      auto for_table = [&](const std::string& table) {
        std::string s = stmt;
        s.replace(s.find("{T}"), 3, table);
        return s;
      };
      Status s = c.Execute("BEGIN");
      if (s.ok()) s = c.Execute(for_table("t"));
      if (s.ok()) s = c.Execute(for_table("oracle"));
      if (s.ok()) s = c.Execute("COMMIT");
      if (s.ok()) {
        committed->fetch_add(1);
      } else {
        (void)c.Execute("ROLLBACK");  // both or neither
        failed->fetch_add(1);
      }
    }
  }

  // The first lines only one side has, for the failure message.
  static std::string FirstDifferences(const std::string& expected, const std::string& actual) {
    std::istringstream e(expected), a(actual);
    std::set<std::string> in_expected, in_actual;
    std::string line;
    while (std::getline(e, line)) in_expected.insert(line);
    while (std::getline(a, line)) in_actual.insert(line);
    std::string out;
    int shown = 0;
    for (const auto& l : in_expected) {
      if (!in_actual.count(l) && shown++ < 5) out += "  oracle only: " + l + "\n";
    }
    shown = 0;
    for (const auto& l : in_actual) {
      if (!in_expected.count(l) && shown++ < 5) out += "  t only:      " + l + "\n";
    }
    return out;
  }

  static std::string Contents(Connection& c, const std::string& table) {
    auto r = c.Query("SELECT id, k, c, d, ts FROM copytest." + table + " ORDER BY id");
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    std::string out;
    if (!r.ok()) return out;
    for (const auto& row : r->rows) {
      for (const auto& v : row) out += v.value_or("NULL") + "|";
      out += "\n";
    }
    return out;
  }
};

TEST_F(ShadowCopyTest, TableEqualsTheOracleAfterAMigrationUnderWrites) {
  auto c = Dc(1);
  for (const char* stmt : {
           "CREATE DATABASE copytest",
           "CREATE TABLE copytest.t (id INT AUTO_INCREMENT PRIMARY KEY, k INT NOT NULL, "
           "c VARCHAR(64), d DECIMAL(12,2), ts DATETIME(6), KEY kk (k)) ENGINE=InnoDB",
           "CREATE TABLE copytest.oracle LIKE copytest.t",
           "INSERT INTO copytest.t SELECT seq, seq % 97, CONCAT('row', seq), seq / 7, "
           "'2024-01-01 00:00:00.123456' + INTERVAL seq SECOND FROM copytest.seq_1_to_20000",
           "INSERT INTO copytest.oracle SELECT * FROM copytest.t",
       }) {
    Status s = c->Execute(stmt);
    ASSERT_TRUE(s.ok()) << s.ToString();
  }

  std::atomic<bool> stop{false};
  std::atomic<int> committed{0}, failed{0};
  std::vector<std::thread> writers;
  for (int i = 0; i < 3; ++i) writers.emplace_back(Writer, i, &stop, &committed, &failed);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  CommandOutput run = RunLockstep({"--config", sandbox_->topology_path(), "run", "--table",
                                   "copytest.t", "--alter",
                                   "ADD COLUMN note VARCHAR(32) DEFAULT 'n', MODIFY c VARCHAR(100)",
                                   "--strategy", "copy", "--yes"});
  // Writers keep going a moment after the cut-over: into the new table.
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  stop = true;
  for (auto& w : writers) w.join();

  ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_NE(run.out.find("cut_over"), std::string::npos) << run.out;
  EXPECT_GT(committed.load(), 50) << "the writers barely ran";
  const std::string expected = Contents(*c, "oracle");
  const std::string actual = Contents(*c, "t");
  EXPECT_EQ(actual.size(), expected.size());
  EXPECT_TRUE(actual == expected) << "t differs from the oracle after the migration ("
                                  << committed.load() << " writer transactions, "
                                  << failed.load() << " rolled back):\n"
                                  << FirstDifferences(expected, actual);
  auto note = c->QueryValue("SELECT COUNT(*) FROM information_schema.COLUMNS WHERE "
                            "TABLE_SCHEMA = 'copytest' AND TABLE_NAME = 't' AND COLUMN_NAME = 'note'");
  EXPECT_EQ(note->value_or(""), "1") << "t has the new schema";
  auto old = c->QueryValue("SELECT COUNT(*) FROM information_schema.TABLES WHERE "
                           "TABLE_SCHEMA = 'copytest' AND TABLE_NAME = '_t_old'");
  EXPECT_EQ(old->value_or(""), "1") << "the old table is kept for its retention";
  std::cout << "[ oracle   ] " << committed.load() << " writer transactions during the migration, "
            << failed.load() << " rolled back\n";
}

}  // namespace
}  // namespace lockstep::testing
