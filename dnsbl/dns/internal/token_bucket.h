// dnsbl/dns/internal/token_bucket.h
//
// A rate limit: questions per second with a bounded burst. AdaptiveResolver
// keeps one overall, one per zone (the operators' fair-use limits) and one
// that paces sends over the round trip. Pure: time is passed in.
//
// Example:
//
//   dnsbl::TokenBucket bucket(/*rate=*/5, /*burst=*/1, now);
//   if (bucket.TryTake(now)) Send(); else Wait(bucket.TimeToToken(now));

#ifndef DNSBL_DNSBL_DNS_INTERNAL_TOKEN_BUCKET_H_
#define DNSBL_DNSBL_DNS_INTERNAL_TOKEN_BUCKET_H_

#include "absl/time/time.h"

namespace dnsbl {

// A token bucket: `rate` tokens per second, holding at most `burst`.
// A rate of 0 means unlimited. Pure; thread-compatible.
class TokenBucket {
 public:
  TokenBucket(double rate, double burst, absl::Time now);

  // Takes a token if one is there at `now`.
  bool TryTake(absl::Time now);

  // Returns how long from `now` until a token is there (zero if one is).
  absl::Duration TimeToToken(absl::Time now);

  bool unlimited() const { return rate_ <= 0; }

  // Changes the rate and burst from now on.
  void SetRate(double rate, double burst, absl::Time now);

 private:
  void Refill(absl::Time now);

  double rate_;
  double burst_;
  double tokens_;
  absl::Time last_;
};

}  // namespace dnsbl

#endif  // DNSBL_DNSBL_DNS_INTERNAL_TOKEN_BUCKET_H_
