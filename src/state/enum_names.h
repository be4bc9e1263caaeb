// A table of enum values and their stored names, shared by the .cc files that
// turn the state store's enums into the text kept in SQLite and back.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "common/status.h"
#include "state/sqlite_statement.h"

namespace lockstep::enum_names {

template <typename E, std::size_t N>
using Table = std::array<std::pair<E, const char*>, N>;

template <typename E, std::size_t N>
const char* NameOf(const Table<E, N>& table, E value) {
  for (const auto& [e, name] : table) {
    if (e == value) return name;
  }
  return "unknown";
}

template <typename E, std::size_t N>
std::optional<E> Parse(const Table<E, N>& table, std::string_view text) {
  for (const auto& [e, name] : table) {
    if (text == name) return e;
  }
  return std::nullopt;
}

// Parses a name read back from the database. The schema's CHECK constraints
// admit only known names, so an unknown one means a damaged file.
template <typename E>
Result<E> FromStored(std::optional<E> parsed, std::string_view text, std::string_view column,
                     const std::string& path) {
  if (parsed.has_value()) return *parsed;
  return Status::IoError(path + ": unknown " + std::string(column) + " '" + std::string(text) +
                         "' in the state database (damaged file?)");
}

// Reads column `column` of the current row as an enum, with `parse` (e.g.
// ParsePhase); `column_name` is for the message.
template <typename E>
Result<E> ColumnEnum(const SqliteStatement& stmt, int column,
                     std::optional<E> (*parse)(std::string_view), std::string_view column_name) {
  std::string text = stmt.ColumnText(column);
  return FromStored(parse(text), text, column_name, stmt.path());
}

}  // namespace lockstep::enum_names
