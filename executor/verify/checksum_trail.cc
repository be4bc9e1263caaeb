#include "executor/verify/checksum_trail.h"

namespace lockstep::executor {

// The trail's throttler: stop once the copy is done, otherwise go only while
// the copy's own throttle lets the copy go on an idle server.
class ChecksumTrail::Gate final : public Throttler {
 public:
  Gate(const std::atomic<bool>& finishing, const std::function<bool()>& may_run)
      : finishing_(finishing), may_run_(may_run) {}
  Result<ThrottleDecision> Check() override {
    if (finishing_) return ThrottleDecision::Stop("the copy is done");
    if (!may_run_()) return ThrottleDecision::Wait(100, "the server is busy or the copy waits");
    return ThrottleDecision::Proceed();
  }

 private:
  const std::atomic<bool>& finishing_;
  const std::function<bool()>& may_run_;
};

// Keeps the chunks that did not match at once, for the record the main
// thread writes (the state database is not the trail thread's).
class ChecksumTrail::Notable final : public ChecksumObserver {
 public:
  explicit Notable(std::vector<ChecksumChunkResult>& out) : out_(out) {}
  Status ChunkChecked(const ChecksumChunkResult& result) override {
    if (result.outcome != ChecksumChunkResult::Outcome::kMatch) out_.push_back(result);
    return Status::Ok();
  }

 private:
  std::vector<ChecksumChunkResult>& out_;
};

ChecksumTrail::ChecksumTrail(Connection& conn, const ShadowTableInfo& info, ApplierCatchUp& applier,
                             std::function<bool()> may_run, const Clock& clock, Sleeper& sleeper,
                             ChunkChecksumConfig config)
    : conn_(conn),
      info_(info),
      applier_(applier),
      may_run_(std::move(may_run)),
      clock_(clock),
      sleeper_(sleeper),
      config_(config) {
  thread_ = std::thread([this] { Run(); });
}

ChecksumTrail::~ChecksumTrail() { (void)Finish(); }

void ChecksumTrail::CopiedUpTo(const std::string& watermark) {
  std::lock_guard lock(mu_);
  watermark_ = watermark;
}

std::optional<std::string> ChecksumTrail::Watermark() const {
  std::lock_guard lock(mu_);
  return watermark_;
}

ChecksumTrail::Outcome ChecksumTrail::Finish() {
  finishing_ = true;
  if (thread_.joinable()) thread_.join();
  return outcome_;
}

void ChecksumTrail::Run() {
  Gate gate(finishing_, may_run_);
  Notable notable(outcome_.notable);
  ChunkChecksum checksum(conn_, info_, applier_, gate, notable, clock_, sleeper_, config_);
  ChecksumVerdict& done = outcome_.verdict;
  done.passed = true;
  while (!finishing_) {
    const std::optional<std::string> copied = Watermark();
    if (!copied || copied == done.checked_upto || !may_run_()) {
      sleeper_.SleepFor(20);
      continue;
    }
    auto checked = checksum.RunUpTo(done.checked_upto, *copied);
    if (!checked.ok()) {
      outcome_.status = checked.status();
      return;
    }
    checked->stopped.reset();  // stopping for the copy's end is not a failed check
    done.Add(*checked);
  }
}

}  // namespace lockstep::executor
