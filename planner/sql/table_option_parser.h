// Table options: ENGINE=InnoDB, AUTO_INCREMENT=5, DEFAULT CHARSET=utf8mb4, ...
// as they follow CREATE TABLE's ')' and as ALTER TABLE clauses.
#pragma once

#include <string>

#include "common/status.h"
#include "planner/sql/token_cursor.h"

namespace lockstep::sql {

struct TableOption {
  // Uppercased; synonyms folded: "CHARACTER SET" for [DEFAULT] CHARSET and
  // CHARACTER SET, "COLLATE" for [DEFAULT] COLLATE. An engine-defined option
  // (MariaDB prints `PAGE_COMPRESSED`=1) keeps its name as written.
  std::string name;
  std::string value;  // a string's content unescaped; otherwise the text as written
  size_t first_token = 0;
};

// One option [=] value; false (nothing consumed) when the next tokens are not a
// table option.
Result<bool> ParseTableOption(TokenCursor& cur, TableOption* option);

}  // namespace lockstep::sql
