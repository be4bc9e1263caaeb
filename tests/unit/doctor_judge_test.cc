#include "doctor/doctor.h"

#include <gtest/gtest.h>

namespace lockstep {
namespace {

// A healthy N-DC full mesh, as facts; each test breaks one thing.
class DoctorJudgeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string text;
    for (int k = 1; k <= 3; ++k) {
      text += "[dc.dc" + std::to_string(k) + "]\nhost=127.0.0.1\nuser=root\nport=" +
              std::to_string(3300 + k) + "\n";
    }
    text += "[zone.default]\ntype=sharding\ntables=*.*\n";
    auto t = ParseTopology(text, "mesh.ini");
    ASSERT_TRUE(t.ok()) << t.status().ToString();
    topology_ = *t;
    for (int k = 1; k <= 3; ++k) {
      DcFacts f;
      f.dc = "dc" + std::to_string(k);
      f.version = "10.11.19-MariaDB";
      f.server_id = k;
      f.gtid_domain_id = k;
      f.log_bin = true;
      f.binlog_format = "ROW";
      f.binlog_row_image = "FULL";
      f.log_slave_updates = true;
      f.gtid_ignore_duplicates = true;
      f.auto_increment_increment = 3;
      f.auto_increment_offset = k;
      f.round_trip_us = 200;
      for (int src = 1; src <= 3; ++src) {
        if (src == k) continue;
        LinkFacts l;
        l.connection_name = "dc" + std::to_string(src);
        l.master_host = "127.0.0.1";
        l.master_port = 3300 + src;
        l.master_server_id = src;
        l.io_running = l.sql_running = true;
        l.seconds_behind_master = 0;
        l.wild_ignore_tables = "%.\\_%";
        f.links.push_back(l);
      }
      dcs_.push_back(DcStatus{f.dc, f, ""});
    }
  }

  DcFacts& Facts(int k) { return *dcs_[k - 1].facts; }
  LinkFacts& Link(int to, const std::string& from) {
    for (auto& l : Facts(to).links) {
      if (l.connection_name == from) return l;
    }
    throw std::logic_error("no such link");
  }

  // The one problem the report holds; fails the test when there are more.

  Topology topology_;
  std::vector<DcStatus> dcs_;
};

TEST_F(DoctorJudgeTest, HealthyMeshIsFit) {
  DoctorReport r = Judge(topology_, dcs_);
  EXPECT_TRUE(r.fit());
  EXPECT_TRUE(r.problems.empty());
  EXPECT_EQ(r.links.size(), 6u);
  for (const auto& l : r.links) {
    EXPECT_TRUE(l.present && l.running && l.drops_underscore_tables) << l.from << "->" << l.to;
  }
  ASSERT_TRUE(r.clock_skew_ms.has_value());
  EXPECT_EQ(*r.clock_skew_ms, 0);
}

TEST_F(DoctorJudgeTest, StatementFormatInOneDc) {
  Facts(2).binlog_format = "STATEMENT";
  DoctorReport r = Judge(topology_, dcs_);
  ASSERT_EQ(r.problems.size(), 1u);
  EXPECT_EQ(r.problems[0].scope, "dc2");
  EXPECT_EQ(r.problems[0].check, "binlog_format");
}

TEST_F(DoctorJudgeTest, StoppedLink) {
  Link(3, "dc1").sql_running = false;
  Link(3, "dc1").last_sql_error = "Error 1677";
  DoctorReport r = Judge(topology_, dcs_);
  ASSERT_EQ(r.problems.size(), 1u);
  EXPECT_EQ(r.problems[0].scope, "dc1->dc3");
  EXPECT_EQ(r.problems[0].check, "link_running");
  EXPECT_NE(r.problems[0].message.find("Error 1677"), std::string::npos);
}

TEST_F(DoctorJudgeTest, LinkWithoutUnderscoreFilter) {
  Link(1, "dc2").wild_ignore_tables = "";
  DoctorReport r = Judge(topology_, dcs_);
  ASSERT_EQ(r.problems.size(), 1u);
  EXPECT_EQ(r.problems[0].scope, "dc2->dc1");
  EXPECT_EQ(r.problems[0].check, "link_filter");
}

TEST_F(DoctorJudgeTest, DuplicateAutoIncrementOffset) {
  Facts(3).auto_increment_offset = 1;
  DoctorReport r = Judge(topology_, dcs_);
  ASSERT_EQ(r.problems.size(), 1u);
  EXPECT_EQ(r.problems[0].scope, "dc3");
  EXPECT_EQ(r.problems[0].check, "auto_increment_offset");
  EXPECT_NE(r.problems[0].message.find("dc1"), std::string::npos);
}

TEST_F(DoctorJudgeTest, IncrementSmallerThanDcCount) {
  for (int k = 1; k <= 3; ++k) Facts(k).auto_increment_increment = 2;
  Facts(3).auto_increment_offset = 2;  // keep offsets unique only where possible
  DoctorReport r = Judge(topology_, dcs_);
  int increment_problems = 0;
  for (const auto& p : r.problems) increment_problems += p.check == "auto_increment_increment";
  EXPECT_EQ(increment_problems, 3);
}

TEST_F(DoctorJudgeTest, MissingLink) {
  auto& links = Facts(2).links;
  links.erase(links.begin());  // dc2 no longer receives from dc1
  DoctorReport r = Judge(topology_, dcs_);
  ASSERT_EQ(r.problems.size(), 1u);
  EXPECT_EQ(r.problems[0].scope, "dc1->dc2");
  EXPECT_EQ(r.problems[0].check, "link_present");
}

TEST_F(DoctorJudgeTest, LinksThatCouldNotBeReadAreOneProblemNotMissingLinks) {
  Facts(2).links.clear();
  Facts(2).links_unknown = "SHOW ALL SLAVES STATUS did not answer within 5 s";
  DoctorReport r = Judge(topology_, dcs_);
  ASSERT_EQ(r.problems.size(), 1u);
  EXPECT_EQ(r.problems[0].scope, "dc2");
  EXPECT_EQ(r.problems[0].check, "links_unknown");
  EXPECT_NE(r.problems[0].message.find("did not answer"), std::string::npos);
}

TEST_F(DoctorJudgeTest, UnreachableDc) {
  dcs_[1].facts.reset();
  dcs_[1].error = "connection refused";
  DoctorReport r = Judge(topology_, dcs_);
  ASSERT_EQ(r.problems.size(), 1u);
  EXPECT_EQ(r.problems[0].scope, "dc2");
  EXPECT_EQ(r.problems[0].check, "reachable");
}

TEST_F(DoctorJudgeTest, ClockSkew) {
  Facts(3).clock_offset_us = 2'000'000;
  DoctorReport r = Judge(topology_, dcs_);
  ASSERT_EQ(r.problems.size(), 1u);
  EXPECT_EQ(r.problems[0].check, "clock_skew");
  EXPECT_EQ(*r.clock_skew_ms, 2000);
}

TEST_F(DoctorJudgeTest, LinkIdentifiedByServerIdNotName) {
  // A link named oddly still counts once it has connected to the right server.
  Link(1, "dc2").connection_name = "from-frankfurt";
  EXPECT_TRUE(Judge(topology_, dcs_).fit());
}

TEST_F(DoctorJudgeTest, GlobalOnlyTopologyNeedsOnlyWriterLinks) {
  std::string text;
  for (int k = 1; k <= 3; ++k) {
    text += "[dc.dc" + std::to_string(k) + "]\nhost=127.0.0.1\nuser=root\nport=" +
            std::to_string(3300 + k) + "\n";
  }
  text += "[zone.g]\ntype=global\ntables=*.*\nwriter=dc1\n";
  topology_ = *ParseTopology(text, "g.ini");
  Facts(2).links.erase(Facts(2).links.begin() + 1);  // drop dc3->dc2, keep dc1->dc2
  Facts(3).links.erase(Facts(3).links.begin() + 1);  // drop dc2->dc3, keep dc1->dc3
  Facts(1).links.clear();
  DoctorReport r = Judge(topology_, dcs_);
  EXPECT_TRUE(r.fit()) << (r.problems.empty() ? "" : r.problems[0].message);
  EXPECT_EQ(r.links.size(), 2u);
}

}  // namespace
}  // namespace lockstep
