#include "dnsbl/contacts/internal/rdap.h"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace dnsbl {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

std::string Sample(const std::string& name) {
  std::ifstream in(absl::StrCat(std::getenv("TEST_SRCDIR"),
                                "/dnsbl/dnsbl/contacts/testdata/", name));
  EXPECT_TRUE(in.good()) << name;
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

IpAddress Ip(const char* text) { return *IpAddress::Parse(text); }

HttpResponse Ok(std::string body) {
  HttpResponse r;
  r.status = 200;
  r.body = std::move(body);
  return r;
}

std::vector<std::string> Emails(const RdapAnswer& answer) {
  std::vector<std::string> out;
  for (const v1::Contact& c : answer.contacts) out.push_back(c.email());
  return out;
}

// One row per registry shape: the facts each answer must yield.
struct Shape {
  const char* file;
  const char* address;
  const char* base_url;
  const char* registry;
  const char* prefix;
  const char* handle;
  const char* country;
  const char* allocated;
  std::vector<std::string> emails;
};

TEST(InterpretRdapTest, ReadsEachRegistrysShape) {
  const Shape shapes[] = {
      {"rdap_arin.json",
       "192.0.2.7",
       "https://rdap.arin.net/registry/",
       "arin",
       "192.0.2.0/24",
       "NET-192-0-2-0-1",
       "",
       "2004-01-01",
       {"abuse@example.net"}},
      {"rdap_ripe.json",
       "198.51.100.7",
       "https://rdap.db.ripe.net/",
       "ripencc",
       "198.51.100.0/25",
       "198.51.100.0 - 198.51.100.127",
       "NL",
       "",
       {"abuse@example.nl"}},
      {"rdap_apnic.json",
       "203.0.113.9",
       "https://rdap.apnic.net/",
       "apnic",
       "203.0.113.0/24",
       "203.0.113.0 - 203.0.113.255",
       "AU",
       "2010-03-02",
       {"security@example.com.au", "abuse@example.com.au"}},
      {"rdap_lacnic.json",
       "198.51.100.200",
       "https://rdap.lacnic.net/rdap/",
       "lacnic",
       "198.51.100.128/25",
       "198.51.100.128/25",
       "BR",
       "2015-07-20",
       {"abuse@exemplo.com.br"}},
      {"rdap_afrinic.json",
       "2001:db8:a::25",
       "https://rdap.afrinic.net/rdap/",
       "afrinic",
       "2001:db8:a::/48",
       "2001:db8:a::/48",
       "ZA",
       "2012-11-05",
       {"abuse@example.co.za"}},
  };
  for (const Shape& s : shapes) {
    SCOPED_TRACE(s.file);
    const IpAddress ip = Ip(s.address);
    const std::string url = RdapIpQuery(s.base_url, ip);
    RdapAnswer answer = InterpretRdap(ip, url, Ok(Sample(s.file)));
    EXPECT_TRUE(answer.source.answered()) << answer.source.detail();
    EXPECT_EQ(answer.source.source(), "rdap");
    EXPECT_EQ(answer.source.query(), url);
    ASSERT_TRUE(answer.network.has_value());
    EXPECT_EQ(answer.network->source(), "rdap");
    EXPECT_EQ(answer.network->registry(), s.registry);
    EXPECT_EQ(answer.network->prefix(), s.prefix);
    EXPECT_EQ(answer.network->rdap_handle(), s.handle);
    EXPECT_EQ(answer.network->country(), s.country);
    EXPECT_EQ(answer.network->allocated(), s.allocated);
    EXPECT_EQ(Emails(answer), s.emails);
    for (const v1::Contact& c : answer.contacts) {
      EXPECT_EQ(c.source(), "rdap");
      EXPECT_EQ(c.role(), "abuse");
      EXPECT_EQ(c.network(), s.prefix);
    }
    ASSERT_TRUE(answer.covers.has_value());
    EXPECT_FALSE(ip < answer.covers->first);
    EXPECT_FALSE(answer.covers->last < ip);
  }
}

TEST(InterpretRdapTest, OnlyAbuseRolesAreContacts) {
  // ARIN's sample also names a NOC mailbox; it is not an abuse desk.
  RdapAnswer answer = InterpretRdap(
      Ip("192.0.2.7"), "https://rdap.arin.net/registry/ip/192.0.2.7",
      Ok(Sample("rdap_arin.json")));
  EXPECT_THAT(Emails(answer), ElementsAre("abuse@example.net"));
}

TEST(InterpretRdapTest, NetworkWithoutAbuseRoleSaysSo) {
  RdapAnswer answer =
      InterpretRdap(Ip("192.0.2.7"), "https://x.example/ip/192.0.2.7",
                    Ok(R"({"objectClassName": "ip network",
          "handle": "H1", "startAddress": "192.0.2.0",
          "endAddress": "192.0.2.255"})"));
  EXPECT_TRUE(answer.source.answered());
  EXPECT_THAT(answer.contacts, IsEmpty());
  EXPECT_THAT(answer.source.detail(), HasSubstr("names no abuse mailbox"));
  EXPECT_EQ(answer.network->registry(), "x.example");
}

TEST(InterpretRdapTest, RangeThatIsNotOneBlockIsShownAsARange) {
  RdapAnswer answer = InterpretRdap(Ip("192.0.2.7"), "https://x.example/",
                                    Ok(R"({"objectClassName": "ip network",
          "startAddress": "192.0.2.0", "endAddress": "192.0.2.9"})"));
  ASSERT_TRUE(answer.network.has_value());
  EXPECT_EQ(answer.network->prefix(), "192.0.2.0 - 192.0.2.9");
}

// Registries' older shapes, read where their meaning is plain.
TEST(InterpretRdapTest, ReadsOldAddressShapes) {
  RdapAnswer padded = InterpretRdap(Ip("10.45.0.1"), "https://x.example/",
                                    Ok(R"({"objectClassName": "ip network",
          "startAddress": "010.000.000.000",
          "endAddress": "010.057.255.255"})"));
  ASSERT_TRUE(padded.network.has_value()) << padded.source.detail();
  EXPECT_EQ(padded.network->prefix(), "10.0.0.0 - 10.57.255.255");
  RdapAnswer single = InterpretRdap(Ip("2001:db8::5"), "https://x.example/",
                                    Ok(R"({"startAddress": "2001:db8::/128",
          "endAddress": "2001:db8::ffff/128"})"));
  ASSERT_TRUE(single.network.has_value()) << single.source.detail();
  EXPECT_EQ(single.network->prefix(), "2001:db8::/112");
  // Anything less plain is not guessed at.
  for (const char* bad : {R"("2001:db8::/64", "endAddress": "2001:db8::ffff")",
                          R"("10.0.0.0256", "endAddress": "10.0.0.255")",
                          R"("10.0.0", "endAddress": "10.0.0.255")"}) {
    RdapAnswer answer = InterpretRdap(
        Ip(absl::StrContains(bad, ":") ? "2001:db8::5" : "10.0.0.5"),
        "https://x.example/",
        Ok(absl::StrCat(R"({"objectClassName": "ip network", "startAddress": )",
                        bad, "}")));
    EXPECT_FALSE(answer.source.answered()) << bad;
  }
  // An object that says it is something else is not a network.
  RdapAnswer entity = InterpretRdap(Ip("10.0.0.5"), "https://x.example/",
                                    Ok(R"({"objectClassName": "entity",
          "startAddress": "10.0.0.0", "endAddress": "10.0.0.255"})"));
  EXPECT_FALSE(entity.source.answered());
}

TEST(InterpretRdapTest, RangeNotHoldingTheAddressIsRejected) {
  // A server (or a cache in front of it) answering about another network
  // must not be believed, nor reused for the addresses it names.
  RdapAnswer answer = InterpretRdap(Ip("192.0.2.7"), "https://x.example/",
                                    Ok(R"({"objectClassName": "ip network",
          "startAddress": "198.51.100.0", "endAddress": "198.51.100.255"})"));
  EXPECT_FALSE(answer.source.answered());
  EXPECT_EQ(answer.source.error(), v1::MALFORMED);
  EXPECT_THAT(answer.source.detail(), HasSubstr("does not hold 192.0.2.7"));
  EXPECT_FALSE(answer.network.has_value());
  EXPECT_FALSE(answer.covers.has_value());
}

TEST(InterpretRdapTest, HostileStringsAreEscapedAndBadMailboxesRefused) {
  std::string body = R"({"objectClassName": "ip network",
      "handle": "NET\u001b[31mRED", "name": "A\r\nInjected: yes",
      "country": "N\u0007",
      "startAddress": "192.0.2.0", "endAddress": "192.0.2.255",
      "entities": [{"roles": ["abuse"], "vcardArray": ["vcard", [
        ["email", {}, "text", "abuse@example.net\r\nBcc: victim@example.org"],
        ["email", {}, "text", "two words@example.net"],
        ["email", {}, "text", "\u0000@example.net"],
        ["email", {}, "text", 42],
        ["email", {}, "text", "good@example.net"]]]}]})";
  RdapAnswer answer =
      InterpretRdap(Ip("192.0.2.7"), "https://x.example/", Ok(body));
  ASSERT_TRUE(answer.network.has_value());
  EXPECT_EQ(answer.network->rdap_handle(), "NET\\x1b[31mRED");
  EXPECT_EQ(answer.network->rdap_name(), "A\\x0d\\x0aInjected: yes");
  EXPECT_EQ(answer.network->country(), "");
  EXPECT_THAT(Emails(answer), ElementsAre("good@example.net"));
  EXPECT_THAT(answer.source.detail(), HasSubstr("ignored"));
  for (char c : answer.source.detail()) {
    EXPECT_FALSE(c == '\r' || c == '\n' || c == '\0' || c == '\x1b');
  }
}

TEST(InterpretRdapTest, BodiesThatAreNotRdapAreMalformed) {
  for (const char* body :
       {"", "not json", "{\"objectClassName\": \"ip network\"", "[1, 2, 3]",
        "{\"objectClassName\": \"entity\"}",
        "{\"objectClassName\": \"ip network\", \"entities\": 7}",
        "{\"objectClassName\": \"ip network\"}",
        "<html>Service Unavailable</html>"}) {
    SCOPED_TRACE(body);
    RdapAnswer answer =
        InterpretRdap(Ip("192.0.2.7"), "https://x.example/", Ok(body));
    EXPECT_FALSE(answer.source.answered());
    EXPECT_EQ(answer.source.error(), v1::MALFORMED);
    EXPECT_FALSE(answer.source.detail().empty());
    EXPECT_FALSE(answer.network.has_value());
    EXPECT_THAT(answer.contacts, IsEmpty());
  }
}

TEST(InterpretRdapTest, InvalidUtf8NeverReachesTheReport) {
  std::string body =
      "{\"objectClassName\": \"ip network\", \"name\": \"bad\xff\xfe\", "
      "\"startAddress\": \"192.0.2.0\", \"endAddress\": \"192.0.2.255\"}";
  RdapAnswer answer =
      InterpretRdap(Ip("192.0.2.7"), "https://x.example/", Ok(body));
  if (answer.network.has_value()) {
    EXPECT_EQ(answer.network->rdap_name().find('\xff'), std::string::npos);
  } else {
    EXPECT_EQ(answer.source.error(), v1::MALFORMED);
  }
  EXPECT_EQ(answer.source.detail().find('\xff'), std::string::npos);
}

TEST(InterpretRdapTest, HttpOutcomes) {
  const IpAddress ip = Ip("192.0.2.7");
  HttpResponse not_found;
  not_found.status = 404;
  RdapAnswer a = InterpretRdap(ip, "https://x.example/", not_found);
  EXPECT_TRUE(a.source.answered());
  EXPECT_THAT(a.source.detail(), HasSubstr("no network"));
  EXPECT_FALSE(a.network.has_value());

  HttpResponse limited;
  limited.status = 429;
  limited.retry_after = absl::Seconds(30);
  a = InterpretRdap(ip, "https://x.example/", limited);
  EXPECT_FALSE(a.source.answered());
  EXPECT_EQ(a.source.error(), v1::RATE_LIMITED);
  EXPECT_THAT(a.source.detail(), HasSubstr("retry after 30s"));
  EXPECT_EQ(a.retry_after, absl::Seconds(30));

  HttpResponse broken;
  broken.status = 500;
  broken.body = R"({"errorCode": 500, "title": "Internal\u001b error"})";
  a = InterpretRdap(ip, "https://x.example/", broken);
  EXPECT_EQ(a.source.error(), v1::HTTP_ERROR);
  EXPECT_EQ(a.source.detail(), "HTTP 500: Internal\\x1b error");

  struct Failure {
    HttpResponse::Failure failure;
    v1::ErrorKind kind;
  };
  for (Failure f :
       {Failure{HttpResponse::Failure::kTimeout, v1::TIMEOUT},
        Failure{HttpResponse::Failure::kTransport, v1::UNREACHABLE},
        Failure{HttpResponse::Failure::kTooLarge, v1::MALFORMED},
        Failure{HttpResponse::Failure::kTooManyRedirects, v1::OTHER_ERROR}}) {
    HttpResponse r;
    r.failure = f.failure;
    r.error = "why";
    a = InterpretRdap(ip, "https://x.example/", r);
    EXPECT_FALSE(a.source.answered());
    EXPECT_EQ(a.source.error(), f.kind);
    EXPECT_EQ(a.source.detail(), "why");
  }
}

TEST(InterpretRdapTest, RedirectNamesTheRegistryThatAnswered) {
  HttpResponse r = Ok(Sample("rdap_ripe.json"));
  r.redirects = 1;
  r.final_url = "https://rdap.db.ripe.net/ip/198.51.100.7";
  RdapAnswer answer = InterpretRdap(
      Ip("198.51.100.7"), "https://rdap.arin.net/registry/ip/198.51.100.7", r);
  ASSERT_TRUE(answer.network.has_value());
  EXPECT_EQ(answer.network->registry(), "ripencc");
  EXPECT_THAT(answer.source.detail(), HasSubstr("after a redirect"));
}

TEST(RdapIpQueryTest, JoinsBaseAndAddress) {
  EXPECT_EQ(RdapIpQuery("https://rdap.apnic.net/", Ip("203.0.113.9")),
            "https://rdap.apnic.net/ip/203.0.113.9");
  EXPECT_EQ(RdapIpQuery("https://127.0.0.1:8443/rdap", Ip("2001:db8::1")),
            "https://127.0.0.1:8443/rdap/ip/2001:db8::1");
}

TEST(RegistryOfUrlTest, NamesTheRirs) {
  EXPECT_EQ(RegistryOfUrl("https://rdap.arin.net/registry/ip/1"), "arin");
  EXPECT_EQ(RegistryOfUrl("https://rdap.db.ripe.net/ip/1"), "ripencc");
  EXPECT_EQ(RegistryOfUrl("https://jpnic.rdap.apnic.net/"), "apnic");
  EXPECT_EQ(RegistryOfUrl("https://rdap.lacnic.net/rdap/"), "lacnic");
  EXPECT_EQ(RegistryOfUrl("https://rdap.afrinic.net/rdap/"), "afrinic");
  EXPECT_EQ(RegistryOfUrl("https://127.0.0.1:8443/x"), "127.0.0.1");
  EXPECT_EQ(RegistryOfUrl("https://notarin.net/"), "notarin.net");
}

}  // namespace
}  // namespace dnsbl
