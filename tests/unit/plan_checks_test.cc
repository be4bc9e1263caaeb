// Each plan check failing for its own reason, on synthetic facts.
#include <gtest/gtest.h>

#include "planner/checks/check.h"
#include "planner/plan/planner.h"

namespace lockstep {
namespace {

class PlanChecksTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string text;
    for (int k = 1; k <= 3; ++k) {
      text += "[dc.dc" + std::to_string(k) + "]\nhost=127.0.0.1\nuser=root\nport=" +
              std::to_string(3300 + k) + "\n";
    }
    text += "[zone.shop]\ntype=sharding\ntables=shop.*\n"
            "[zone.cfg]\ntype=global\ntables=cfg.*\nwriter=dc2\n"
            "[budget.sharding]\nmin_free_bytes=1000\nspace_headroom_pct=50\n"
            "max_trx_age_ms=5000\nlag_start_ms=1000\ncutover_window_ms=3000\n";
    topology_ = *ParseTopology(text, "t.ini");
    plan_.schema = "shop";
    plan_.table = "orders";
    plan_.strategy = Strategy::kCopy;
    plan_.cutover_mode = CutoverMode::kWindow;
    plan_.estimates.disk_bytes = 1000;
    for (const auto& dc : topology_.dcs) {
      DcView v;
      v.config = &dc;
      DcFacts f;
      f.dc = dc.name;
      f.version = "10.11.19-MariaDB";
      f.server_id = dc.port;
      f.log_bin = f.log_slave_updates = f.gtid_ignore_duplicates = true;
      f.binlog_format = "ROW";
      f.binlog_row_image = "FULL";
      f.auto_increment_increment = 3;
      f.auto_increment_offset = dc.port - 3300;
      f.round_trip_us = 300;
      LinkFacts l;
      l.connection_name = "other";
      l.io_running = l.sql_running = true;
      l.seconds_behind_master = 0;
      f.links.push_back(l);
      v.server = f;
      TableFacts t;
      t.exists = true;
      t.engine = "InnoDB";
      t.create_sql = "CREATE TABLE `orders` (\n  `id` int(11) NOT NULL,\n  PRIMARY KEY (`id`)\n"
                     ") ENGINE=InnoDB AUTO_INCREMENT=" + std::to_string(dc.port) + " DEFAULT CHARSET=utf8mb4";
      t.disk.free_bytes = 1'000'000;
      t.disk.source = "test";
      v.table = t;
      dcs_.push_back(v);
    }
  }

  std::vector<CheckResult> Run(CheckFn fn) {
    const ZoneConfig* zone = topology_.ZoneOf(plan_.schema, plan_.table);
    CheckContext ctx{topology_, zone, topology_.BudgetFor(zone ? zone->type : ZoneType::kSharding),
                     dcs_, plan_};
    std::vector<CheckResult> out;
    fn(ctx, out);
    return out;
  }

  // The results of fn that failed, as "dc:name".
  std::vector<std::string> Failures(CheckFn fn) {
    std::vector<std::string> out;
    for (const auto& r : Run(fn)) {
      if (r.status == CheckStatus::kFail) out.push_back(r.dc + ":" + r.name);
    }
    return out;
  }

  using V = std::vector<std::string>;
  Topology topology_;
  Plan plan_;
  std::vector<DcView> dcs_;
};

TEST_F(PlanChecksTest, HealthyFactsPassEveryCheck) {
  for (const auto& check : AllChecks()) {
    if (std::string(check.name) == "alter_valid" || std::string(check.name) == "usable_key") continue;
    EXPECT_EQ(Failures(check.run), V{}) << check.name;
  }
}

TEST_F(PlanChecksTest, Reachable) {
  dcs_[1].server.reset();
  dcs_[1].error = "connection refused";
  EXPECT_EQ(Failures(CheckReachable), (V{"dc2:reachable"}));
}

TEST_F(PlanChecksTest, ZoneMissing) {
  plan_.schema = "elsewhere";
  EXPECT_EQ(Failures(CheckZone), (V{":zone"}));
}

TEST_F(PlanChecksTest, SchemaDriftInOneDc) {
  dcs_[2].table->create_sql = "CREATE TABLE `orders` (\n  `id` bigint(20) NOT NULL,\n"
                              "  PRIMARY KEY (`id`)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4";
  auto results = Run(CheckSchemaDrift);
  EXPECT_EQ(Failures(CheckSchemaDrift), (V{"dc3:schema_drift"}));
  for (const auto& r : results) {
    if (r.status == CheckStatus::kFail) {
      EXPECT_NE(r.message.find("bigint(20)"), std::string::npos) << r.message;
    }
  }
}

TEST_F(PlanChecksTest, AutoIncrementCounterIsNotDrift) {
  // SetUp gives every DC a different AUTO_INCREMENT=N.
  EXPECT_EQ(Failures(CheckSchemaDrift), V{});
}

TEST_F(PlanChecksTest, SpaceBudget) {
  // need = 1000 * 150% = 1500; keep 1000 free: 2400 free is too little.
  dcs_[0].table->disk.free_bytes = 2400;
  EXPECT_EQ(Failures(CheckSpace), (V{"dc1:space"}));
  dcs_[0].table->disk.free_bytes = 2600;
  EXPECT_EQ(Failures(CheckSpace), V{});
}

TEST_F(PlanChecksTest, UnknownFreeSpaceWarns) {
  dcs_[1].table->disk.free_bytes.reset();
  auto results = Run(CheckSpace);
  ASSERT_EQ(results.size(), 3u);
  EXPECT_EQ(results[1].status, CheckStatus::kWarn);
}

TEST_F(PlanChecksTest, LongTransactionHoldingTheTable) {
  dcs_[1].table->transactions.push_back({42, 9000, "RUNNING", "", true});
  dcs_[2].table->transactions.push_back({43, 9000, "RUNNING", "", false});  // another table
  dcs_[0].table->transactions.push_back({44, 100, "RUNNING", "", true});    // young
  EXPECT_EQ(Failures(CheckLongTransactions), (V{"dc2:long_transactions"}));
}

TEST_F(PlanChecksTest, LongTransactionOfUnknownScopeWarns) {
  dcs_[1].table->transactions.push_back({42, 9000, "RUNNING", "", std::nullopt});
  auto results = Run(CheckLongTransactions);
  EXPECT_EQ(results[1].status, CheckStatus::kWarn);
}

TEST_F(PlanChecksTest, LaggingLink) {
  dcs_[2].catch_up.push_back({"dc1", "1-1-7", std::nullopt, 1000});
  dcs_[1].catch_up.push_back({"dc1", "1-1-7", 20, 1000});
  EXPECT_EQ(Failures(CheckLinkLag), (V{"dc3:link_lag"}));
}

TEST_F(PlanChecksTest, StoppedLinkHasUnknownLagAndFails) {
  dcs_[0].server->links[0].sql_running = false;
  dcs_[0].server->links[0].seconds_behind_master.reset();
  EXPECT_EQ(Failures(CheckLinkLag), (V{"dc1:link_lag"}));
}

TEST_F(PlanChecksTest, LinksThatCouldNotBeReadFail) {
  dcs_[1].server->links.clear();
  dcs_[1].server->links_unknown = "SHOW ALL SLAVES STATUS did not answer within 3 s";
  EXPECT_EQ(Failures(CheckLinkLag), (V{"dc2:link_lag"}));
}

TEST_F(PlanChecksTest, LeftoverArtifacts) {
  dcs_[1].table->leftover_artifacts = {"_orders_new"};
  EXPECT_EQ(Failures(CheckArtifacts), (V{"dc2:artifacts"}));
}

TEST_F(PlanChecksTest, ArtifactNameTooLong) {
  plan_.table = std::string(60, 'x');
  EXPECT_EQ(Failures(CheckArtifacts), (V{":artifacts"}));
}

TEST_F(PlanChecksTest, StatementBinlogFormat) {
  dcs_[0].server->binlog_format = "MIXED";
  EXPECT_EQ(Failures(CheckBinlogSettings), (V{"dc1:binlog"}));
}

TEST_F(PlanChecksTest, DuplicateAutoIncrementOffset) {
  dcs_[2].server->auto_increment_offset = 1;
  EXPECT_EQ(Failures(CheckAutoIncrementOffsets), (V{"dc3:auto_increment"}));
}

TEST_F(PlanChecksTest, TriggersBlockOnlyTheCopy) {
  dcs_[0].table->trigger_count = 1;
  EXPECT_EQ(Failures(CheckTriggersAndForeignKeys), (V{"dc1:triggers_foreign_keys"}));
  plan_.strategy = Strategy::kInstant;
  EXPECT_EQ(Failures(CheckTriggersAndForeignKeys), V{});
}

TEST_F(PlanChecksTest, CutoverWindowWithSlowRoundTrip) {
  dcs_[1].server->round_trip_us = 600'000;  // 600 ms: 6 round trips exceed 3 s
  EXPECT_EQ(Failures(CheckCutoverWindow), (V{"dc2:cutover_window"}));
}

TEST_F(PlanChecksTest, MissingTable) {
  dcs_[0].table->exists = false;
  EXPECT_EQ(Failures(CheckTableExists), (V{"dc1:table_exists"}));
}

TEST(DecideTest, ClassAUsesNativeAndWindow) {
  Plan p;
  p.skew_class = SkewClass::kA;
  DecideStrategyAndMode(nullptr, {}, Strategy::kInplace, "adds key", p);
  EXPECT_EQ(p.strategy, Strategy::kInplace);
  EXPECT_EQ(p.cutover_mode, CutoverMode::kWindow);
  EXPECT_TRUE(p.fenced_dcs.empty());
}

TEST(DecideTest, ClassBFencesEveryDcOfAShardingZone) {
  Plan p;
  p.skew_class = SkewClass::kB;
  ZoneConfig zone;
  zone.type = ZoneType::kSharding;
  std::vector<DcConfig> dcs(3);
  dcs[0].name = "dc1";
  dcs[1].name = "dc2";
  dcs[2].name = "dc3";
  DecideStrategyAndMode(&zone, dcs, Strategy::kInplace, "rebuild", p);
  EXPECT_EQ(p.strategy, Strategy::kCopy);  // not instant: copied and swapped
  EXPECT_EQ(p.cutover_mode, CutoverMode::kFenced);
  EXPECT_EQ(p.fenced_dcs, (std::vector<std::string>{"dc1", "dc2", "dc3"}));
}

TEST(DecideTest, ClassBFencesOnlyTheWriterOfAGlobalZone) {
  Plan p;
  p.skew_class = SkewClass::kB;
  ZoneConfig zone;
  zone.type = ZoneType::kGlobal;
  zone.writer_dc = "dc2";
  std::vector<DcConfig> dcs(3);
  dcs[0].name = "dc1";
  dcs[1].name = "dc2";
  dcs[2].name = "dc3";
  DecideStrategyAndMode(&zone, dcs, Strategy::kInstant, "instant", p);
  EXPECT_EQ(p.strategy, Strategy::kInstant);
  EXPECT_EQ(p.fenced_dcs, (std::vector<std::string>{"dc2"}));
}

}  // namespace
}  // namespace lockstep
