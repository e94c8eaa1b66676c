// dnsbl/version.h
//
// The library's version, for programs and builds that need to know which
// dnsbl they compiled against. The installed dnsbl.pc and CMake package
// carry the same version (tools/install.sh reads it from here). The
// report schema has its own version in its package name (dnsbl.v1).
//
// Example:
//
//   #if DNSBL_VERSION_MAJOR == 0 && DNSBL_VERSION_MINOR < 2
//   // ... work around something older ...
//   #endif
//   std::cout << "dnsbl " << DNSBL_VERSION_STRING << "\n";

#ifndef DNSBL_DNSBL_VERSION_H_
#define DNSBL_DNSBL_VERSION_H_

#define DNSBL_VERSION_MAJOR 0
#define DNSBL_VERSION_MINOR 1
#define DNSBL_VERSION_PATCH 0
#define DNSBL_VERSION_STRING "0.1.0"

#endif  // DNSBL_DNSBL_VERSION_H_
