// A small streaming JSON writer: objects, arrays, strings, numbers, booleans,
// with the commas and escaping done right, so no report hand-assembles JSON.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace lockstep::report {

class JsonWriter {
 public:
  // indent 0 writes everything on one line; otherwise nested values are put on
  // their own lines, indented by that many spaces per level.
  explicit JsonWriter(std::ostream& out, int indent = 0) : out_(out), indent_(indent) {}

  JsonWriter& BeginObject();
  JsonWriter& EndObject();
  JsonWriter& BeginArray();
  JsonWriter& EndArray();
  // Inside an object: the next value's key.
  JsonWriter& Key(std::string_view key);
  JsonWriter& String(std::string_view value);
  JsonWriter& Int(int64_t value);
  JsonWriter& Bool(bool value);
  // Three decimals; null when not finite.
  JsonWriter& Double(double value);
  JsonWriter& StringArray(const std::vector<std::string>& values);

  // Key(key) then the value, for the common case.
  JsonWriter& Field(std::string_view key, std::string_view value) { return Key(key).String(value); }
  JsonWriter& Field(std::string_view key, const char* value) { return Key(key).String(value); }
  JsonWriter& Field(std::string_view key, int64_t value) { return Key(key).Int(value); }
  JsonWriter& Field(std::string_view key, int value) { return Key(key).Int(value); }

  // JSON string escaping, without the quotes: quotes, backslashes and control
  // characters; bytes >= 0x80 pass through (the text is UTF-8).
  static std::string Escape(std::string_view s);

 private:
  void BeforeValue();
  void NewLine();
  JsonWriter& Close(char bracket);

  std::ostream& out_;
  int indent_;
  // One entry per open object/array: has it any element yet?
  std::vector<bool> has_element_;
  bool after_key_ = false;
};

}  // namespace lockstep::report
