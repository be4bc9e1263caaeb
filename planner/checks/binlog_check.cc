#include "planner/checks/check.h"

namespace lockstep {

// The applier reads each DC's own binlog: it must be on, in full row images,
// and hold the rows other DCs send (log_slave_updates).
void CheckBinlogSettings(const CheckContext& ctx, std::vector<CheckResult>& out) {
  for (const auto& dc : ctx.dcs) {
    if (!dc.inspected()) continue;
    const DcFacts& f = *dc.server;
    std::string wrong;
    if (!f.log_bin) wrong += " log_bin=OFF";
    if (f.binlog_format != "ROW") wrong += " binlog_format=" + f.binlog_format;
    if (f.binlog_row_image != "FULL") wrong += " binlog_row_image=" + f.binlog_row_image;
    if (!f.log_slave_updates) wrong += " log_slave_updates=OFF";
    if (wrong.empty()) {
      out.push_back(Pass("binlog", dc.name(), "ROW/FULL", "ROW/FULL", "row binlog with full images"));
    } else {
      out.push_back(Fail("binlog", dc.name(), wrong.substr(1),
                         "log_bin=ON binlog_format=ROW binlog_row_image=FULL log_slave_updates=ON",
                         "binlog settings unfit for lockstep:" + wrong));
    }
  }
}

}  // namespace lockstep
