// A MariaDB GTID position: the last GTID per replication domain, as in
// @@gtid_binlog_pos and @slave_connect_state ("1-1-10,2-2-7").
//
// The BinlogStream's position moves only when an event group has completed
// (its XID or COMMIT was read), so a checkpoint that records it never skips a
// change that was not yet handed out in full.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "executor/binlog/binlog_event.h"

namespace lockstep::binlog {

class GtidPosition {
 public:
  GtidPosition() = default;

  // "" is the empty position (the start of the oldest binlog). Whitespace
  // around items is allowed; two GTIDs of one domain are an error.
  static Result<GtidPosition> Parse(std::string_view text);

  // Records `gtid` as the last one of its domain.
  void Advance(const Gtid& gtid);

  std::optional<Gtid> Find(uint32_t domain_id) const;
  // The last GTID of every domain, by domain (any id up to 2^32-1).
  std::vector<Gtid> Gtids() const;
  // Transactions here beyond `from`, summed over every domain: how far a
  // reader at `from` is behind a binlog at this position.
  int64_t CountAhead(const GtidPosition& from) const;
  bool empty() const { return by_domain_.empty(); }
  // Whether every domain of `other` is here, at least to its sequence number.
  bool Covers(const GtidPosition& other) const;
  // The highest sequence number of each domain in `gtids` (a GTID list event
  // names one GTID per domain and server).
  static GtidPosition Highest(const std::vector<Gtid>& gtids);

  // Sorted by domain: "1-1-10,2-2-7"; "" when empty.
  std::string ToString() const;

  bool operator==(const GtidPosition&) const = default;

 private:
  std::map<uint32_t, Gtid> by_domain_;
};

}  // namespace lockstep::binlog
