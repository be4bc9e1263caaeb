// lockstep doctor against a real 3-DC sandbox: fit as started, and each
// deliberately broken setting named exactly, with a non-zero exit.
#include <gtest/gtest.h>

#include "doctor/doctor.h"
#include "support/sandbox_suite.h"

namespace lockstep::testing {
namespace {

class DoctorTest : public SandboxSuite<3> {
 protected:

  // Runs a statement on DC k and fails the test when it fails.
  void On(int k, const std::string& stmt) {
    auto c = sandbox_->Connect(k);
    ASSERT_TRUE(c.ok()) << c.status().ToString();
    Status s = (*c)->Execute(stmt);
    ASSERT_TRUE(s.ok()) << s.ToString();
  }

  void WaitLinkRunning(int k, const std::string& link) {
    Status s = sandbox_->WaitLinkRunning(k, link);
    ASSERT_TRUE(s.ok()) << s.ToString();
  }

  DoctorReport Diagnose() {
    MariaDbConnectionFactory factory;
    return lockstep::Diagnose(sandbox_->topology(), factory);
  }

  // Asserts that the doctor reports exactly one problem, with this scope and check,
  // and that the command line says the same and exits 1.
  void ExpectOnlyProblem(const std::string& scope, const std::string& check) {
    DoctorReport r = Diagnose();
    ASSERT_EQ(r.problems.size(), 1u) << [&] {
      std::string all;
      for (const auto& p : r.problems) all += p.scope + ": " + p.message + "\n";
      return all;
    }();
    EXPECT_EQ(r.problems[0].scope, scope);
    EXPECT_EQ(r.problems[0].check, check);
    CommandOutput cli = RunLockstep({"--config", sandbox_->topology_path(), "doctor"});
    EXPECT_EQ(cli.exit_code, 1) << cli.out << cli.err;
    EXPECT_NE(cli.out.find("unfit: 1 problem"), std::string::npos) << cli.out;
    EXPECT_NE(cli.out.find("[" + check + "]"), std::string::npos) << cli.out;
  }

};

TEST_F(DoctorTest, SandboxIsFit) {
  DoctorReport r = Diagnose();
  EXPECT_TRUE(r.fit()) << (r.problems.empty() ? "" : r.problems[0].message);
  EXPECT_EQ(r.links.size(), 6u);
  CommandOutput text = RunLockstep({"--config", sandbox_->topology_path(), "doctor"});
  EXPECT_EQ(text.exit_code, 0) << text.out << text.err;
  EXPECT_NE(text.out.find("fit: every DC and link is ready"), std::string::npos) << text.out;
  CommandOutput json = RunLockstep({"doctor", "--config", sandbox_->topology_path(), "--format", "json"});
  EXPECT_EQ(json.exit_code, 0) << json.err;
  EXPECT_EQ(json.out.rfind("{\"fit\":true,", 0), 0u) << json.out;
  EXPECT_NE(json.out.find("\"problems\":[]"), std::string::npos) << json.out;
}

TEST_F(DoctorTest, StoppedLinkIsNamed) {
  On(2, "STOP SLAVE 'dc1'");
  ExpectOnlyProblem("dc1->dc2", "link_running");
  On(2, "START SLAVE 'dc1'");
  WaitLinkRunning(2, "dc1");
  EXPECT_TRUE(sandbox_->WaitForReplication().ok());
}

TEST_F(DoctorTest, StatementFormatIsNamed) {
  On(3, "SET GLOBAL binlog_format = 'STATEMENT'");
  ExpectOnlyProblem("dc3", "binlog_format");
  On(3, "SET GLOBAL binlog_format = 'ROW'");
}

TEST_F(DoctorTest, LinkWithoutFilterIsNamed) {
  auto c = sandbox_->Connect(1);
  ASSERT_TRUE(c.ok());
  auto old = (*c)->QueryValue("SELECT @@dc2.replicate_wild_ignore_table");
  ASSERT_TRUE(old.ok()) << old.status().ToString();
  On(1, "STOP SLAVE 'dc2'");
  On(1, "SET GLOBAL dc2.replicate_wild_ignore_table = ''");
  On(1, "START SLAVE 'dc2'");
  WaitLinkRunning(1, "dc2");
  ExpectOnlyProblem("dc2->dc1", "link_filter");
  On(1, "STOP SLAVE 'dc2'");
  On(1, "SET GLOBAL dc2.replicate_wild_ignore_table = '" + std::string("%.\\\\_%") + "'");
  On(1, "START SLAVE 'dc2'");
  WaitLinkRunning(1, "dc2");
  EXPECT_TRUE(Diagnose().fit());
}

TEST_F(DoctorTest, DuplicateAutoIncrementOffsetIsNamed) {
  On(3, "SET GLOBAL auto_increment_offset = 1");
  ExpectOnlyProblem("dc3", "auto_increment_offset");
  On(3, "SET GLOBAL auto_increment_offset = 3");
}

TEST_F(DoctorTest, UnreachableDcIsNamed) {
  // A topology whose dc2 points at a port nobody listens on.
  Topology t = sandbox_->topology();
  t.dcs[1].port = static_cast<unsigned>(LOCKSTEP_TEST_BASE_PORT + 19);
  MariaDbConnectionFactory factory;
  DoctorReport r = lockstep::Diagnose(t, factory);
  ASSERT_FALSE(r.fit());
  EXPECT_EQ(r.problems[0].scope, "dc2");
  EXPECT_EQ(r.problems[0].check, "reachable");
}

TEST_F(DoctorTest, EverythingRestoredIsFitAgain) {
  DoctorReport r = Diagnose();
  EXPECT_TRUE(r.fit()) << (r.problems.empty() ? "" : r.problems[0].message);
}

}  // namespace
}  // namespace lockstep::testing
