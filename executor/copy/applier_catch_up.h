// ApplierCatchUp: how the copy and the checksum wait for the change applier,
// implemented by the migration over its ApplierLoop.
#pragma once

#include "common/status.h"

namespace lockstep::executor {

class ApplierCatchUp {
 public:
  virtual ~ApplierCatchUp() = default;
  // Returns once the applier has applied everything this DC's binlog held
  // when the call was made (it ends the applier's netting window early).
  [[nodiscard]] virtual Status WaitForApplierCaughtUp() = 0;
};

}  // namespace lockstep::executor
