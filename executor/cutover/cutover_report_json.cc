#include "executor/cutover/cutover_report_json.h"

#include <algorithm>
#include <limits>
#include <sstream>

#include "planner/report/json_writer.h"

namespace lockstep::executor {

std::string CutoverReportJson(const std::vector<DcCutoverResult>& dcs) {
  std::ostringstream out;
  report::JsonWriter w(out);
  w.BeginObject().Key("dcs").BeginArray();
  int64_t first = std::numeric_limits<int64_t>::max(), last = 0;
  for (const DcCutoverResult& d : dcs) {
    const CutoverTimings& t = d.report.timings;
    w.BeginObject()
        .Field("dc", d.dc)
        .Field("outcome", CutoverStateName(d.state))
        .Field("lock_wait_ms", t.lock_wait_ms)
        .Field("drain_ms", t.drain_ms)
        .Field("ready_after_ms", t.prepare_ms)
        .Field("rename_queue_ms", t.rename_queue_ms)
        .Field("rename_ms", t.rename_ms)
        .Field("writes_blocked_ms", t.writes_blocked_ms)
        .Field("witness_ms", t.witness_ms)
        .Field("binlog_pos_at_lock", d.report.gtid_binlog_pos);
    if (d.report.writes_before_rename) {
      w.Key("writes_before_rename").StringArray(d.report.writes_before_rename->gtids);
    }
    w.EndObject();
    if (t.renamed_at_ms > 0) {
      first = std::min(first, t.renamed_at_ms);
      last = std::max(last, t.renamed_at_ms);
    }
  }
  w.EndArray();
  if (last > 0) w.Field("rename_skew_ms", last - first);
  w.EndObject();
  return out.str();
}

std::string CutoverReportLine(const DcCutoverResult& d) {
  const CutoverTimings& t = d.report.timings;
  std::string line = d.dc + ": " + CutoverStateName(d.state) + "; lock " + std::to_string(t.lock_wait_ms) +
                     " ms, drain " + std::to_string(t.drain_ms) + " ms, ready after " +
                     std::to_string(t.prepare_ms) + " ms";
  if (t.rename_ms > 0 || d.state == CutoverState::kCommitted) {
    line += ", rename queued in " + std::to_string(t.rename_queue_ms) + " ms, renamed in " +
            std::to_string(t.rename_ms) + " ms";
  }
  line += ", writes blocked " + std::to_string(t.writes_blocked_ms) + " ms";
  if (d.report.writes_before_rename) {
    line += d.report.writes_before_rename->gtids.empty()
                ? ", binlog clean to the RENAME"
                : ", " + std::to_string(d.report.writes_before_rename->gtids.size()) +
                      " transaction(s) before the RENAME";
  }
  return line;
}

}  // namespace lockstep::executor
