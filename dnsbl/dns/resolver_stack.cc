#include "dnsbl/dns/resolver_stack.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "dnsbl/dns/ares_resolver.h"

namespace dnsbl {

absl::StatusOr<std::unique_ptr<AdaptiveResolver>> CreateResolverStack(
    const TransportOptions& transport, AdaptiveOptions adaptive) {
  if (transport.tries < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("tries must be at least 1, not ", transport.tries));
  }
  if (adaptive.max_inflight < 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "max_inflight must be at least 1, not ", adaptive.max_inflight));
  }
  adaptive.initial_window =
      std::min(adaptive.initial_window, adaptive.max_inflight);
  adaptive.min_window = std::min(adaptive.min_window, adaptive.max_inflight);
  // One c-ares try per copy: a question that is a few round trips overdue
  // is sent again at once (dnsbl/dns/adaptive_resolver.h) instead of waiting
  // the whole timeout, so a lost packet costs tens of milliseconds, not
  // seconds.
  ResolverOptions ares;
  ares.nameservers = transport.nameservers;
  ares.timeout = transport.timeout;
  ares.tries = 1;
  // Room for overdue copies that linger until their timeout.
  ares.max_inflight = 3 * adaptive.max_inflight;
  absl::StatusOr<std::unique_ptr<Resolver>> inner = CreateAresResolver(ares);
  if (!inner.ok()) return inner.status();
  adaptive.retransmits = transport.tries - 1;
  return std::make_unique<AdaptiveResolver>(*std::move(inner), adaptive);
}

}  // namespace dnsbl
