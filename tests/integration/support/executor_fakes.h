// Test stand-ins for the executor's hooks: what the orchestrator and the
// change applier provide in production.
#pragma once

#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "executor/copy/copy_progress.h"
#include "executor/cutover/applier_drain.h"
#include "executor/shadow/artifact_recorder.h"
#include "executor/verify/chunk_checksum.h"

namespace lockstep::testing {

// Records "planned shadow _t_new", "created shadow _t_new", "dropped old
// _t_old", in order.
class MemoryArtifactRecorder : public executor::ArtifactRecorder {
 public:
  Status Planned(ArtifactKind kind, const std::string&, const std::string& name) override {
    return Add("planned " + Describe(kind, name));
  }
  Status Created(ArtifactKind kind, const std::string&, const std::string& name) override {
    return Add("created " + Describe(kind, name));
  }
  Status Dropped(ArtifactKind kind, const std::string&, const std::string& name) override {
    return Add("dropped " + Describe(kind, name));
  }
  std::vector<std::string> events() {
    std::lock_guard<std::mutex> lock(mu_);
    return events_;
  }

 private:
  static std::string Describe(ArtifactKind kind, const std::string& name) {
    return std::string(ArtifactKindName(kind)) + " " + name;
  }
  Status Add(std::string event) {
    std::lock_guard<std::mutex> lock(mu_);
    events_.push_back(std::move(event));
    return Status::Ok();
  }
  std::mutex mu_;
  std::vector<std::string> events_;
};

// Keeps every progress report; fails the chunk numbered `fail_at_chunk`
// (1-based) as if the process died before persisting it.
class CollectingCopyObserver : public executor::CopyObserver {
 public:
  Status ChunkCopied(const executor::CopyProgress& progress) override {
    if (fail_at_chunk && progress.chunks == *fail_at_chunk) {
      return Status::IoError("simulated crash before the checkpoint was written");
    }
    reports.push_back(progress);
    return Status::Ok();
  }
  std::optional<int64_t> fail_at_chunk;
  std::vector<executor::CopyProgress> reports;  // only the persisted ones
};

class CollectingChecksumObserver : public executor::ChecksumObserver {
 public:
  Status ChunkChecked(const executor::ChecksumChunkResult& result) override {
    results.push_back(result);
    return Status::Ok();
  }
  std::vector<executor::ChecksumChunkResult> results;
};

class FunctionCatchUp : public executor::ApplierCatchUp {
 public:
  explicit FunctionCatchUp(std::function<Status()> fn = [] { return Status::Ok(); }) : fn_(std::move(fn)) {}
  Status WaitForApplierCaughtUp() override {
    ++calls;
    return fn_();
  }
  int calls = 0;

 private:
  std::function<Status()> fn_;
};

class FunctionDrain : public executor::ApplierDrain {
 public:
  explicit FunctionDrain(std::function<Status(const std::string&)> fn =
                             [](const std::string&) { return Status::Ok(); })
      : fn_(std::move(fn)) {}
  Status DrainApplierTo(const std::string& gtid, int64_t) override {
    gtids.push_back(gtid);
    return fn_(gtid);
  }
  std::vector<std::string> gtids;

 private:
  std::function<Status(const std::string&)> fn_;
};

}  // namespace lockstep::testing
