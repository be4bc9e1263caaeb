// ApplierDrain: the cut-over's hook into the change applier.
#pragma once

#include <cstdint>
#include <string>

#include "common/status.h"

namespace lockstep::executor {

class ApplierDrain {
 public:
  virtual ~ApplierDrain() = default;
  // Returns once the applier has applied to `_t_new` every event up to and
  // including `gtid_binlog_pos` (this DC's @@gtid_binlog_pos, read while t is
  // write-locked, so nothing for t follows it), or an error (Timeout) when it
  // cannot within `timeout_ms`. It must leave no transaction open on `_t_new`:
  // the RENAME needs that table next.
  [[nodiscard]] virtual Status DrainApplierTo(const std::string& gtid_binlog_pos, int64_t timeout_ms) = 0;
};

}  // namespace lockstep::executor
