#include <gtest/gtest.h>

#include <sstream>

#include "planner/report/diagnostic.h"
#include "planner/report/github_annotations.h"
#include "planner/report/json_writer.h"
#include "planner/report/report_format.h"
#include "planner/report/sarif_report.h"

namespace lockstep::report {
namespace {

std::vector<Diagnostic> Sample() {
  return {
      {"LS101", Severity::kError, "db/m1.sql", 3, 5, "dropping column `c` loses its data",
       "contract later"},
      {"LS102", Severity::kWarning, "db/m1.sql", 4, 1, "dropping index `i`", ""},
      {"LS302", Severity::kInfo, "db/m 2.sql", 1, 1, "raises \"AUTO_INCREMENT\"", "none\tneeded"},
  };
}

std::vector<RuleDescriptor> SampleRules() {
  return {{"LS101", "drop-column", "drops a column", Severity::kError},
          {"LS102", "drop-index", "drops an index", Severity::kWarning}};
}

std::string Write(ReportFormat format) {
  std::vector<Diagnostic> d = Sample();
  std::ostringstream out;
  WriteReport(format, d, SampleRules(), Summary::Count(d, 2), out);
  return out.str();
}

TEST(ReportTest, SummaryCountsAndPlurals) {
  std::vector<Diagnostic> d = Sample();
  Summary s = Summary::Count(d, 2);
  EXPECT_EQ(s.errors, 1);
  EXPECT_EQ(s.warnings, 1);
  EXPECT_EQ(s.infos, 1);
  EXPECT_EQ(s.ToString(), "1 error, 1 warning, 1 info in 2 files");
  EXPECT_EQ(Summary::Count({}, 1).ToString(), "0 errors, 0 warnings, 0 infos in 1 file");
}

TEST(ReportTest, SortKeepsRuleOrderAtOneSpot) {
  std::vector<Diagnostic> d = {{"LS2", Severity::kError, "b", 1, 1, "", ""},
                               {"LS9", Severity::kError, "a", 2, 1, "", ""},
                               {"LS1", Severity::kError, "a", 2, 1, "", ""},
                               {"LS5", Severity::kError, "a", 1, 7, "", ""}};
  SortDiagnostics(&d);
  EXPECT_EQ(d[0].rule_id, "LS5");
  EXPECT_EQ(d[1].rule_id, "LS9");
  EXPECT_EQ(d[2].rule_id, "LS1");
  EXPECT_EQ(d[3].rule_id, "LS2");
}

TEST(ReportTest, TextIsCompilerLike) {
  EXPECT_EQ(Write(ReportFormat::kText),
            "db/m1.sql:3:5: error[LS101]: dropping column `c` loses its data\n"
            "  suggestion: contract later\n"
            "db/m1.sql:4:1: warning[LS102]: dropping index `i`\n"
            "db/m 2.sql:1:1: info[LS302]: raises \"AUTO_INCREMENT\"\n"
            "  suggestion: none\tneeded\n"
            "1 error, 1 warning, 1 info in 2 files\n");
}

TEST(ReportTest, JsonHasTheDocumentedKeys) {
  EXPECT_EQ(Write(ReportFormat::kJson),
            "{\"findings\":["
            "{\"rule\":\"LS101\",\"severity\":\"error\",\"file\":\"db/m1.sql\",\"line\":3,"
            "\"column\":5,\"message\":\"dropping column `c` loses its data\","
            "\"suggestion\":\"contract later\"},"
            "{\"rule\":\"LS102\",\"severity\":\"warning\",\"file\":\"db/m1.sql\",\"line\":4,"
            "\"column\":1,\"message\":\"dropping index `i`\",\"suggestion\":\"\"},"
            "{\"rule\":\"LS302\",\"severity\":\"info\",\"file\":\"db/m 2.sql\",\"line\":1,"
            "\"column\":1,\"message\":\"raises \\\"AUTO_INCREMENT\\\"\","
            "\"suggestion\":\"none\\tneeded\"}],"
            "\"summary\":{\"errors\":1,\"warnings\":1,\"infos\":1,\"files\":2}}\n");
}

TEST(ReportTest, JsonWriterEscapesAndNests) {
  std::ostringstream out;
  JsonWriter json(out);
  json.BeginObject().Field("a\"b", std::string("x\\y\n\x01")).Key("list").BeginArray()
      .Int(1).Bool(false).BeginObject().EndObject().BeginArray().EndArray().EndArray().EndObject();
  EXPECT_EQ(out.str(), "{\"a\\\"b\":\"x\\\\y\\n\\u0001\",\"list\":[1,false,{},[]]}");
  std::ostringstream pretty;
  JsonWriter p(pretty, 2);
  p.BeginObject().Field("k", 1).Key("v").BeginArray().Int(2).EndArray().EndObject();
  EXPECT_EQ(pretty.str(), "{\n  \"k\": 1,\n  \"v\": [\n    2\n  ]\n}");
}

TEST(ReportTest, GithubAnnotationsEscapeDataAndProperties) {
  EXPECT_EQ(EscapeGithubData("50% done\r\nnext: a,b"), "50%25 done%0D%0Anext: a,b");
  EXPECT_EQ(EscapeGithubProperty("C:\\a,b%\n"), "C%3A\\a%2Cb%25%0A");
  Diagnostic d{"LS101", Severity::kError, "dir:x/a,b.sql", 3, 5, "100% gone: `c`", "do: this"};
  EXPECT_EQ(GithubAnnotation(d),
            "::error file=dir%3Ax/a%2Cb.sql,line=3,col=5,title=LS101::100%25 gone: `c`%0A"
            "suggestion: do: this");
  EXPECT_EQ(Write(ReportFormat::kGithub),
            "::error file=db/m1.sql,line=3,col=5,title=LS101::dropping column `c` loses its "
            "data%0Asuggestion: contract later\n"
            "::warning file=db/m1.sql,line=4,col=1,title=LS102::dropping index `i`\n"
            "::notice file=db/m 2.sql,line=1,col=1,title=LS302::raises \"AUTO_INCREMENT\"%0A"
            "suggestion: none\tneeded\n"
            "1 error, 1 warning, 1 info in 2 files\n");
}

TEST(ReportTest, SarifSkeletonAndResults) {
  const std::string sarif = Write(ReportFormat::kSarif);
  EXPECT_EQ(sarif,
            R"({
  "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
  "version": "2.1.0",
  "runs": [
    {
      "tool": {
        "driver": {
          "name": "lockstep",
          "rules": [
            {
              "id": "LS101",
              "name": "drop-column",
              "shortDescription": {
                "text": "drops a column"
              },
              "defaultConfiguration": {
                "level": "error"
              }
            },
            {
              "id": "LS102",
              "name": "drop-index",
              "shortDescription": {
                "text": "drops an index"
              },
              "defaultConfiguration": {
                "level": "warning"
              }
            }
          ]
        }
      },
      "results": [
        {
          "ruleId": "LS101",
          "ruleIndex": 0,
          "level": "error",
          "message": {
            "text": "dropping column `c` loses its data"
          },
          "locations": [
            {
              "physicalLocation": {
                "artifactLocation": {
                  "uri": "db/m1.sql"
                },
                "region": {
                  "startLine": 3,
                  "startColumn": 5
                }
              }
            }
          ],
          "properties": {
            "suggestion": "contract later"
          }
        },
        {
          "ruleId": "LS102",
          "ruleIndex": 1,
          "level": "warning",
          "message": {
            "text": "dropping index `i`"
          },
          "locations": [
            {
              "physicalLocation": {
                "artifactLocation": {
                  "uri": "db/m1.sql"
                },
                "region": {
                  "startLine": 4,
                  "startColumn": 1
                }
              }
            }
          ]
        },
        {
          "ruleId": "LS302",
          "level": "note",
          "message": {
            "text": "raises \"AUTO_INCREMENT\""
          },
          "locations": [
            {
              "physicalLocation": {
                "artifactLocation": {
                  "uri": "db/m%202.sql"
                },
                "region": {
                  "startLine": 1,
                  "startColumn": 1
                }
              }
            }
          ],
          "properties": {
            "suggestion": "none\tneeded"
          }
        }
      ]
    }
  ]
}
)");
}

TEST(ReportTest, SarifUris) {
  EXPECT_EQ(SarifUri("migrations/001 add col.sql"), "migrations/001%20add%20col.sql");
  EXPECT_EQ(SarifUri("/abs/x#y.sql"), "file:///abs/x%23y.sql");
  EXPECT_EQ(SarifUri("caf\xc3\xa9.sql"), "caf%C3%A9.sql");
}

TEST(ReportTest, FormatNames) {
  EXPECT_EQ(ParseReportFormat("sarif").value(), ReportFormat::kSarif);
  EXPECT_FALSE(ParseReportFormat("xml").ok());
  EXPECT_EQ(ReportFormatNames().size(), 4u);
}

}  // namespace
}  // namespace lockstep::report
