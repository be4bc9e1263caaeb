#include <map>

#include "planner/checks/check.h"

namespace lockstep {

// DCs that could generate the same auto-increment key would collide when the
// copy and the applier meet rows from other DCs.
void CheckAutoIncrementOffsets(const CheckContext& ctx, std::vector<CheckResult>& out) {
  std::map<int64_t, std::string> offsets;
  const int64_t dcs = static_cast<int64_t>(ctx.dcs.size());
  for (const auto& dc : ctx.dcs) {
    if (!dc.inspected()) continue;
    const DcFacts& f = *dc.server;
    const std::string value = std::to_string(f.auto_increment_offset) + "/" +
                              std::to_string(f.auto_increment_increment);
    auto [it, unique] = offsets.emplace(f.auto_increment_offset, dc.name());
    if (!unique) {
      out.push_back(Fail("auto_increment", dc.name(), value, "distinct offsets",
                         "auto_increment_offset is also used by " + it->second));
    } else if (f.auto_increment_increment < dcs) {
      out.push_back(Fail("auto_increment", dc.name(), value,
                         "increment >= " + std::to_string(dcs),
                         "auto_increment_increment is smaller than the number of DCs"));
    } else {
      out.push_back(Pass("auto_increment", dc.name(), value, "distinct offsets",
                         "offset/increment keep keys apart"));
    }
  }
}

}  // namespace lockstep
