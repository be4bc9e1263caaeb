// Reads a schema dump (mariadb-dump --no-data, or a file of CREATE TABLE
// statements) into a Schema.
//
// Only CREATE TABLE, CREATE TRIGGER and USE matter; everything else a dump holds
// (comments, SET, DROP TABLE IF EXISTS, LOCK TABLES, views, routines, /*!40101
// ... */ lines) is skipped. A CREATE TABLE that does not parse is an error: lint
// must not check against a half-read schema.
#pragma once

#include <string_view>

#include "common/status.h"
#include "planner/sql/schema.h"

namespace lockstep::sql {

// Errors read "line:col: what".
Result<Schema> ParseSchemaDump(std::string_view text);

}  // namespace lockstep::sql
