// The state database schema, as the ordered steps that build it.
//
// Never edit a step that has shipped: add a new one. Version 1 is the whole
// schema as first released.
#pragma once

#include <span>

#include "state/schema_migrator.h"

namespace lockstep {

// Step i has version i + 1. StateStore::Open migrates every file to the last.
std::span<const SchemaStep> BuiltinSchemaSteps();

}  // namespace lockstep
