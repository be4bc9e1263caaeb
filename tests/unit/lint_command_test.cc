// lockstep lint end to end: files on disk, RunLint, its output and exit code.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli/commands.h"
#include "lint_test_util.h"
#include "planner/lint/rule_registry.h"
#include "planner/report/json_writer.h"

namespace lockstep::cli {
namespace {

namespace fs = std::filesystem;

class LintCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(::testing::TempDir()) /
           ("lockstep_lint_" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string Write(const std::string& name, const std::string& text) {
    const fs::path path = dir_ / name;
    std::ofstream(path) << text;
    return path.string();
  }

  int Run(std::vector<std::string> args) {
    out_.str("");
    err_.str("");
    return RunLint(args, {out_, err_});
  }

  fs::path dir_;
  std::ostringstream out_;
  std::ostringstream err_;
};

TEST_F(LintCommandTest, CleanFileExitsZero) {
  const std::string f = Write("ok.sql", "ALTER TABLE t ADD COLUMN x INT NULL;\n");
  EXPECT_EQ(Run({f}), kExitOk);
  EXPECT_EQ(out_.str(), "0 errors, 0 warnings, 0 infos in 1 file\n");
  EXPECT_EQ(err_.str(), "");
}

TEST_F(LintCommandTest, ErrorFindingExitsOneWithCompilerLikeText) {
  const std::string f = Write("drop.sql", "-- contract\nALTER TABLE t DROP COLUMN a;\n");
  EXPECT_EQ(Run({f}), kExitNo);
  EXPECT_EQ(out_.str(),
            f + ":2:15: error[LS101]: DROP COLUMN `a` deletes the column and its data in every DC\n"
                "  suggestion: expand/contract: first deploy code that no longer reads or writes "
                "`a`, then drop it in a later migration (keep a backup: the data is gone for good)\n"
                "1 error, 0 warnings, 0 infos in 1 file\n");
}

TEST_F(LintCommandTest, WarningsAloneExitZero) {
  const std::string f = Write("idx.sql", "ALTER TABLE t DROP INDEX k;\n");
  EXPECT_EQ(Run({f}), kExitOk);
  EXPECT_NE(out_.str().find("warning[LS102]"), std::string::npos);
}

TEST_F(LintCommandTest, ParseErrorAndRefusalAreFindingsNotCrashes) {
  const std::string f = Write("bad.sql", "ALTER TABLE t ADD (x INT;\nTRUNCATE t;\n");
  EXPECT_EQ(Run({f}), kExitNo);
  EXPECT_NE(out_.str().find(f + ":1:25: error[LS000]: syntax error: unexpected end of statement, expected ')'"),
            std::string::npos)
      << out_.str();
  EXPECT_NE(out_.str().find(f + ":2:1: error[LS001]: TRUNCATE TABLE is refused"), std::string::npos);
}

TEST_F(LintCommandTest, JsonFormat) {
  const std::string f = Write("m.sql", "ALTER TABLE t ADD x INT FIRST;");
  EXPECT_EQ(Run({"--format", "json", f}), kExitNo);
  const std::string json = out_.str();
  EXPECT_EQ(json.rfind("{\"findings\":[{\"rule\":\"LS401\",\"severity\":\"error\",\"file\":\"" +
                           report::JsonWriter::Escape(f) + "\",\"line\":1,\"column\":15,\"message\":\"adds `x` FIRST",
                       0),
            0u)
      << json;
  EXPECT_NE(json.find("\"summary\":{\"errors\":1,\"warnings\":0,\"infos\":0,\"files\":1}}\n"), std::string::npos);
}

TEST_F(LintCommandTest, GithubFormat) {
  const std::string f = Write("g.sql", "ALTER TABLE t DROP INDEX k;");
  EXPECT_EQ(Run({"-f", "github", f}), kExitOk);
  EXPECT_EQ(out_.str(),
            "::warning file=" + f +
                ",line=1,col=15,title=LS102::DROP INDEX `k`: queries that use it may become slow"
                "%0Asuggestion: check the queries on `t` first (EXPLAIN, slow log); try it hidden "
                "before dropping it (MariaDB: ALTER INDEX `k` IGNORED, MySQL: INVISIBLE)\n"
                "0 errors, 1 warning, 0 infos in 1 file\n");
}

TEST_F(LintCommandTest, SarifFormat) {
  const std::string f = Write("s.sql", "ALTER TABLE t DROP a;");
  EXPECT_EQ(Run({"--format=sarif", f}), kExitNo);
  const std::string sarif = out_.str();
  EXPECT_EQ(sarif.rfind("{\n  \"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\",\n  \"version\": \"2.1.0\",", 0), 0u);
  EXPECT_NE(sarif.find("\"name\": \"lockstep\""), std::string::npos);
  // Every rule is listed, so that ruleIndex points into the list.
  size_t rules = 0;
  for (size_t at = sarif.find("\"shortDescription\""); at != std::string::npos;
       at = sarif.find("\"shortDescription\"", at + 1)) {
    ++rules;
  }
  EXPECT_EQ(rules, lint::AllRules().size());
  EXPECT_NE(sarif.find("\"ruleId\": \"LS101\""), std::string::npos);
  EXPECT_NE(sarif.find("\"level\": \"error\""), std::string::npos);
  EXPECT_NE(sarif.find("\"startLine\": 1,\n"), std::string::npos);
  EXPECT_NE(sarif.find("\"startColumn\": 15\n"), std::string::npos);
}

TEST_F(LintCommandTest, SchemaGivesTableFacts) {
  const std::string schema = Write("schema.sql", lint::testing::kSchema);
  const std::string f = Write("m.sql", "ALTER TABLE nopk ADD y INT;");
  EXPECT_EQ(Run({f}), kExitOk);
  EXPECT_EQ(Run({"--schema", schema, f}), kExitNo);
  EXPECT_NE(out_.str().find("error[LS403]: `nopk` has no primary key"), std::string::npos);
}

TEST_F(LintCommandTest, SeveralFilesAreSummedUp) {
  const std::string a = Write("a.sql", "ALTER TABLE t DROP a;");
  const std::string b = Write("b.sql", "ALTER TABLE t DROP INDEX k;");
  EXPECT_EQ(Run({a, b}), kExitNo);
  EXPECT_NE(out_.str().find("1 error, 1 warning, 0 infos in 2 files\n"), std::string::npos);
}

TEST_F(LintCommandTest, UsageErrorsExitTwo) {
  EXPECT_EQ(Run({}), kExitUsage);
  EXPECT_EQ(err_.str(), "lockstep lint: no files given\nTry 'lockstep lint --help'.\n");
  const std::string f = Write("m.sql", "ALTER TABLE t FORCE;");
  EXPECT_EQ(Run({"--format", "xml", f}), kExitUsage);
  EXPECT_NE(err_.str().find("unknown --format 'xml'"), std::string::npos);
  EXPECT_EQ(Run({(dir_ / "missing.sql").string()}), kExitUsage);
  EXPECT_EQ(err_.str(), "lockstep lint: cannot read " + (dir_ / "missing.sql").string() + "\n");
  EXPECT_EQ(out_.str(), "");  // no partial report
  EXPECT_EQ(Run({f, (dir_ / "missing.sql").string()}), kExitUsage);
  EXPECT_EQ(out_.str(), "");
  EXPECT_EQ(Run({"--schema", (dir_ / "nope.sql").string(), f}), kExitUsage);
  EXPECT_NE(err_.str().find("--schema: cannot read"), std::string::npos);
  const std::string bad = Write("bad_schema.sql", "SET x=1;\nCREATE TABLE t (a INT,);\n");
  EXPECT_EQ(Run({"--schema", bad, f}), kExitUsage);
  EXPECT_EQ(err_.str(), "lockstep lint: --schema " + bad + ":2:23: unexpected ')', expected a column name\n");
  EXPECT_EQ(Run({"--no-such-flag", f}), kExitUsage);
}

TEST_F(LintCommandTest, HelpAndListRules) {
  EXPECT_EQ(Run({"--help"}), kExitOk);
  EXPECT_NE(out_.str().find("Usage: lockstep lint"), std::string::npos);
  EXPECT_NE(out_.str().find("LS401"), std::string::npos);
  EXPECT_NE(out_.str().find("Exit codes: 0"), std::string::npos);
  EXPECT_EQ(Run({"--list-rules"}), kExitOk);
  size_t lines = 0;
  for (char c : out_.str()) lines += c == '\n';
  EXPECT_EQ(lines, lint::AllRules().size());
}

}  // namespace
}  // namespace lockstep::cli
