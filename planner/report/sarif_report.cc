#include "planner/report/sarif_report.h"

#include <cstdio>

#include "planner/report/json_writer.h"

namespace lockstep::report {
namespace {

constexpr const char* kSarifSchema = "https://json.schemastore.org/sarif-2.1.0.json";

bool IsUnreserved(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~' || c == '/';
}

void WriteRule(JsonWriter& json, const RuleDescriptor& rule) {
  json.BeginObject().Field("id", rule.id).Field("name", rule.name);
  json.Key("shortDescription").BeginObject().Field("text", rule.short_description).EndObject();
  json.Key("defaultConfiguration").BeginObject()
      .Field("level", SarifLevel(rule.default_severity))
      .EndObject();
  json.EndObject();
}

void WriteResult(JsonWriter& json, const Diagnostic& d, const std::vector<RuleDescriptor>& rules) {
  json.BeginObject().Field("ruleId", d.rule_id);
  for (size_t i = 0; i < rules.size(); ++i) {
    if (rules[i].id == d.rule_id) json.Field("ruleIndex", static_cast<int64_t>(i));
  }
  json.Field("level", SarifLevel(d.severity));
  json.Key("message").BeginObject().Field("text", d.message).EndObject();
  json.Key("locations").BeginArray().BeginObject().Key("physicalLocation").BeginObject();
  json.Key("artifactLocation").BeginObject().Field("uri", SarifUri(d.file)).EndObject();
  if (d.line > 0) {
    json.Key("region").BeginObject().Field("startLine", d.line);
    if (d.column > 0) json.Field("startColumn", d.column);
    json.EndObject();
  }
  json.EndObject().EndObject().EndArray();
  if (!d.suggestion.empty()) {
    json.Key("properties").BeginObject().Field("suggestion", d.suggestion).EndObject();
  }
  json.EndObject();
}

}  // namespace

const char* SarifLevel(Severity severity) {
  switch (severity) {
    case Severity::kError: return "error";
    case Severity::kWarning: return "warning";
    case Severity::kInfo: return "note";
  }
  return "error";
}

std::string SarifUri(std::string_view path) {
  std::string out = !path.empty() && path[0] == '/' ? "file://" : "";
  for (unsigned char c : path) {
    if (IsUnreserved(c)) {
      out += static_cast<char>(c);
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

void WriteSarifReport(const std::vector<Diagnostic>& diagnostics,
                      const std::vector<RuleDescriptor>& rules, std::ostream& out) {
  JsonWriter json(out, 2);
  json.BeginObject().Field("$schema", kSarifSchema).Field("version", "2.1.0");
  json.Key("runs").BeginArray().BeginObject();
  json.Key("tool").BeginObject().Key("driver").BeginObject().Field("name", "lockstep");
  json.Key("rules").BeginArray();
  for (const RuleDescriptor& rule : rules) WriteRule(json, rule);
  json.EndArray().EndObject().EndObject();
  json.Key("results").BeginArray();
  for (const Diagnostic& d : diagnostics) WriteResult(json, d, rules);
  json.EndArray();
  json.EndObject().EndArray().EndObject();
  out << "\n";
}

}  // namespace lockstep::report
