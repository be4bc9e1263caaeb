// When a migration's old table may go: its cut-over time plus its zone's
// retention; never before it cut over.
#include <gtest/gtest.h>

#include "executor/migration/old_table_cleanup.h"

namespace lockstep {
namespace {

TEST(OldTableCleanupTest, DueAtTheCutOverPlusTheZonesRetention) {
  Topology topology;
  ZoneConfig orders, catalog;
  orders.name = "orders";
  orders.type = ZoneType::kSharding;
  catalog.name = "catalog";
  catalog.type = ZoneType::kGlobal;
  topology.zones = {orders, catalog};
  topology.sharding_budget.old_table_retention_s = 3600;
  topology.global_budget.old_table_retention_s = 60;
  MigrationRecord m;
  m.id = 3;
  m.phase = Phase::kCutOver;
  m.phase_entered_at[Phase::kCutOver] = 1'000'000;
  m.spec.zone = "orders";
  auto due = OldTablesDueAtMs(topology, m);
  ASSERT_TRUE(due.ok()) << due.status().ToString();
  EXPECT_EQ(*due, 1'000'000 + 3'600'000);
  m.spec.zone = "catalog";
  EXPECT_EQ(*OldTablesDueAtMs(topology, m), 1'000'000 + 60'000);
}

TEST(OldTableCleanupTest, OnlyAMigrationThatCutOverHasAnOldTable) {
  Topology topology;
  MigrationRecord m;
  m.id = 4;
  for (Phase phase : {Phase::kCopying, Phase::kReady, Phase::kCuttingOver, Phase::kAborted}) {
    m.phase = phase;
    EXPECT_EQ(OldTablesDueAtMs(topology, m).status().code(), StatusCode::kFailedPrecondition)
        << PhaseName(phase);
  }
  m.phase = Phase::kCutOver;
  EXPECT_FALSE(OldTablesDueAtMs(topology, m).ok()) << "no recorded cut-over time";
}

}  // namespace
}  // namespace lockstep
