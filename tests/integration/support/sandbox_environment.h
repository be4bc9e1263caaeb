// One sandbox shared by every suite of a test binary, started before the
// first test and stopped after the last:
//
//   const auto* const kEnvironment =
//       ::testing::AddGlobalTestEnvironment(new SandboxEnvironment(1));
//   ... SandboxEnvironment::Get() in the fixtures.
#pragma once

#include <gtest/gtest.h>

#include "support/sandbox.h"

namespace lockstep::testing {

class SandboxEnvironment : public ::testing::Environment {
 public:
  explicit SandboxEnvironment(int dcs) : dcs_(dcs) {}

  void SetUp() override {
    auto s = Sandbox::Start(SandboxOptions::Mesh(dcs_, LOCKSTEP_TEST_BASE_PORT));
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    instance_ = std::move(*s).release();
  }
  void TearDown() override {
    delete instance_;
    instance_ = nullptr;
  }
  static Sandbox* Get() { return instance_; }

 private:
  const int dcs_;
  static inline Sandbox* instance_ = nullptr;
};

}  // namespace lockstep::testing
