#include "dnsbl/dns/internal/token_bucket.h"

#include <algorithm>

namespace dnsbl {

TokenBucket::TokenBucket(double rate, double burst, absl::Time now)
    : rate_(rate), burst_(std::max(1.0, burst)), tokens_(burst_), last_(now) {}

void TokenBucket::Refill(absl::Time now) {
  if (now <= last_) return;
  tokens_ =
      std::min(burst_, tokens_ + rate_ * absl::ToDoubleSeconds(now - last_));
  last_ = now;
}

void TokenBucket::SetRate(double rate, double burst, absl::Time now) {
  Refill(now);
  rate_ = rate;
  burst_ = std::max(1.0, burst);
  tokens_ = std::min(tokens_, burst_);
}

bool TokenBucket::TryTake(absl::Time now) {
  if (unlimited()) return true;
  Refill(now);
  if (tokens_ < 1) return false;
  tokens_ -= 1;
  return true;
}

absl::Duration TokenBucket::TimeToToken(absl::Time now) {
  if (unlimited()) return absl::ZeroDuration();
  Refill(now);
  if (tokens_ >= 1) return absl::ZeroDuration();
  // Never zero without a token: a wait rounded to nothing over 0.9999999
  // tokens would let the caller send unpaced (dnsbl/dns/ADAPTIVE.md).
  return std::max(absl::Nanoseconds(1), absl::Seconds((1 - tokens_) / rate_));
}

}  // namespace dnsbl
