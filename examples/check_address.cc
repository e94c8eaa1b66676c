// A small program that links the dnsbl library, as another tool would:
// check one address and print whether it may be an open relay or proxy.
//
// usage: check_address ADDRESS [NAMESERVER [CATALOG.textproto]]

#include <iostream>
#include <memory>

#include "dnsbl/dnsbl.h"

int main(int argc, char** argv) {
  if (argc < 2 || argc > 4) {
    std::cerr << "usage: check_address ADDRESS [NAMESERVER [CATALOG]]\n";
    return 2;
  }
  dnsbl::CheckerOptions options;
  if (argc >= 3) options.nameservers = {argv[2]};
  if (argc == 4) {
    absl::StatusOr<dnsbl::v1::Catalog> catalog =
        dnsbl::LoadCatalogFile(argv[3]);
    if (!catalog.ok()) {
      std::cerr << catalog.status().message() << "\n";
      return 2;
    }
    options.catalog =
        std::make_shared<const dnsbl::v1::Catalog>(*std::move(catalog));
  }
  absl::StatusOr<std::unique_ptr<dnsbl::Checker>> checker =
      dnsbl::Checker::Create(options);
  if (!checker.ok()) {
    std::cerr << checker.status().message() << "\n";
    return 2;
  }
  absl::StatusOr<dnsbl::v1::Report> report = (*checker)->Check(argv[1]);
  if (!report.ok()) {
    std::cerr << report.status().message() << "\n";
    return 2;
  }
  const dnsbl::v1::Summary& summary = report->summary();
  std::cout << dnsbl::VerdictLine(*report) << "\n";
  if (summary.open_relay_by_size() + summary.open_proxy_by_size() > 0) {
    std::cout << "A notice about an open relay or open proxy is supported by "
              << summary.open_relay_by_size() + summary.open_proxy_by_size()
              << " listing(s).\n";
  }
  switch (dnsbl::VerdictOf(summary)) {
    case dnsbl::Verdict::kListed:
      return 1;
    case dnsbl::Verdict::kIncomplete:
      return 3;
    case dnsbl::Verdict::kNotListed:
      return 0;
  }
  return 0;
}
