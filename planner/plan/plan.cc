#include "planner/plan/plan.h"

#include <algorithm>

namespace lockstep {

const char* SkewClassName(SkewClass c) { return c == SkewClass::kA ? "A" : "B"; }

const char* CutoverModeName(CutoverMode m) {
  switch (m) {
    case CutoverMode::kWindow: return "window";
    case CutoverMode::kFenced: return "fenced";
    case CutoverMode::kRefused: return "refused";
  }
  return "refused";
}

const char* StrategyName(Strategy s) {
  switch (s) {
    case Strategy::kInstant: return "instant";
    case Strategy::kInplace: return "inplace";
    case Strategy::kCopy: return "copy";
  }
  return "copy";
}

const char* CheckStatusName(CheckStatus s) {
  switch (s) {
    case CheckStatus::kPass: return "pass";
    case CheckStatus::kWarn: return "warn";
    case CheckStatus::kFail: return "fail";
  }
  return "fail";
}

bool Plan::HasFailedCheck() const {
  return std::any_of(checks.begin(), checks.end(),
                     [](const CheckResult& c) { return c.status == CheckStatus::kFail; });
}

}  // namespace lockstep
