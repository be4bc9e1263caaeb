// The cut-over report as stored with an attempt and logged: per-DC timings,
// what the binlog witness found, the skew between the renames.
#include "executor/cutover/cutover_report_json.h"

#include <gtest/gtest.h>

namespace lockstep::executor {
namespace {

DcCutoverResult Dc(const std::string& name, CutoverState state, int64_t renamed_at) {
  DcCutoverResult d;
  d.dc = name;
  d.state = state;
  d.report.gtid_binlog_pos = "1-1-42";
  d.report.timings = {.lock_wait_ms = 2, .drain_ms = 30, .prepare_ms = 40, .rename_queue_ms = 5,
                      .rename_ms = 3, .witness_ms = 4, .renamed_at_ms = renamed_at,
                      .writes_blocked_ms = 50};
  if (state == CutoverState::kCommitted) d.report.writes_before_rename = WritesBeforeRename{};
  return d;
}

TEST(CutoverReportTest, JsonHasEveryDcAndTheRenameSkew) {
  EXPECT_EQ(CutoverReportJson({Dc("dc1", CutoverState::kCommitted, 1000),
                               Dc("dc2", CutoverState::kCommitted, 1180)}),
            "{\"dcs\":[{\"dc\":\"dc1\",\"outcome\":\"committed\",\"lock_wait_ms\":2,\"drain_ms\":30,"
            "\"ready_after_ms\":40,\"rename_queue_ms\":5,\"rename_ms\":3,\"writes_blocked_ms\":50,"
            "\"witness_ms\":4,\"binlog_pos_at_lock\":\"1-1-42\",\"writes_before_rename\":[]},"
            "{\"dc\":\"dc2\",\"outcome\":\"committed\",\"lock_wait_ms\":2,\"drain_ms\":30,"
            "\"ready_after_ms\":40,\"rename_queue_ms\":5,\"rename_ms\":3,\"writes_blocked_ms\":50,"
            "\"witness_ms\":4,\"binlog_pos_at_lock\":\"1-1-42\",\"writes_before_rename\":[]}],"
            "\"rename_skew_ms\":180}");
  // Nothing renamed: no skew.
  EXPECT_EQ(CutoverReportJson({Dc("dc1", CutoverState::kAborted, 0)}).find("rename_skew_ms"),
            std::string::npos);
}

TEST(CutoverReportTest, OneLinePerDc) {
  DcCutoverResult slipped = Dc("dc1", CutoverState::kCommitted, 1000);
  slipped.report.writes_before_rename->gtids = {"1-1-43", "1-1-44"};
  EXPECT_EQ(CutoverReportLine(slipped),
            "dc1: committed; lock 2 ms, drain 30 ms, ready after 40 ms, rename queued in 5 ms, "
            "renamed in 3 ms, writes blocked 50 ms, 2 transaction(s) before the RENAME");
  EXPECT_EQ(CutoverReportLine(Dc("dc2", CutoverState::kAborted, 0)),
            "dc2: aborted; lock 2 ms, drain 30 ms, ready after 40 ms, rename queued in 5 ms, "
            "renamed in 3 ms, writes blocked 50 ms");
}

}  // namespace
}  // namespace lockstep::executor
