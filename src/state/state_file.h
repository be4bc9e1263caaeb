// The state database file on disk: created private, refused when it is not.
//
// The state store records hosts, schemas, table names and plans: topology
// details an attacker would like. So the file is created with mode 0600 and an
// existing file (or its -wal/-shm companions) that group or others may access
// is refused, not silently tightened: a loose mode means someone else may
// already have read it, which the operator should know about.
#pragma once

#include <string>

#include "common/status.h"

namespace lockstep {

// Makes sure `path` names a regular file only its owner can access, creating
// it empty with mode 0600 when it does not exist. The parent directory must
// already exist: lockstep does not guess where state belongs.
//   FailedPrecondition: missing parent directory, not a regular file, or a
//                       mode that lets group/other in.
//   IoError:            any other file system failure.
[[nodiscard]] Status EnsurePrivateStateFile(const std::string& path);

// "0644" for st_mode 0100644: for messages.
std::string FormatFileMode(unsigned mode);

}  // namespace lockstep
