// The words lockstep uses for a schema change, shared by the planner, the
// state store and the executors. Their names are stored in the state
// database and printed in plans: renaming one is a format change.
#pragma once

#include <optional>
#include <string_view>

namespace lockstep {

// Can row events written under one schema be applied under the other?
// A: yes, in both directions (DCs may cut over a few seconds apart).
// B: no, or not known to be safe: they fail or corrupt data silently.
enum class SkewClass { kA, kB };

// window: every DC locks the table and renames inside one short window (class A).
// fenced: application writes are fenced while the DRC links drain (class B).
// refused: lockstep will not run the change as it stands (never stored).
enum class CutoverMode { kWindow, kFenced, kRefused };

// instant / inplace: the server changes the table natively, in every DC;
// copy: lockstep's shadow table, filled by chunks and a binlog applier.
enum class Strategy { kInstant, kInplace, kCopy };

inline bool IsNative(Strategy s) { return s != Strategy::kCopy; }

const char* SkewClassName(SkewClass c);      // "A" | "B"
const char* CutoverModeName(CutoverMode m);  // "window" | "fenced" | "refused"
const char* StrategyName(Strategy s);        // "instant" | "inplace" | "copy"

std::optional<SkewClass> ParseSkewClass(std::string_view text);
std::optional<CutoverMode> ParseCutoverMode(std::string_view text);
std::optional<Strategy> ParseStrategy(std::string_view text);

}  // namespace lockstep
