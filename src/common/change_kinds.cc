#include "common/change_kinds.h"

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

std::optional<SkewClass> ParseSkewClass(std::string_view text) {
  if (text == "A") return SkewClass::kA;
  if (text == "B") return SkewClass::kB;
  return std::nullopt;
}

std::optional<CutoverMode> ParseCutoverMode(std::string_view text) {
  for (auto m : {CutoverMode::kWindow, CutoverMode::kFenced, CutoverMode::kRefused}) {
    if (text == CutoverModeName(m)) return m;
  }
  return std::nullopt;
}

std::optional<Strategy> ParseStrategy(std::string_view text) {
  for (auto s : {Strategy::kInstant, Strategy::kInplace, Strategy::kCopy}) {
    if (text == StrategyName(s)) return s;
  }
  return std::nullopt;
}

}  // namespace lockstep
