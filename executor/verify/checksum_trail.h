// ChecksumTrail: checks the part of t the copy has finished while the copy
// goes on, on a thread and a session of its own, so that on an idle server
// the checksum runs on the second core instead of after the copy.
//
// It only works while `may_run` says so (the copy's throttle: the server is
// idle and the copy is going); under load it waits, and the checksum after
// the copy does the rest. Chunks it checked need not be checked again: the
// copy never writes below its watermark, and the applier keeps every range
// current, checked or not, exactly as it does for the checksum after the copy.
#pragma once

#include <atomic>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "common/clock.h"
#include "common/status.h"
#include "db/connection.h"
#include "executor/common/sleeper.h"
#include "executor/verify/chunk_checksum.h"

namespace lockstep::executor {

class ChecksumTrail {
 public:
  struct Outcome {
    Status status;            // a failed trail only means the checksum after the copy does all
    ChecksumVerdict verdict;  // verdict.checked_upto: where the checksum after the copy starts
    std::vector<ChecksumChunkResult> notable;  // chunks that did not match at once
  };

  // `conn` is the trail's own session; `applier` must be safe to call from
  // the trail's thread. All references must outlive the object.
  ChecksumTrail(Connection& conn, const ShadowTableInfo& info, ApplierCatchUp& applier,
                std::function<bool()> may_run, const Clock& clock, Sleeper& sleeper,
                ChunkChecksumConfig config = {});
  ~ChecksumTrail();
  ChecksumTrail(const ChecksumTrail&) = delete;
  ChecksumTrail& operator=(const ChecksumTrail&) = delete;

  // The copy has committed every row up to `watermark` (an encoded key).
  void CopiedUpTo(const std::string& watermark);
  // Stops after the chunk in progress and returns what was checked.
  Outcome Finish();

 private:
  class Gate;
  class Notable;
  void Run();
  std::optional<std::string> Watermark() const;

  Connection& conn_;
  const ShadowTableInfo& info_;
  ApplierCatchUp& applier_;
  std::function<bool()> may_run_;
  const Clock& clock_;
  Sleeper& sleeper_;
  const ChunkChecksumConfig config_;

  mutable std::mutex mu_;
  std::optional<std::string> watermark_;  // guarded by mu_
  std::atomic<bool> finishing_{false};
  Outcome outcome_;  // written by the thread until it is joined
  std::thread thread_;
};

}  // namespace lockstep::executor
