// Shared pieces of the state store's unit tests: a per-test temporary
// directory holding `state.db`, file modes, and a scoped umask.
#pragma once

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include <gtest/gtest.h>

#include "state/records.h"

namespace lockstep {

// The least a migration needs to be recorded: one DC, shop.orders.
inline MigrationSpec MinimalMigrationSpec() {
  MigrationSpec spec;
  spec.table_schema = "shop";
  spec.table_name = "orders";
  spec.alter_sql = "ALTER TABLE `shop`.`orders` ADD COLUMN `note` INT";
  spec.alter_fingerprint = "f";
  spec.plan_json = "{}";
  spec.dcs = {"dc1"};
  spec.requested_by = "alice";
  return spec;
}

// The permission bits of a file (not following a symlink).
inline unsigned ModeOf(const std::string& path) {
  struct stat st;
  EXPECT_EQ(lstat(path.c_str(), &st), 0) << path;
  return st.st_mode & 07777;
}

// Sets the process umask for one scope; restored even when an ASSERT returns.
class ScopedUmask {
 public:
  explicit ScopedUmask(mode_t mask) : old_(umask(mask)) {}
  ~ScopedUmask() { umask(old_); }
  ScopedUmask(const ScopedUmask&) = delete;
  ScopedUmask& operator=(const ScopedUmask&) = delete;

 private:
  mode_t old_;
};

// A fresh directory per test (removed afterwards); path_ is `state.db` in it.
class StateDirTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ("lockstep_state_" + std::to_string(getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->test_suite_name() + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    path_ = (dir_ / "state.db").string();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::filesystem::path dir_;
  std::string path_;
};

}  // namespace lockstep
