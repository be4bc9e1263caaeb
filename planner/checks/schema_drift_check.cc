#include <sstream>

#include "planner/checks/check.h"

namespace lockstep {
namespace {

// The definition without AUTO_INCREMENT=N: each DC's counter legitimately
// differs (offsets and increments interleave them).
std::string Normalize(const std::string& create_sql) {
  std::string out = create_sql;
  const std::string key = " AUTO_INCREMENT=";
  const size_t last_line = out.rfind('\n');
  size_t at = out.find(key, last_line == std::string::npos ? 0 : last_line);
  if (at != std::string::npos) {
    size_t end = at + key.size();
    while (end < out.size() && out[end] >= '0' && out[end] <= '9') ++end;
    out.erase(at, end - at);
  }
  return out;
}

std::string FirstDifferentLine(const std::string& a, const std::string& b) {
  std::istringstream ia(a), ib(b);
  std::string la, lb;
  while (true) {
    const bool ha = static_cast<bool>(std::getline(ia, la));
    const bool hb = static_cast<bool>(std::getline(ib, lb));
    if (!ha && !hb) return "";
    if (!ha) la = "(nothing)";
    if (!hb) lb = "(nothing)";
    if (la != lb) return "'" + la + "' vs '" + lb + "'";
  }
}

}  // namespace

// DCs must start from the same schema: the change is computed once and
// applied everywhere, and row events only cross between equal schemas.
void CheckSchemaDrift(const CheckContext& ctx, std::vector<CheckResult>& out) {
  const DcView* reference = nullptr;
  for (const auto& dc : ctx.dcs) {
    if (!dc.inspected() || !dc.table->exists) continue;
    if (reference == nullptr) {
      reference = &dc;
      continue;
    }
    const std::string diff =
        FirstDifferentLine(Normalize(reference->table->create_sql), Normalize(dc.table->create_sql));
    if (diff.empty()) {
      out.push_back(Pass("schema_drift", dc.name(), "identical", reference->name(),
                         "same definition as " + reference->name()));
    } else {
      out.push_back(Fail("schema_drift", dc.name(), "differs", reference->name(),
                         "the table's definition differs from " + reference->name() + "'s: " +
                             diff + "; make the DCs agree before changing it"));
    }
  }
}

}  // namespace lockstep
