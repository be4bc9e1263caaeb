// RenameWitness: proof from the DC's binlog that a cut-over's RENAME lost
// nothing. Every write to t between the position read under the lock and
// the RENAME went into the old table, now `_t_old`, and is missing from the
// new t. No MariaDB without performance_schema shows which lock a waiting
// RENAME waits for, so the binlog is the witness that cannot be wrong: the
// row events of t are ordered against the RENAME exactly as they committed.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"
#include "config/topology.h"

namespace lockstep::executor {

struct WritesBeforeRename {
  std::vector<std::string> gtids;  // transactions that changed t, in binlog order
  int64_t rows = 0;                // their row changes of t (a statement-format write adds none)
};

class RenameWitness {
 public:
  virtual ~RenameWitness() = default;
  // Reads from `lock_position` (a @@gtid_binlog_pos read while t was
  // write-locked) up to the event group of `rename_statement` and returns
  // what changed `schema`.`table` in between. Timeout if the RENAME is not
  // found within `timeout_ms`.
  [[nodiscard]] virtual Result<WritesBeforeRename> WritesBetween(const std::string& lock_position,
                                                                 const std::string& rename_statement,
                                                                 int64_t timeout_ms) = 0;
};

// The witness over a binlog dump of the DC.
class BinlogRenameWitness final : public RenameWitness {
 public:
  // `server_id` must differ from every server's and from the applier's.
  BinlogRenameWitness(DcConfig dc, std::string password, uint32_t server_id, std::string schema,
                      std::string table);
  Result<WritesBeforeRename> WritesBetween(const std::string& lock_position,
                                           const std::string& rename_statement,
                                           int64_t timeout_ms) override;

 private:
  DcConfig dc_;
  std::string password_;  // never logged
  uint32_t server_id_;
  std::string schema_;
  std::string table_;
};

}  // namespace lockstep::executor
