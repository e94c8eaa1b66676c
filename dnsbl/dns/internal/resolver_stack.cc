#include "dnsbl/dns/internal/resolver_stack.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "dnsbl/dns/internal/ares_resolver.h"
#include "dnsbl/dns/internal/direct_resolver.h"
#include "dnsbl/dns/internal/root_hints.h"
#include "dnsbl/dns/internal/server_pool.h"
#include "dnsbl/dns/internal/unbound_recursor.h"

namespace dnsbl {
namespace {

// After no root server answered, automatic resolution does not try them
// again for this long.
constexpr absl::Duration kRootUnreachableMemory = absl::Hours(1);

// Room for the copies of overdue questions that linger until their
// timeout.
int InnerInflight(const AdaptiveOptions& adaptive) {
  return 3 * adaptive.max_inflight;
}

absl::StatusOr<std::unique_ptr<Resolver>> MakeRecursive(
    const TransportOptions& transport, const AdaptiveOptions& adaptive) {
  // One c-ares try per copy: a question that is a few round trips overdue
  // is sent again at once (dnsbl/dns/internal/adaptive_resolver.h) instead of
  // waiting the whole timeout, so a lost packet costs tens of
  // milliseconds, not seconds.
  ResolverOptions ares;
  ares.nameservers = transport.nameservers;
  ares.timeout = transport.timeout;
  ares.tries = 1;
  ares.max_inflight = InnerInflight(adaptive);
  return CreateAresResolver(ares);
}

absl::StatusOr<std::unique_ptr<DirectResolver>> MakeDirect(
    const TransportOptions& transport, const AdaptiveOptions& adaptive,
    const RootHints& hints) {
  RecursorOptions recursor_options;
  recursor_options.hints = hints;
  // Time for one walk down the hierarchy, with a lost packet or two.
  recursor_options.timeout =
      std::max(absl::Seconds(2), transport.timeout * transport.tries);
  recursor_options.clock = adaptive.clock;
  absl::StatusOr<std::unique_ptr<Recursor>> recursor =
      CreateUnboundRecursor(recursor_options);
  if (!recursor.ok()) return recursor.status();
  const absl::Duration timeout = transport.timeout;
  const int inflight = InnerInflight(adaptive);
  auto pool =
      std::make_unique<ServerPool>([timeout, inflight](const Endpoint& server) {
        ResolverOptions ares;
        ares.nameservers = {server.ToString()};
        ares.recursion_desired = false;
        ares.timeout = timeout;
        ares.tries = 1;
        ares.max_inflight = inflight;
        return CreateAresResolver(ares);
      });
  DirectResolverOptions options;
  options.zones = transport.direct_zones;
  options.hints = hints;
  options.delegation_cache = transport.delegation_cache;
  options.clock = adaptive.clock;
  return DirectResolver::Create(std::move(options), *std::move(recursor),
                                std::move(pool));
}

// Step 2 of the rule: whether the system resolver sees the root zone.
// Returns what it answered when it does not.
std::optional<std::string> SystemResolverBlind(
    const TransportOptions& transport, const AdaptiveOptions& adaptive,
    std::string& description) {
  absl::StatusOr<std::unique_ptr<Resolver>> system =
      MakeRecursive(transport, adaptive);
  if (!system.ok()) return std::string(system.status().message());
  description = (*system)->Describe();
  std::optional<DnsResponse> answer;
  (*system)->Lookup(".", RecordType::kA,
                    [&](DnsResponse r) { answer = std::move(r); });
  while (!answer.has_value()) (*system)->Poll(absl::Seconds(1));
  if (answer->outcome == DnsOutcome::kNoData) return std::nullopt;
  return std::string(DnsOutcomeName(answer->outcome));
}

}  // namespace

absl::StatusOr<ResolverStack> CreateResolverStack(
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
  adaptive.retransmits = transport.tries - 1;
  Clock* clock = adaptive.clock != nullptr ? adaptive.clock : Clock::Real();

  RootHints hints = RootHints::Builtin();
  if (!transport.root_hints.empty()) {
    absl::StatusOr<RootHints> loaded = RootHints::Load(transport.root_hints);
    if (!loaded.ok()) return loaded.status();
    hints = *std::move(loaded);
  }
  ResolverStack stack;
  std::unique_ptr<Resolver> inner;
  ResolutionMode mode = transport.resolution;
  if (mode == ResolutionMode::kAuto && !transport.nameservers.empty()) {
    mode = ResolutionMode::kRecursive;
  }
  if (mode == ResolutionMode::kAuto) {
    std::string system;
    if (std::optional<std::string> blind =
            SystemResolverBlind(transport, adaptive, system)) {
      stack.warnings.push_back(absl::StrCat(
          "the system resolver (", system, ") answered ", *blind,
          " for the root zone itself, so this machine cannot see the "
          "internet's DNS: asking through that resolver, not the "
          "blocklists' own servers (direct resolution asks them anyway)"));
      mode = ResolutionMode::kRecursive;
    }
  }
  if (mode != ResolutionMode::kRecursive) {
    absl::StatusOr<std::unique_ptr<DirectResolver>> direct =
        MakeDirect(transport, adaptive, hints);
    if (!direct.ok()) return direct.status();
    if (mode == ResolutionMode::kAuto && !(*direct)->AllFromCache()) {
      absl::Status root = absl::OkStatus();
      if ((*direct)->root_unreachable_until() > clock->Now()) {
        root = absl::UnavailableError(absl::StrCat(
            "none answered when last asked; not tried again "
            "until ",
            absl::FormatTime("%H:%M:%S %Z", (*direct)->root_unreachable_until(),
                             absl::UTCTimeZone())));
      } else {
        root = (*direct)->ProbeRoot();
        if (!root.ok()) {
          (*direct)->RememberRootUnreachable(kRootUnreachableMemory);
        }
      }
      if (!root.ok()) {
        stack.warnings.push_back(absl::StrCat(
            "no root server (", hints.source(), ") answered (", root.message(),
            "): asking through the system resolver, not the blocklists' own "
            "servers"));
        mode = ResolutionMode::kRecursive;
      }
    }
    if (mode != ResolutionMode::kRecursive) {
      (*direct)->FindAll();
      for (const std::string& w : (*direct)->warnings()) {
        stack.warnings.push_back(w);
      }
      inner = *std::move(direct);
    }
  }
  if (inner == nullptr) {
    absl::StatusOr<std::unique_ptr<Resolver>> recursive =
        MakeRecursive(transport, adaptive);
    if (!recursive.ok()) return recursive.status();
    inner = *std::move(recursive);
  }
  stack.resolver =
      std::make_unique<AdaptiveResolver>(std::move(inner), adaptive);
  return stack;
}

}  // namespace dnsbl
