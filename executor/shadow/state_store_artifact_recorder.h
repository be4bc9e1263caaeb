// An ArtifactRecorder over the StateStore's artifact table, for one
// migration in one DC.
#pragma once

#include <cstdint>
#include <string>

#include "executor/shadow/artifact_recorder.h"
#include "state/state_store.h"

namespace lockstep::executor {

class StateStoreArtifactRecorder final : public ArtifactRecorder {
 public:
  // `store` must outlive the recorder.
  StateStoreArtifactRecorder(StateStore& store, int64_t migration_id, std::string dc)
      : store_(store), migration_id_(migration_id), dc_(std::move(dc)) {}

  Status Planned(ArtifactKind kind, const std::string& schema, const std::string& name) override;
  Status Created(ArtifactKind kind, const std::string& schema, const std::string& name) override;
  Status Dropped(ArtifactKind kind, const std::string& schema, const std::string& name) override;

 private:
  // Recording a live artifact again returns its id (ArtifactTable), so the
  // id is looked up that way rather than cached: a resumed process has no cache.
  Result<int64_t> LiveId(ArtifactKind kind, const std::string& schema, const std::string& name);

  StateStore& store_;
  const int64_t migration_id_;
  const std::string dc_;
};

}  // namespace lockstep::executor
