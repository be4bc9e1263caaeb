#include "config/topology.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>

#include <gtest/gtest.h>

namespace lockstep {
namespace {

constexpr const char* kGood = R"(
[lockstep]
state_db = state.db

[dc.dc1]
host = 10.0.0.1
port = 3306
user = lockstep
password_env = LOCKSTEP_TEST_PW

[dc.dc2]
host = 10.0.0.2
user = lockstep
tls_mode = disabled

; a comment in INI style
# and one in Boost style
[zone.orders]
type = sharding
tables = shop.orders, shop.order_*

[zone.config]
type = global
tables = shop.settings
writer = dc2

[budget.global]
cutover_window_ms = 1500
lag_start_ms = 200
old_table_retention_s = 3600
max_copy_lead_pct = 25
)";

TEST(TopologyTest, ParsesAGoodFile) {
  auto t = ParseTopology(kGood, "t.ini", "/etc/lockstep");
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  ASSERT_EQ(t->dcs.size(), 2u);
  EXPECT_EQ(t->dcs[0].name, "dc1");
  EXPECT_EQ(t->dcs[0].host, "10.0.0.1");
  EXPECT_EQ(t->dcs[0].password_env, "LOCKSTEP_TEST_PW");
  EXPECT_EQ(t->dcs[1].port, 3306u);
  EXPECT_EQ(t->dcs[1].tls_mode, TlsMode::kDisabled);
  EXPECT_EQ(t->state_db_path, "/etc/lockstep/state.db");
  ASSERT_EQ(t->zones.size(), 2u);
  EXPECT_EQ(t->zones[1].type, ZoneType::kGlobal);
  EXPECT_EQ(t->zones[1].writer_dc, "dc2");
  EXPECT_EQ(t->global_budget.cutover_window_ms, 1500);
  EXPECT_EQ(t->global_budget.lag_start_ms, 200);
  EXPECT_EQ(t->sharding_budget.cutover_window_ms, Budget{}.cutover_window_ms);
  EXPECT_EQ(t->global_budget.old_table_retention_s, 3600);
  EXPECT_EQ(t->sharding_budget.old_table_retention_s, 86400) << "a day unless configured";
  EXPECT_EQ(t->global_budget.max_copy_lead_pct, 25);
  EXPECT_EQ(t->sharding_budget.max_copy_lead_pct, 10);
}

TEST(TopologyTest, FindsTheZoneOfATable) {
  auto t = ParseTopology(kGood, "t.ini");
  ASSERT_TRUE(t.ok());
  ASSERT_NE(t->ZoneOf("shop", "order_items"), nullptr);
  EXPECT_EQ(t->ZoneOf("shop", "order_items")->name, "orders");
  EXPECT_EQ(t->ZoneOf("shop", "settings")->name, "config");
  EXPECT_EQ(t->ZoneOf("shop", "users"), nullptr);
  EXPECT_EQ(t->ZoneOf("other", "orders"), nullptr);
}

TEST(TopologyTest, WildcardMatch) {
  EXPECT_TRUE(WildcardMatch("*", ""));
  EXPECT_TRUE(WildcardMatch("order_*", "order_items"));
  EXPECT_TRUE(WildcardMatch("t?", "t1"));
  EXPECT_FALSE(WildcardMatch("t?", "t12"));
  EXPECT_TRUE(WildcardMatch("*a*b", "xxaxxb"));
  EXPECT_FALSE(WildcardMatch("*a*b", "xxaxxbc"));
  EXPECT_FALSE(WildcardMatch("Orders", "orders"));
}

// Each bad config gives exactly one clear error naming the file and the key.
struct BadCase {
  const char* name;
  const char* text;
  const char* expected_fragment;
};

// gtest prints parameters byte by byte unless told how.
void PrintTo(const BadCase& c, std::ostream* os) { *os << c.name; }

class BadTopologyTest : public ::testing::TestWithParam<BadCase> {};

TEST_P(BadTopologyTest, GivesOneClearError) {
  const BadCase& c = GetParam();
  auto t = ParseTopology(c.text, "bad.ini");
  ASSERT_FALSE(t.ok()) << c.name;
  EXPECT_TRUE(t.status().IsInvalidArgument());
  const std::string msg = t.status().ToString();
  EXPECT_NE(msg.find("bad.ini"), std::string::npos) << msg;
  EXPECT_NE(msg.find(c.expected_fragment), std::string::npos) << msg;
  EXPECT_EQ(msg.find('\n'), std::string::npos) << "one line: " << msg;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, BadTopologyTest,
    ::testing::Values(
        BadCase{"no_dc", "[zone.z]\ntype=sharding\ntables=*.*\n", "no DC defined"},
        BadCase{"duplicate_dc", "[dc.dc1]\nhost=a\nuser=u\n[dc.dc1]\nport=1\n",
                "DC 'dc1' is defined twice"},
        BadCase{"unknown_zone_type", "[dc.dc1]\nhost=a\nuser=u\n[zone.z]\ntype=mirror\ntables=*.*\n",
                "[zone.z] type: unknown zone type 'mirror'"},
        BadCase{"global_writer_not_a_dc",
                "[dc.dc1]\nhost=a\nuser=u\n[zone.z]\ntype=global\ntables=*.*\nwriter=dc9\n",
                "writer: 'dc9' is not a DC"},
        BadCase{"global_without_writer",
                "[dc.dc1]\nhost=a\nuser=u\n[zone.z]\ntype=global\ntables=*.*\n",
                "[zone.z] writer: missing"},
        BadCase{"negative_budget", "[dc.dc1]\nhost=a\nuser=u\n[budget.sharding]\nlag_start_ms=-5\n",
                "[budget.sharding] lag_start_ms: expected an integer from 0"},
        BadCase{"copy_lead_over_100", "[dc.dc1]\nhost=a\nuser=u\n[budget.sharding]\nmax_copy_lead_pct=150\n",
                "[budget.sharding] max_copy_lead_pct: expected an integer from 0"},
        BadCase{"non_numeric_budget",
                "[dc.dc1]\nhost=a\nuser=u\n[budget.global]\ncutover_window_ms=fast\n",
                "cutover_window_ms: expected an integer, got 'fast'"},
        BadCase{"inline_password", "[dc.dc1]\nhost=a\nuser=u\npassword=hunter2\n",
                "[dc.dc1] password: inline passwords are not accepted"},
        BadCase{"bad_port", "[dc.dc1]\nhost=a\nuser=u\nport=70000\n", "[dc.dc1] port"},
        BadCase{"unknown_key", "[dc.dc1]\nhost=a\nuser=u\nprot=3306\n", "[dc.dc1] prot: unknown key"},
        BadCase{"unknown_section", "[dc.dc1]\nhost=a\nuser=u\n[zones]\nx=1\n",
                "unknown section [zones]"},
        BadCase{"missing_host", "[dc.dc1]\nuser=u\n", "[dc.dc1] host: missing"},
        BadCase{"same_endpoint_twice", "[dc.dc1]\nhost=a\nuser=u\n[dc.dc2]\nhost=a\nuser=u\n",
                "both point to a:3306"},
        BadCase{"bad_tls_mode", "[dc.dc1]\nhost=a\nuser=u\ntls_mode=maybe\n", "[dc.dc1] tls_mode"},
        BadCase{"writer_on_sharding",
                "[dc.dc1]\nhost=a\nuser=u\n[zone.z]\ntype=sharding\ntables=*.*\nwriter=dc1\n",
                "only a global zone has a writer"},
        BadCase{"bad_pattern", "[dc.dc1]\nhost=a\nuser=u\n[zone.z]\ntype=sharding\ntables=orders\n",
                "not of the form schema.table"},
        BadCase{"garbage_line", "[dc.dc1]\nhost=a\nuser=u\nthis is not ini\n", "bad.ini"}),
    [](const ::testing::TestParamInfo<BadCase>& info) { return info.param.name; });

class PasswordFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/lockstep-pw-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    path_ = dir_ + "/pw";
    std::ofstream(path_) << "s3cret\n";
  }
  void TearDown() override {
    ::unlink(path_.c_str());
    ::rmdir(dir_.c_str());
  }
  std::string dir_, path_;
};

TEST_F(PasswordFileTest, ReadsA0600File) {
  ASSERT_EQ(::chmod(path_.c_str(), 0600), 0);
  DcConfig dc;
  dc.name = "dc1";
  dc.password_file = path_;
  auto pw = ResolvePassword(dc);
  ASSERT_TRUE(pw.ok()) << pw.status().ToString();
  EXPECT_EQ(*pw, "s3cret");
}

TEST_F(PasswordFileTest, RefusesAGroupReadableFile) {
  ASSERT_EQ(::chmod(path_.c_str(), 0640), 0);
  DcConfig dc;
  dc.name = "dc1";
  dc.password_file = path_;
  auto pw = ResolvePassword(dc);
  ASSERT_FALSE(pw.ok());
  EXPECT_NE(pw.status().ToString().find("chmod 600"), std::string::npos);
}

TEST(PasswordEnvTest, ReadsTheVariableAndFailsWhenUnset) {
  DcConfig dc;
  dc.name = "dc1";
  dc.password_env = "LOCKSTEP_TEST_PW_VAR";
  ::unsetenv("LOCKSTEP_TEST_PW_VAR");
  EXPECT_FALSE(ResolvePassword(dc).ok());
  ::setenv("LOCKSTEP_TEST_PW_VAR", "pw", 1);
  auto pw = ResolvePassword(dc);
  ASSERT_TRUE(pw.ok());
  EXPECT_EQ(*pw, "pw");
  ::unsetenv("LOCKSTEP_TEST_PW_VAR");
}

TEST(TopologyFileTest, MissingFileIsAClearError) {
  auto t = LoadTopology("/nonexistent/lockstep.ini");
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.status().ToString().find("/nonexistent/lockstep.ini"), std::string::npos);
}

}  // namespace
}  // namespace lockstep
