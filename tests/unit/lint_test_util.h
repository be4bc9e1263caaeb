// Helpers for the lint rule tests: lint a migration text, with or without a
// schema, and pick out one rule's findings.
#pragma once

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "planner/lint/linter.h"
#include "planner/sql/schema_dump_parser.h"

namespace lockstep::lint::testing {

// A small schema in SHOW CREATE TABLE form, with the facts the rules look at.
inline const char* const kSchema = R"sql(
CREATE TABLE `t` (
  `id` int(11) NOT NULL AUTO_INCREMENT,
  `a` int(11) DEFAULT NULL,
  `b` varchar(50) CHARACTER SET latin1 COLLATE latin1_swedish_ci NOT NULL DEFAULT '',
  `c` enum('x','y','z') DEFAULT 'x',
  `d` decimal(10,2) NOT NULL DEFAULT 0.00,
  `e` text DEFAULT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `uk_b` (`b`),
  KEY `k_a` (`a`)
) ENGINE=InnoDB AUTO_INCREMENT=100 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
CREATE TABLE `nopk` (
  `x` int(11) DEFAULT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
CREATE TABLE `parent` (
  `id` int(11) NOT NULL,
  PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
CREATE TABLE `child` (
  `id` int(11) NOT NULL,
  `pid` int(11) DEFAULT NULL,
  PRIMARY KEY (`id`),
  KEY `fk_p` (`pid`),
  CONSTRAINT `fk_p` FOREIGN KEY (`pid`) REFERENCES `parent` (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
CREATE TABLE `trig` (
  `id` int(11) NOT NULL,
  PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
CREATE TRIGGER trig_bi BEFORE INSERT ON trig FOR EACH ROW SET NEW.id = NEW.id;
)sql";

inline const sql::Schema& TestSchema() {
  static const sql::Schema schema = [] {
    Result<sql::Schema> s = sql::ParseSchemaDump(kSchema);
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return s.ok() ? *s : sql::Schema{};
  }();
  return schema;
}

inline std::vector<report::Diagnostic> Lint(const std::string& sql, bool with_schema = false) {
  return Linter(with_schema ? &TestSchema() : nullptr).LintText("m.sql", sql);
}

// One rule's findings, as "severity line:col message" for compact assertions.
struct Hit {
  report::Severity severity;
  int line;
  int column;
  std::string message;
  std::string suggestion;
};

inline std::vector<Hit> Hits(const std::vector<report::Diagnostic>& diagnostics, const std::string& rule) {
  std::vector<Hit> out;
  for (const report::Diagnostic& d : diagnostics) {
    if (d.rule_id == rule) out.push_back({d.severity, d.line, d.column, d.message, d.suggestion});
  }
  return out;
}

inline std::vector<Hit> Hits(const std::string& sql, const std::string& rule, bool with_schema = false) {
  return Hits(Lint(sql, with_schema), rule);
}

}  // namespace lockstep::lint::testing
