// tests/netns.h
//
// A private network namespace for tests that run a whole DNS hierarchy on
// this machine: a root, a TLD and blocklists' own servers, each on port 53
// of its own loopback address, as the real ones are on the internet. In
// the namespace nothing but loopback exists, so nothing a test does can
// reach any other address; a private mount namespace lets a test give the
// processes it starts an /etc/resolv.conf of its own (a dead or lying
// system resolver).
//
// Example (tests/netns_main.cc does this before any test runs):
//
//   absl::Status s = dnsbl::testing::EnterPrivateNetwork();
//   ...
//   ASSERT_TRUE(dnsbl::testing::ReplaceResolvConf(
//       "nameserver 127.0.0.99\n").ok());

#ifndef DNSBL_TESTS_NETNS_H_
#define DNSBL_TESTS_NETNS_H_

#include <string>

#include "absl/status/status.h"

namespace dnsbl::testing {

// Moves this process into new network and mount namespaces (as root; CI
// runs as root), brings up loopback there, and checks that loopback is the
// only interface. Must run before any thread starts. Returns
// FailedPrecondition saying what to do when it cannot.
absl::Status EnterPrivateNetwork();

// Returns whether EnterPrivateNetwork() succeeded in this process.
bool InPrivateNetwork();

// Makes /etc/resolv.conf read `text` for this process and those it starts
// from now on (a bind mount in the private mount namespace). REQUIRES:
// InPrivateNetwork().
absl::Status ReplaceResolvConf(const std::string& text);

}  // namespace dnsbl::testing

#endif  // DNSBL_TESTS_NETNS_H_
