// Whether a column type change keeps every value (widening) or may lose or
// alter some (narrowing), judged from the two definitions alone.
//
// Fail closed: a change this does not understand is kIncompatible, which lint
// reports as an error, like a narrowing.
#pragma once

#include <string>

#include "planner/sql/ast.h"

namespace lockstep::lint {

enum class TypeChangeKind {
  kSame,          // the same stored type (display widths and synonyms aside)
  kWidening,      // every old value fits the new type unchanged
  kNarrowing,     // some old values may be truncated, rounded, or rejected
  kIncompatible,  // a different family, or a change not understood
  kEnumOrSet,     // both ENUM or both SET: judged by their member lists instead
};

struct TypeChange {
  TypeChangeKind kind = TypeChangeKind::kSame;
  std::string reason;  // why, for the message: "signed to unsigned loses negative values"
};

// Charset and collation are not looked at: a conversion is its own finding.
TypeChange ClassifyTypeChange(const sql::DataType& from, const sql::DataType& to);

// The server's name for a type name synonym: integer -> int, numeric -> decimal,
// bool -> tinyint, json -> longtext (MariaDB), ...
std::string CanonicalTypeName(const std::string& name);

// char, varchar, the text types, enum and set: types with a character set.
bool IsCharacterType(const sql::DataType& type);

}  // namespace lockstep::lint
