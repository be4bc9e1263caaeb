// The versioned schema: fresh creation, upgrades, and refusals.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "state/schema_migrator.h"
#include "state/schema_steps.h"
#include "state/sqlite_db.h"

#include "state_test_support.h"

namespace lockstep {
namespace {

class StateSchemaTest : public StateDirTest {
 protected:
  void SetUp() override {
    StateDirTest::SetUp();
    int fd = open(path_.c_str(), O_CREAT | O_EXCL | O_RDWR, 0600);
    ASSERT_GE(fd, 0);
    close(fd);
    auto db = SqliteDb::OpenExisting(path_);
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_.emplace(std::move(db).value());
  }
  void TearDown() override {
    db_.reset();
    std::filesystem::remove_all(dir_);
  }

  int64_t Int(const std::string& sql) {
    auto v = db_->QueryInt64(sql);
    EXPECT_TRUE(v.ok()) << sql << ": " << v.status().ToString();
    return v.ok() ? *v : -1;
  }

  // The built-in steps followed by `extra` (which must number on from them).
  std::vector<SchemaStep> StepsPlus(std::vector<SchemaStep> extra) {
    std::vector<SchemaStep> steps(BuiltinSchemaSteps().begin(), BuiltinSchemaSteps().end());
    steps.insert(steps.end(), extra.begin(), extra.end());
    return steps;
  }

  std::optional<SqliteDb> db_;
};

TEST_F(StateSchemaTest, FreshFileGetsLatestVersionAndApplicationId) {
  SchemaMigrator migrator(BuiltinSchemaSteps());
  ASSERT_TRUE(migrator.Migrate(*db_).ok());
  EXPECT_EQ(Int("PRAGMA user_version"), migrator.target_version());
  EXPECT_EQ(Int("PRAGMA application_id"), kStateApplicationId);
  EXPECT_EQ(Int("SELECT count(*) FROM pragma_table_list WHERE schema = 'main' AND name IN "
                "('migrations', 'dc_progress', 'artifacts', 'cutover_attempts', 'events', "
                "'operator_commands') AND strict = 1"),
            6);
}

TEST_F(StateSchemaTest, MigratingTwiceIsANoOp) {
  SchemaMigrator migrator(BuiltinSchemaSteps());
  ASSERT_TRUE(migrator.Migrate(*db_).ok());
  const int64_t objects = Int("SELECT count(*) FROM sqlite_schema");
  ASSERT_TRUE(migrator.Migrate(*db_).ok());
  EXPECT_EQ(Int("SELECT count(*) FROM sqlite_schema"), objects);
}

TEST_F(StateSchemaTest, UpgradeAppliesOnlyMissingStepsAndKeepsRows) {
  ASSERT_TRUE(SchemaMigrator(BuiltinSchemaSteps()).Migrate(*db_).ok());
  ASSERT_TRUE(db_->Exec("INSERT INTO events (at, actor, kind, message) "
                        "VALUES (1, 'lockstep', 'note', 'before upgrade')")
                  .ok());
  const int64_t next = static_cast<int64_t>(BuiltinSchemaSteps().size()) + 1;
  auto steps =
      StepsPlus({{next, "add events.source", "ALTER TABLE events ADD COLUMN source TEXT"}});
  SchemaMigrator upgraded(steps);
  ASSERT_TRUE(upgraded.Migrate(*db_).ok());
  EXPECT_EQ(Int("PRAGMA user_version"), next);
  EXPECT_EQ(Int("SELECT count(*) FROM events WHERE message = 'before upgrade' AND source IS NULL"),
            1);
}

TEST_F(StateSchemaTest, FailedStepRollsBackWholeStep) {
  ASSERT_TRUE(SchemaMigrator(BuiltinSchemaSteps()).Migrate(*db_).ok());
  const int64_t version = Int("PRAGMA user_version");
  auto steps = StepsPlus({{version + 1, "broken",
                           "CREATE TABLE half_done (a INTEGER) STRICT; "
                           "INSERT INTO no_such_table VALUES (1);"}});
  Status s = SchemaMigrator(steps).Migrate(*db_);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("schema step " + std::to_string(version + 1)), std::string::npos)
      << s.message();
  EXPECT_EQ(Int("PRAGMA user_version"), version);
  EXPECT_EQ(Int("SELECT count(*) FROM sqlite_schema WHERE name = 'half_done'"), 0);
}

TEST_F(StateSchemaTest, NewerDatabaseIsRefusedUntouched) {
  ASSERT_TRUE(db_->Exec("PRAGMA user_version = 99").ok());
  Status s = SchemaMigrator(BuiltinSchemaSteps()).Migrate(*db_);
  ASSERT_EQ(s.code(), StatusCode::kFailedPrecondition) << s.ToString();
  EXPECT_NE(s.message().find("version 99"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("newer lockstep"), std::string::npos) << s.message();
  EXPECT_EQ(Int("SELECT count(*) FROM sqlite_schema"), 0);
}

TEST_F(StateSchemaTest, ForeignDatabaseIsRefused) {
  ASSERT_TRUE(db_->Exec("CREATE TABLE customers (id INTEGER)").ok());
  Status s = SchemaMigrator(BuiltinSchemaSteps()).Migrate(*db_);
  ASSERT_EQ(s.code(), StatusCode::kFailedPrecondition) << s.ToString();
  EXPECT_NE(s.message().find("not a lockstep state database"), std::string::npos) << s.message();
  EXPECT_EQ(Int("SELECT count(*) FROM sqlite_schema"), 1);
}

TEST_F(StateSchemaTest, ForeignApplicationIdIsRefused) {
  ASSERT_TRUE(SchemaMigrator(BuiltinSchemaSteps()).Migrate(*db_).ok());
  ASSERT_TRUE(db_->Exec("PRAGMA application_id = 42").ok());
  Status s = SchemaMigrator(BuiltinSchemaSteps()).Migrate(*db_);
  ASSERT_EQ(s.code(), StatusCode::kFailedPrecondition) << s.ToString();
  EXPECT_NE(s.message().find("application_id 42"), std::string::npos) << s.message();
}

TEST_F(StateSchemaTest, MisnumberedStepsAreAnInternalError) {
  const SchemaStep steps[] = {{2, "skips one", "SELECT 1"}};
  EXPECT_EQ(SchemaMigrator(steps).Migrate(*db_).code(), StatusCode::kInternal);
}

}  // namespace
}  // namespace lockstep
