// tests/udp_util.h
//
// Loopback UDP sockets for the test servers and the fault proxy.
//
// Example:
//
//   absl::StatusOr<int> fd = dnsbl::testing::BindUdp("127.0.0.1", 0, false);
//   int port = dnsbl::testing::LocalPort(*fd);

#ifndef DNSBL_TESTS_UDP_UTIL_H_
#define DNSBL_TESTS_UDP_UTIL_H_

#include <netinet/in.h>

#include <string>

#include "absl/status/statusor.h"

namespace dnsbl::testing {

// Returns the IPv4 socket address `address`:`port`.
sockaddr_in SocketAddress(const std::string& address, int port);

// Returns a UDP socket bound to `address`:`port` (0: any free port),
// non-blocking if asked. The caller owns and closes it.
absl::StatusOr<int> BindUdp(const std::string& address, int port,
                            bool nonblocking);

// Returns the local port a socket is bound to.
int LocalPort(int fd);

}  // namespace dnsbl::testing

#endif  // DNSBL_TESTS_UDP_UTIL_H_
