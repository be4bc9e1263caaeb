// CopyPacer: what a DC's copy needs from the coordinator to stay in step with
// the other DCs' copies, so that every DC is ready to cut over at about the
// same time (coordinator/copy_pacing.h).
#pragma once

#include <cstdint>
#include <string>

#include "executor/copy/throttler.h"

namespace lockstep {

// Thread-safe: every DC's copy calls it.
class CopyPacer {
 public:
  virtual ~CopyPacer() = default;
  // DC `dc` has copied `rows` of about `rows_estimate` (its table's
  // estimate: the DCs hold the same rows, but each estimates its own).
  virtual void Copied(const std::string& dc, int64_t rows, int64_t rows_estimate) = 0;
  // DC `dc` has copied every row.
  virtual void Finished(const std::string& dc) = 0;
  // Asked before each chunk of the copy (and the checksum): wait while `dc`
  // is too far ahead of the slowest DC; stop when the migration stops.
  virtual executor::ThrottleDecision Pace(const std::string& dc) = 0;
};

}  // namespace lockstep
