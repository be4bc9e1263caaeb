// ArtifactRecorder: how the executor tells the caller's durable record about
// the tables it creates, renames into being, or drops. Persist, then act:
// Planned() is called (and must have committed) before the artifact is
// created; Created()/Dropped() after. Every call may be repeated on resume.
#pragma once

#include <string>

#include "common/status.h"
#include "state/state_enums.h"

namespace lockstep::executor {

class ArtifactRecorder {
 public:
  virtual ~ArtifactRecorder() = default;
  [[nodiscard]] virtual Status Planned(ArtifactKind kind, const std::string& schema,
                                       const std::string& name) = 0;
  [[nodiscard]] virtual Status Created(ArtifactKind kind, const std::string& schema,
                                       const std::string& name) = 0;
  // Gone: dropped, or renamed away (the shadow table becomes the table).
  [[nodiscard]] virtual Status Dropped(ArtifactKind kind, const std::string& schema,
                                       const std::string& name) = 0;
};

}  // namespace lockstep::executor
