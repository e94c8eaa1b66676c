#include "dnsbl/dns/internal/resolver_stack.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace dnsbl {
namespace {

using ::testing::HasSubstr;

TransportOptions Loopback() {
  TransportOptions transport;
  transport.nameservers = {"127.0.0.1:53"};
  return transport;
}

TEST(CreateResolverStackTest, RejectsBadOptionsNamingThem) {
  TransportOptions transport = Loopback();
  transport.tries = 0;
  EXPECT_THAT(
      CreateResolverStack(transport, AdaptiveOptions()).status().message(),
      HasSubstr("tries must be at least 1, not 0"));
  transport = Loopback();
  transport.timeout = absl::ZeroDuration();
  EXPECT_THAT(
      CreateResolverStack(transport, AdaptiveOptions()).status().message(),
      HasSubstr("timeout 0 is too short"));
  transport = Loopback();
  transport.nameservers = {"not-an-address"};
  EXPECT_EQ(CreateResolverStack(transport, AdaptiveOptions()).status().code(),
            absl::StatusCode::kInvalidArgument);
  AdaptiveOptions adaptive;
  adaptive.max_inflight = 0;
  EXPECT_THAT(CreateResolverStack(Loopback(), adaptive).status().message(),
              HasSubstr("max_inflight must be at least 1, not 0"));
}

// A cap below the default start (bulk --max_inflight=10) starts the window
// at the cap instead of above it.
TEST(CreateResolverStackTest, FitsTheWindowUnderItsCap) {
  AdaptiveOptions adaptive;
  adaptive.max_inflight = 10;
  ASSERT_GT(adaptive.initial_window, 10);
  absl::StatusOr<ResolverStack> stack =
      CreateResolverStack(Loopback(), adaptive);
  ASSERT_TRUE(stack.ok()) << stack.status();
  EXPECT_EQ(stack->resolver->stats().window, 10);
  EXPECT_EQ(stack->resolver->Describe(), "127.0.0.1:53");
}

// Automatic resolution with nameservers given asks them; tests of the rest
// of the rule need a hierarchy of servers (tests/direct_integration_test).
TEST(CreateResolverStackTest, NameserversGivenMeanRecursive) {
  absl::StatusOr<ResolverStack> stack =
      CreateResolverStack(Loopback(), AdaptiveOptions());
  ASSERT_TRUE(stack.ok()) << stack.status();
  EXPECT_EQ(stack->resolver->mode(), ResolutionMode::kRecursive);
  EXPECT_TRUE(stack->warnings.empty());
}

TEST(CreateResolverStackTest, NamesARootHintsFileItCannotRead) {
  TransportOptions transport = Loopback();
  transport.resolution = ResolutionMode::kDirect;
  transport.root_hints = "/nonexistent/named.root";
  absl::StatusOr<ResolverStack> stack =
      CreateResolverStack(transport, AdaptiveOptions());
  EXPECT_TRUE(absl::IsNotFound(stack.status())) << stack.status();
  EXPECT_THAT(stack.status().message(), HasSubstr("/nonexistent/named.root"));
}

}  // namespace
}  // namespace dnsbl
