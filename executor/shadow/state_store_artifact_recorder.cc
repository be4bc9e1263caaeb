#include "executor/shadow/state_store_artifact_recorder.h"

namespace lockstep::executor {

Result<int64_t> StateStoreArtifactRecorder::LiveId(ArtifactKind kind, const std::string& schema,
                                                   const std::string& name) {
  Artifact artifact;
  artifact.migration_id = migration_id_;
  artifact.dc = dc_;
  artifact.schema_name = schema;
  artifact.object_name = name;
  artifact.kind = kind;
  return store_.RecordArtifactPlanned(artifact);
}

Status StateStoreArtifactRecorder::Planned(ArtifactKind kind, const std::string& schema,
                                           const std::string& name) {
  return LiveId(kind, schema, name).status();
}

Status StateStoreArtifactRecorder::Created(ArtifactKind kind, const std::string& schema,
                                           const std::string& name) {
  LOCKSTEP_ASSIGN_OR_RETURN(int64_t id, LiveId(kind, schema, name));
  return store_.MarkArtifactCreated(id);
}

Status StateStoreArtifactRecorder::Dropped(ArtifactKind kind, const std::string& schema,
                                           const std::string& name) {
  LOCKSTEP_ASSIGN_OR_RETURN(int64_t id, LiveId(kind, schema, name));
  return store_.MarkArtifactDropped(id);
}

}  // namespace lockstep::executor
