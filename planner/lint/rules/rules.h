// The checks behind each lint rule, one file each in this directory. The ids,
// names and order are in rule_registry.cc; docs/lint.md explains each rule.
#pragma once

#include "planner/lint/lint_rule.h"

namespace lockstep::lint {

// LS0xx: the statement itself.
void CheckParseError(const StatementInput& input, FindingSink& sink);        // LS000
void CheckRefusedStatement(const StatementInput& input, FindingSink& sink);  // LS001
void CheckUnknownClause(const StatementInput& input, FindingSink& sink);     // LS002
void CheckRepeatedTable(const FileInput& input, FindingSink& sink);          // LS003
void CheckTableInSchema(const StatementInput& input, FindingSink& sink);     // LS004
// LS1xx: destructive.
void CheckDropColumn(const StatementInput& input, FindingSink& sink);        // LS101
void CheckDropIndex(const StatementInput& input, FindingSink& sink);         // LS102
void CheckTypeChange(const StatementInput& input, FindingSink& sink);        // LS103
void CheckAlterIgnore(const StatementInput& input, FindingSink& sink);       // LS104
void CheckEnumSetValues(const StatementInput& input, FindingSink& sink);     // LS105
// LS2xx: backward-incompatible.
void CheckRenameColumn(const StatementInput& input, FindingSink& sink);      // LS201
void CheckRenameTable(const StatementInput& input, FindingSink& sink);       // LS202
void CheckNotNull(const StatementInput& input, FindingSink& sink);           // LS203
// LS3xx: data-dependent.
void CheckUniqueKey(const StatementInput& input, FindingSink& sink);         // LS301
void CheckAutoIncrement(const StatementInput& input, FindingSink& sink);     // LS302
// LS4xx: replication skew.
void CheckColumnPosition(const StatementInput& input, FindingSink& sink);    // LS401
void CheckCharsetConversion(const StatementInput& input, FindingSink& sink); // LS402
void CheckPrimaryKey(const StatementInput& input, FindingSink& sink);        // LS403
// LS5xx: locking and online execution.
void CheckAlgorithmLock(const StatementInput& input, FindingSink& sink);     // LS501
void CheckTriggers(const StatementInput& input, FindingSink& sink);          // LS502
void CheckForeignKeys(const StatementInput& input, FindingSink& sink);       // LS503
void CheckPartitioning(const StatementInput& input, FindingSink& sink);      // LS504

}  // namespace lockstep::lint
