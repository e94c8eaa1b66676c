#include "dnsbl/checker.h"

#include <utility>

#include "dnsbl/dns/internal/resolver_stack.h"
#include "dnsbl/internal/checker_impl.h"
#include "dnsbl/internal/checker_setup.h"

namespace dnsbl {

absl::StatusOr<std::unique_ptr<Checker>> Checker::Create(
    const CheckerOptions& options) {
  absl::StatusOr<CatalogZones> selected = SelectZonesFor(options);
  if (!selected.ok()) return selected.status();
  absl::StatusOr<ResolverStack> stack =
      CreateResolverStack(TransportOf(options, selected->zones),
                          OneOffWindow(options, selected->zones));
  if (!stack.ok()) return stack.status();
  absl::StatusOr<std::unique_ptr<Checker>> checker = CreateCheckerOver(
      options, *std::move(selected), std::move(stack->resolver));
  if (checker.ok()) (*checker)->impl_->set_warnings(std::move(stack->warnings));
  return checker;
}

Checker::Checker(std::unique_ptr<CheckerImpl> impl) : impl_(std::move(impl)) {}

Checker::~Checker() = default;

absl::StatusOr<v1::Report> Checker::Check(absl::string_view address) {
  return impl_->Check(address);
}

absl::StatusOr<std::vector<v1::Report>> Checker::CheckHost(
    absl::string_view address_or_host) {
  return impl_->CheckHost(address_or_host);
}

void Checker::CheckAsync(const IpAddress& address, ReportCallback done) {
  impl_->CheckAsync(address, std::move(done));
}

size_t Checker::Poll(absl::Duration max_wait) { return impl_->Poll(max_wait); }

size_t Checker::pending() const { return impl_->pending(); }

std::vector<FdEvents> Checker::Descriptors() const {
  return impl_->Descriptors();
}

absl::Duration Checker::NextTimeout() { return impl_->NextTimeout(); }

size_t Checker::Process(absl::Span<const FdEvents> ready) {
  return impl_->Process(ready);
}

v1::HealthReport Checker::ProbeHealth() { return impl_->ProbeHealth(); }

std::vector<v1::ZoneHealth> Checker::ProbedHealth() const {
  return impl_->ProbedHealth();
}

absl::Span<const v1::Zone> Checker::zones() const { return impl_->zones(); }

const std::string& Checker::resolver_description() const {
  return impl_->resolver_description();
}

ResolutionMode Checker::resolution() const { return impl_->resolution(); }

const std::vector<std::string>& Checker::warnings() const {
  return impl_->warnings();
}

int64_t Checker::local_answers() const { return impl_->local_answers(); }

AnswerCacheStats Checker::answer_cache_stats() const {
  return impl_->answer_cache_stats();
}

}  // namespace dnsbl
