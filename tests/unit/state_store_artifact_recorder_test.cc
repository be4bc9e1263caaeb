// The ArtifactRecorder adapter over a real StateStore file.
#include "executor/shadow/state_store_artifact_recorder.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "state_test_support.h"

namespace lockstep::executor {
namespace {

TEST(StateStoreArtifactRecorderTest, PlannedCreatedDroppedAndRepeatable) {
  const auto dir = std::filesystem::path(::testing::TempDir()) /
                   ("artifact_recorder_" + std::to_string(getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  auto store = StateStore::Open((dir / "state.db").string());
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  auto id = (*store)->CreateMigration(MinimalMigrationSpec());
  ASSERT_TRUE(id.ok()) << id.status().ToString();

  StateStoreArtifactRecorder recorder(**store, *id, "dc1");
  ASSERT_TRUE(recorder.Planned(ArtifactKind::kShadow, "shop", "_orders_new").ok());
  ASSERT_TRUE(recorder.Planned(ArtifactKind::kShadow, "shop", "_orders_new").ok());  // a resume
  ASSERT_TRUE(recorder.Created(ArtifactKind::kShadow, "shop", "_orders_new").ok());
  ASSERT_TRUE(recorder.Created(ArtifactKind::kOld, "shop", "_orders_old").ok());  // planned on the way
  ASSERT_TRUE(recorder.Dropped(ArtifactKind::kShadow, "shop", "_orders_new").ok());

  auto artifacts = (*store)->ListArtifacts(*id);
  ASSERT_TRUE(artifacts.ok()) << artifacts.status().ToString();
  ASSERT_EQ(artifacts->size(), 2u);
  EXPECT_EQ((*artifacts)[0].artifact.object_name, "_orders_new");
  EXPECT_EQ((*artifacts)[0].state, ArtifactState::kDropped);
  EXPECT_EQ((*artifacts)[1].artifact.object_name, "_orders_old");
  EXPECT_EQ((*artifacts)[1].state, ArtifactState::kCreated);
  EXPECT_EQ((*artifacts)[1].artifact.kind, ArtifactKind::kOld);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace lockstep::executor
