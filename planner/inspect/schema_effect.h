// The exact effect of an ALTER, learned from the server itself: apply it to
// a session-scoped temporary copy of the table and read the result back.
//
// Temporary tables are not written to the binlog under binlog_format=ROW and
// vanish with the session, so this writes nothing that replicates and leaves
// nothing behind (the integration tests check both).
#pragma once

#include <string>
#include <vector>

#include "common/status.h"
#include "db/connection.h"

namespace lockstep {

struct SchemaEffect {
  std::string before_sql;  // SHOW CREATE TABLE of the table
  std::string after_sql;   // the same after the ALTER, named like the table
  // Clauses whose effect was written in from the parsed clause rather than
  // tried on the server, each with why.
  std::vector<std::string> decided_from_clauses;
};

// Applies `clauses` (ALTER TABLE clause texts, without ALGORITHM/LOCK) to a
// temporary copy of schema.table. A clause the server rejects is returned as
// an InvalidArgument carrying the server's message. MariaDB refuses FULLTEXT
// keys on temporary InnoDB tables (1796): those are left out of the probe and
// written into after_sql as SHOW CREATE TABLE gives them (after every other
// key, before the constraints; unnamed ones after their first column).
Result<SchemaEffect> ProbeSchemaEffect(Connection& conn, const std::string& schema,
                                       const std::string& table,
                                       const std::vector<std::string>& clauses);

// The same for several ALTERs in a row on one temporary copy (a later one may
// name what an earlier one adds): the definition after each, named like the
// table.
Result<std::vector<std::string>> ProbeSchemaSteps(
    Connection& conn, const std::string& schema, const std::string& table,
    const std::vector<std::vector<std::string>>& steps);

}  // namespace lockstep
