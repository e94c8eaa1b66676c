// The c-ares resolver against real sockets on loopback: what its unit-free
// parts (ParseDnsAnswer) cannot show.

#include "dnsbl/ares_resolver.h"

#include <memory>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "tests/rbldnsd_server.h"

namespace dnsbl {
namespace {

// Each unanswered question times out `timeout` after it was asked, however
// many are in flight and however long the caller lets Poll() wait: the
// resolver's own note of the next deadline must follow the questions that
// keep starting after it was taken.
TEST(AresResolverTest, TimeoutsComeOnTimeWhileQuestionsKeepStarting) {
  absl::StatusOr<std::unique_ptr<testing::BlackHoleServer>> hole =
      testing::BlackHoleServer::Start();
  ASSERT_TRUE(hole.ok()) << hole.status();
  ResolverOptions options;
  options.nameservers = {(*hole)->endpoint()};
  options.timeout = absl::Milliseconds(200);
  options.tries = 1;
  options.max_inflight = 5000;
  absl::StatusOr<std::unique_ptr<Resolver>> resolver =
      CreateAresResolver(options);
  ASSERT_TRUE(resolver.ok()) << resolver.status();

  struct Asked {
    absl::Time sent;
    absl::Time done = absl::InfinitePast();
    DnsOutcome outcome = DnsOutcome::kAnswer;
  };
  constexpr int kWaves = 20;
  constexpr int kPerWave = 100;
  std::vector<Asked> asked(kWaves * kPerWave);
  // Waves 5 ms apart: later questions start while earlier ones wait.
  for (int wave = 0; wave < kWaves; ++wave) {
    for (int i = 0; i < kPerWave; ++i) {
      const int n = wave * kPerWave + i;
      asked[n].sent = absl::Now();
      (*resolver)->Lookup(absl::StrCat(n, ".a.test"), RecordType::kA,
                          [&asked, n](DnsResponse r) {
                            asked[n].done = absl::Now();
                            asked[n].outcome = r.outcome;
                          });
    }
    (*resolver)->Poll(absl::Milliseconds(5));
  }
  // From here only deadlines can wake the resolver.
  const absl::Time give_up = absl::Now() + absl::Seconds(10);
  while ((*resolver)->pending() > 0 && absl::Now() < give_up) {
    (*resolver)->Poll(absl::Seconds(10));
  }
  ASSERT_EQ((*resolver)->pending(), 0u);
  for (size_t n = 0; n < asked.size(); ++n) {
    EXPECT_EQ(asked[n].outcome, DnsOutcome::kTimeout) << n;
    const absl::Duration took = asked[n].done - asked[n].sent;
    EXPECT_GE(took, absl::Milliseconds(200)) << n;
    // The timeout itself, the resolver's allowed lateness (an eighth of
    // it) and room for a slow or sanitized build.
    EXPECT_LT(took, absl::Milliseconds(200 + 25 + 150)) << n;
  }
}

}  // namespace
}  // namespace dnsbl
