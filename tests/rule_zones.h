// tests/rule_zones.h
//
// Catalog zones (text format, one "zone { ... }" each) that exercise the
// answer rules, shared by the unit tests of interpretation and the
// rbldnsd-backed tests of the same rules.
//
// Example:
//
//   absl::StatusOr<dnsbl::v1::Catalog> catalog =
//       dnsbl::ParseCatalog(dnsbl::testing::kBitmaskZone, "test");

#ifndef DNSBL_TESTS_RULE_ZONES_H_
#define DNSBL_TESTS_RULE_ZONES_H_

namespace dnsbl::testing {

// MAPS RBL+ style: every code one bit, so 127.0.0.12 is an open relay (4)
// that is also an open proxy (8).
inline constexpr char kBitmaskZone[] = R"pb(
  zone {
    name: "mask.test"
    ipv4: true
    code {
      value: "127.0.0.1"
      category: SPAM_SOURCE
      meaning: "RBL"
      bitmask: true
    }
    code { value: "127.0.0.2" category: POLICY meaning: "DUL" bitmask: true }
    code {
      value: "127.0.0.4"
      category: OPEN_RELAY
      meaning: "RSS"
      bitmask: true
    }
    code {
      value: "127.0.0.8"
      category: OPEN_PROXY
      meaning: "OPS"
      bitmask: true
    }
  }
)pb";

// SpamRATS style: the operator documents every answer.
inline constexpr char kExhaustiveZone[] = R"pb(
  zone {
    name: "rats.test"
    ipv4: true
    exhaustive_codes: true
    code { value: "127.0.0.36" category: ABUSE meaning: "Dyna" }
    code { value: "127.0.0.38" category: SPAM_SOURCE meaning: "Spam" }
    refused_code: "127.255.255.*"
  }
)pb";

// SpamCop style: a listing counts only with the operator's own reason.
inline constexpr char kTxtGuardZone[] = R"pb(
  zone {
    name: "cop.test"
    ipv4: true
    txt_must_contain: "spamcop"
    default_category: SPAM_SOURCE
  }
)pb";

}  // namespace dnsbl::testing

#endif  // DNSBL_TESTS_RULE_ZONES_H_
