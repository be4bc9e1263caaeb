// The SQLite RAII wrappers: statements, binds, transactions, error mapping.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <string>

#include "state/sqlite_db.h"
#include "state/sqlite_statement.h"
#include "state/sqlite_transaction.h"

namespace lockstep {
namespace {

class StateSqliteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ("state_sqlite_" + std::to_string(getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    path_ = (dir_ / "t.db").string();
    int fd = open(path_.c_str(), O_CREAT | O_EXCL | O_RDWR, 0600);
    ASSERT_GE(fd, 0);
    close(fd);
    auto db = SqliteDb::OpenExisting(path_);
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_.emplace(std::move(db).value());
    ASSERT_TRUE(db_->Exec("CREATE TABLE t (i INTEGER, s TEXT, b BLOB) STRICT").ok());
  }
  void TearDown() override {
    db_.reset();
    std::filesystem::remove_all(dir_);
  }

  int64_t CountRows() {
    auto n = db_->QueryInt64("SELECT count(*) FROM t");
    EXPECT_TRUE(n.ok()) << n.status().ToString();
    return n.ok() ? *n : -1;
  }

  std::filesystem::path dir_;
  std::string path_;
  std::optional<SqliteDb> db_;
};

TEST_F(StateSqliteTest, TypedBindsRoundTrip) {
  auto insert = db_->Prepare("INSERT INTO t (i, s, b) VALUES (?1, ?2, ?3)");
  ASSERT_TRUE(insert.ok());
  const std::vector<uint8_t> blob = {0, 1, 2, 255};
  ASSERT_TRUE(insert
                  ->BindAll(int64_t{1} << 40, std::string("it's \"quoted\"; DROP TABLE t"),
                            std::span<const uint8_t>(blob))
                  .ok());
  ASSERT_TRUE(insert->Run().ok());
  ASSERT_TRUE(insert->Reset().ok());
  ASSERT_TRUE(insert->BindAll(std::nullopt, std::optional<std::string>(), std::nullopt).ok());
  ASSERT_TRUE(insert->Run().ok());

  auto select = db_->Prepare("SELECT i, s, b FROM t ORDER BY rowid");
  ASSERT_TRUE(select.ok());
  auto row = select->Step();
  ASSERT_TRUE(row.ok() && *row);
  EXPECT_EQ(select->ColumnInt64(0), int64_t{1} << 40);
  EXPECT_EQ(select->ColumnText(1), "it's \"quoted\"; DROP TABLE t");
  EXPECT_EQ(select->ColumnBlob(2), blob);
  row = select->Step();
  ASSERT_TRUE(row.ok() && *row);
  EXPECT_TRUE(select->ColumnIsNull(0));
  EXPECT_EQ(select->ColumnOptionalInt64(0), std::nullopt);
  EXPECT_EQ(select->ColumnOptionalText(1), std::nullopt);
  row = select->Step();
  ASSERT_TRUE(row.ok());
  EXPECT_FALSE(*row);
}

TEST_F(StateSqliteTest, StrictTableRejectsWrongTypeWithPathInMessage) {
  auto insert = db_->Prepare("INSERT INTO t (i) VALUES (?1)");
  ASSERT_TRUE(insert.ok());
  ASSERT_TRUE(insert->BindAll("not a number").ok());
  Status s = insert->Run();
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find(path_), std::string::npos) << s.ToString();
  EXPECT_NE(s.message().find("cannot store TEXT value in INTEGER column"), std::string::npos)
      << s.ToString();
}

TEST_F(StateSqliteTest, PrepareErrorIsIoErrorNamingFile) {
  auto bad = db_->Prepare("SELEC nonsense");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kIoError);
  EXPECT_NE(bad.status().message().find(path_), std::string::npos);
  EXPECT_NE(bad.status().message().find("syntax error"), std::string::npos);
}

TEST_F(StateSqliteTest, TransactionRollsBackUnlessCommitted) {
  {
    auto tx = SqliteTransaction::BeginImmediate(*db_);
    ASSERT_TRUE(tx.ok());
    ASSERT_TRUE(db_->Exec("INSERT INTO t (i) VALUES (1)").ok());
  }  // no Commit: rolled back
  EXPECT_EQ(CountRows(), 0);
  EXPECT_TRUE(db_->InAutocommit());
  {
    auto tx = SqliteTransaction::BeginImmediate(*db_);
    ASSERT_TRUE(tx.ok());
    ASSERT_TRUE(db_->Exec("INSERT INTO t (i) VALUES (1)").ok());
    ASSERT_TRUE(tx->Commit().ok());
    EXPECT_FALSE(tx->Commit().ok()) << "a second commit is an error, not a no-op";
  }
  EXPECT_EQ(CountRows(), 1);
}

TEST_F(StateSqliteTest, MovedTransactionRollsBackOnce) {
  auto tx = SqliteTransaction::BeginImmediate(*db_);
  ASSERT_TRUE(tx.ok());
  ASSERT_TRUE(db_->Exec("INSERT INTO t (i) VALUES (1)").ok());
  {
    SqliteTransaction moved(std::move(tx).value());
    EXPECT_FALSE(db_->InAutocommit());
  }
  EXPECT_TRUE(db_->InAutocommit());
  EXPECT_EQ(CountRows(), 0);
}

TEST_F(StateSqliteTest, NestedTransactionRefused) {
  auto outer = SqliteTransaction::BeginImmediate(*db_);
  ASSERT_TRUE(outer.ok());
  auto inner = SqliteTransaction::BeginImmediate(*db_);
  EXPECT_FALSE(inner.ok());
}

TEST_F(StateSqliteTest, MovedConnectionStillWorks) {
  SqliteDb moved = std::move(*db_);
  db_.reset();
  ASSERT_TRUE(moved.Exec("INSERT INTO t (i) VALUES (7)").ok());
  auto n = moved.QueryInt64("SELECT i FROM t");
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 7);
}

TEST_F(StateSqliteTest, BusyWriterGivesTimeoutNotHang) {
  ASSERT_TRUE(db_->Exec("PRAGMA journal_mode = WAL").ok());
  auto other = SqliteDb::OpenExisting(path_);
  ASSERT_TRUE(other.ok());
  ASSERT_TRUE(other->SetBusyTimeout(50).ok());
  auto holder = SqliteTransaction::BeginImmediate(*db_);
  ASSERT_TRUE(holder.ok());

  const auto start = std::chrono::steady_clock::now();
  auto blocked = SqliteTransaction::BeginImmediate(*other);
  const auto waited = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(blocked.ok());
  EXPECT_TRUE(blocked.status().IsTimeout()) << blocked.status().ToString();
  EXPECT_GE(waited, std::chrono::milliseconds(40));
  EXPECT_LT(waited, std::chrono::seconds(5));
}

TEST_F(StateSqliteTest, OpenMissingFileFailsWithoutCreatingIt) {
  const std::string missing = (dir_ / "missing.db").string();
  auto db = SqliteDb::OpenExisting(missing);
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.status().code(), StatusCode::kIoError);
  EXPECT_NE(db.status().message().find(missing), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(missing));
}

}  // namespace
}  // namespace lockstep
