// SQL the change applier runs against the shadow table.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace lockstep::sql {

// DELETE FROM `s`.`t` WHERE (`k1`,`k2`) IN ((v,v),(v,v)). `keys` hold SQL
// literals already rendered (binlog::ToSqlLiteral), not user text.
std::string DeleteByKeys(std::string_view schema, std::string_view table,
                         const std::vector<std::string>& key_columns,
                         const std::vector<std::vector<std::string>>& keys);

// INSERT INTO `s`.`t` (`a`,`b`) VALUES (v,v),(v,v): rows of rendered literals.
std::string InsertRows(std::string_view schema, std::string_view table,
                       const std::vector<std::string>& columns,
                       const std::vector<std::vector<std::string>>& rows);

// INSERT ... ON DUPLICATE KEY UPDATE `a`=VALUE(`a`), ... of every column not
// in `key_columns`. Only safe where the primary key is the table's one unique
// key: with another, a duplicate there would update a different row.
std::string UpsertRows(std::string_view schema, std::string_view table,
                       const std::vector<std::string>& columns,
                       const std::vector<std::string>& key_columns,
                       const std::vector<std::vector<std::string>>& rows);

}  // namespace lockstep::sql
