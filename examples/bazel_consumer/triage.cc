// Another project's tool built against dnsbl from its own Bazel workspace:
// sorts the addresses given into those a notice may be sent about, those
// that are clean, and those that could not be decided.
//
// usage: triage --nameserver=HOST:PORT --catalog=FILE ADDRESS...

#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/strip.h"
#include "dnsbl/dnsbl.h"

int main(int argc, char** argv) {
  dnsbl::CheckerOptions options;
  options.contacts = false;
  std::vector<std::string> addresses;
  for (int i = 1; i < argc; ++i) {
    absl::string_view arg = argv[i];
    if (absl::ConsumePrefix(&arg, "--nameserver=")) {
      options.nameservers = {std::string(arg)};
    } else if (absl::ConsumePrefix(&arg, "--catalog=")) {
      absl::StatusOr<dnsbl::v1::Catalog> catalog =
          dnsbl::LoadCatalogFile(std::string(arg));
      if (!catalog.ok()) {
        std::cerr << "triage: " << catalog.status().message() << "\n";
        return 2;
      }
      options.catalog =
          std::make_shared<const dnsbl::v1::Catalog>(*std::move(catalog));
    } else {
      addresses.emplace_back(arg);
    }
  }
  absl::StatusOr<std::unique_ptr<dnsbl::Checker>> checker =
      dnsbl::Checker::Create(options);
  if (!checker.ok()) {
    std::cerr << "triage: " << checker.status().message() << "\n";
    return 2;
  }
  int undecided = 0;
  for (const std::string& address : addresses) {
    absl::StatusOr<dnsbl::v1::Report> report = (*checker)->Check(address);
    if (!report.ok()) {
      std::cerr << "triage: " << report.status().message() << "\n";
      return 2;
    }
    const char* pile = "clean";
    switch (dnsbl::VerdictOf(report->summary())) {
      case dnsbl::Verdict::kListed:
        pile = "notice";
        break;
      case dnsbl::Verdict::kIncomplete:
        pile = "undecided";
        ++undecided;
        break;
      default:
        break;
    }
    std::cout << pile << "\t" << report->address() << "\t"
              << dnsbl::VerdictLine(*report) << "\n";
  }
  return undecided > 0 ? 3 : 0;
}
