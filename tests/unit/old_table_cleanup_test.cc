// When a migration's old table may go: its cut-over time plus its zone's
// retention; never before it cut over.
#include <gtest/gtest.h>

#include "executor/migration/old_table_cleanup.h"
#include "state/state_store.h"
#include "state_test_support.h"

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

class OldTableHoldTest : public StateDirTest {};

// A rename whose binlog showed writes stranded in _t_old holds the old table
// until an operator says they are reconciled; a later unverified rename
// holds it again.
TEST_F(OldTableHoldTest, AnUnverifiedRenameHoldsTheOldTableUntilReconciled) {
  auto store = StateStore::Open(path_);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  auto id = (*store)->CreateMigration(MinimalMigrationSpec());
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  EXPECT_TRUE(CheckOldTablesReleased(**store, *id).ok());
  ASSERT_TRUE((*store)->AppendEvent({*id, "lockstep", kRenameUnverifiedEvent, "dc1", "2 transactions", ""}).ok());
  Status held = CheckOldTablesReleased(**store, *id);
  EXPECT_EQ(held.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(held.message().find("in dc1"), std::string::npos) << held.ToString();
  EXPECT_NE(held.message().find("--reconciled"), std::string::npos) << held.ToString();
  ASSERT_TRUE((*store)->AppendEvent({*id, "dba", kRenameReconciledEvent, std::nullopt, "done", "checked"}).ok());
  EXPECT_TRUE(CheckOldTablesReleased(**store, *id).ok());
  ASSERT_TRUE((*store)->AppendEvent({*id, "lockstep", kRenameUnverifiedEvent, "dc2", "1 transaction", ""}).ok());
  EXPECT_FALSE(CheckOldTablesReleased(**store, *id).ok());
  // Another migration's events do not hold this one.
  auto other = (*store)->CreateMigration([] {
    MigrationSpec spec = MinimalMigrationSpec();
    spec.table_name = "items";
    return spec;
  }());
  ASSERT_TRUE(other.ok()) << other.status().ToString();
  EXPECT_TRUE(CheckOldTablesReleased(**store, *other).ok());
}

}  // namespace
}  // namespace lockstep
