// FirstGtidNotHeld: which domain of a checkpoint the oldest binlog no longer
// reaches back to, for every domain id.
#include "executor/migration/binlog_retention.h"

#include <gtest/gtest.h>

namespace lockstep {
namespace {

using binlog::Gtid;
using binlog::GtidPosition;

TEST(BinlogRetentionTest, EveryDomainOfTheOldestBinlogMustBeReached) {
  const GtidPosition oldest = *GtidPosition::Parse("1-1-100,2048-2-50");
  EXPECT_FALSE(FirstGtidNotHeld(oldest, *GtidPosition::Parse("1-1-100,2048-2-50")).has_value());
  EXPECT_FALSE(FirstGtidNotHeld(oldest, *GtidPosition::Parse("1-1-120,2048-2-70")).has_value());
  // Domain 2048 purged past the checkpoint: once ignored above domain 1023.
  EXPECT_EQ(FirstGtidNotHeld(oldest, *GtidPosition::Parse("1-1-120,2048-2-49")), (Gtid{2048, 2, 50}));
  // A domain the checkpoint never saw, whose start is already purged.
  EXPECT_EQ(FirstGtidNotHeld(oldest, *GtidPosition::Parse("1-1-120")), (Gtid{2048, 2, 50}));
  EXPECT_EQ(FirstGtidNotHeld(oldest, *GtidPosition::Parse("1-1-99,2048-2-60")), (Gtid{1, 1, 100}));
}

}  // namespace
}  // namespace lockstep
