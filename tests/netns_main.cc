// main() for tests that run in a private network namespace (tests/netns.h):
// it is entered before gtest or any test starts a thread.

#include <cstdio>

#include "gtest/gtest.h"
#include "tests/netns.h"

int main(int argc, char** argv) {
  absl::Status entered = dnsbl::testing::EnterPrivateNetwork();
  if (!entered.ok()) {
    std::fprintf(stderr, "cannot run: %s\n",
                 std::string(entered.message()).c_str());
    return 1;
  }
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
