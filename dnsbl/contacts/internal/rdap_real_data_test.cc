// RDAP answers as the five registries really served them (2015-2025,
// ../shared/real-data/rdap, NOTES.md there says what is odd about each):
// every one reads as its network with the abuse mailboxes it names, the
// old shapes included (zero-padded IPv4, /128 suffixes, no objectClassName).

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "dnsbl/contacts/internal/rdap.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace dnsbl {
namespace {

using ::testing::UnorderedElementsAreArray;

std::string ReadRealData(const std::string& name) {
  std::ifstream in(
      absl::StrCat(std::getenv("TEST_SRCDIR"), "/dnsbl_real_data/rdap/", name));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

struct Case {
  const char* file;
  const char* address;  // Asked about; inside the network.
  const char* prefix;
  std::vector<std::string> emails;  // The abuse mailboxes named.
};

TEST(RdapRealDataTest, EveryRegistrysAnswerReadsAsItsNetwork) {
  const Case cases[] = {
      {"arin-1.json", "3.5.7.9", "3.0.0.0/9", {"abuse@amazonaws.com"}},
      {"arin-2.json",
       "2606:4700::1111",
       "2606:4700::/32",
       {"abuse@cloudflare.com"}},
      // Zero-padded addresses, two different abuse POCs.
      {"arin-3.json",
       "108.45.128.208",
       "108.0.0.0 - 108.57.255.255",
       {"abuse-mail@verizonbusiness.com", "abuse@verizon.net"}},
      {"ripe-1.json",
       "193.0.0.1",
       "193.0.0.0/21",
       {"ops@ripe.net", "abuse@ripe.net"}},
      {"ripe-2.json", "86.54.11.100", "86.54.11.0/24", {"abuse@whalebone.io"}},
      // No objectClassName, "/128" after each address.
      {"ripe-3.json",
       "2a00:2381:ffff::1",
       "2a00:2381:ffff::/64",
       {"zzdnsr@bt.com", "steve.a.marshall@bt.com", "lee.bailey-hague@bt.com"}},
      {"apnic-1.json", "1.1.1.1", "1.1.1.0/24", {"helpdesk@apnic.net"}},
      {"apnic-2.json", "2001:240:10c:1::ca20:9d1d", "2001:240::/32", {}},
      {"lacnic-1.json",
       "179.0.0.77",
       "179.0.0.0/23",
       {"tomas.cribb@neuralsoft.com"}},
      // startAddress == endAddress (an old LACNIC bug): the asked address.
      {"lacnic-2.json",
       "2801:10:c000::",
       "2801:10:c000::/128",
       {"sistemas.red@uco.edu.co"}},
      {"afrinic-1.json", "41.0.1.1", "41.0.0.0/16", {}},
      {"afrinic-2.json", "196.11.240.215", "196.11.239.0 - 196.11.246.255", {}},
      {"afrinic-3.json", "2001:43f8:7b0::1", "2001:43f8:7b0::/48", {}},
  };
  int with_mailbox = 0;
  for (const Case& c : cases) {
    SCOPED_TRACE(c.file);
    const std::string body = ReadRealData(c.file);
    ASSERT_FALSE(body.empty())
        << "needs ../shared/real-data beside the checkout";
    HttpResponse response;
    response.status = 200;
    response.body = body;
    const IpAddress address = *IpAddress::Parse(c.address);
    RdapAnswer answer =
        InterpretRdap(address, "https://rdap.example/ip/x", response);
    EXPECT_TRUE(answer.source.answered()) << answer.source.detail();
    ASSERT_TRUE(answer.network.has_value()) << answer.source.detail();
    EXPECT_EQ(answer.network->prefix(), c.prefix);
    std::vector<std::string> emails;
    for (const v1::Contact& contact : answer.contacts) {
      emails.push_back(contact.email());
    }
    EXPECT_THAT(emails, UnorderedElementsAreArray(c.emails));
    with_mailbox += !emails.empty();
    // An address outside the network is never answered by it.
    const IpAddress outside = *IpAddress::Parse(
        address.is_ipv4() ? "203.0.113.250" : "2001:db8:ffff::1");
    EXPECT_FALSE(InterpretRdap(outside, "https://rdap.example/ip/x", response)
                     .source.answered());
  }
  EXPECT_EQ(with_mailbox, 9);
}

}  // namespace
}  // namespace dnsbl
