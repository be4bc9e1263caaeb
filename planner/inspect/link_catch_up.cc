#include "planner/inspect/link_catch_up.h"

#include <chrono>
#include <sstream>

#include "db/sql.h"

namespace lockstep {

std::string GtidOfDomain(const std::string& gtid_list, int64_t domain) {
  std::istringstream in(gtid_list);
  std::string item;
  const std::string prefix = std::to_string(domain) + "-";
  while (std::getline(in, item, ',')) {
    while (!item.empty() && (item.front() == ' ' || item.front() == '\n')) item.erase(0, 1);
    if (item.rfind(prefix, 0) == 0) return item;
  }
  return "";
}

Result<LinkCatchUp> MeasureCatchUp(Connection& dst, const std::string& from,
                                   const std::string& gtid, int64_t limit_ms) {
  LinkCatchUp out{from, gtid, std::nullopt, limit_ms};
  const auto start = std::chrono::steady_clock::now();
  LOCKSTEP_ASSIGN_OR_RETURN(auto waited, dst.QueryValue(sql::MasterGtidWait(gtid, limit_ms)));
  const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
                           std::chrono::steady_clock::now() - start)
                           .count();
  if (waited.value_or("-1") == "0") out.caught_up_ms = elapsed;
  return out;
}

}  // namespace lockstep
