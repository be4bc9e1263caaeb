#include "planner/report/json_report.h"

#include "planner/report/json_writer.h"

namespace lockstep::report {

void WriteJsonReport(const std::vector<Diagnostic>& diagnostics, const Summary& summary,
                     std::ostream& out) {
  JsonWriter json(out);
  json.BeginObject().Key("findings").BeginArray();
  for (const Diagnostic& d : diagnostics) {
    json.BeginObject()
        .Field("rule", d.rule_id)
        .Field("severity", SeverityName(d.severity))
        .Field("file", d.file)
        .Field("line", d.line)
        .Field("column", d.column)
        .Field("message", d.message)
        .Field("suggestion", d.suggestion)
        .EndObject();
  }
  json.EndArray().Key("summary").BeginObject()
      .Field("errors", summary.errors)
      .Field("warnings", summary.warnings)
      .Field("infos", summary.infos)
      .Field("files", summary.files)
      .EndObject();
  json.EndObject();
  out << "\n";
}

}  // namespace lockstep::report
