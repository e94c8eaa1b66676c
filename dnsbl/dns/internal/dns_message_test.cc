#include "dnsbl/dns/internal/dns_message.h"

#include <cstdint>
#include <string>
#include <tuple>
#include <vector>

#include "absl/strings/str_split.h"
#include "dnsbl/base/address.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace dnsbl {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// Writes DNS messages byte by byte, as a server would.
class Packet {
 public:
  Packet& U16(uint16_t v) {
    bytes_.push_back(static_cast<uint8_t>(v >> 8));
    bytes_.push_back(static_cast<uint8_t>(v));
    return *this;
  }
  Packet& U32(uint32_t v) { return U16(v >> 16).U16(v & 0xffff); }
  Packet& Byte(uint8_t b) {
    bytes_.push_back(b);
    return *this;
  }
  // An uncompressed name, "" for the root.
  Packet& Name(const std::string& name) {
    if (!name.empty()) {
      for (absl::string_view label : absl::StrSplit(name, '.')) {
        Byte(static_cast<uint8_t>(label.size()));
        for (char c : label) Byte(static_cast<uint8_t>(c));
      }
    }
    return Byte(0);
  }
  Packet& Pointer(uint16_t offset) { return U16(0xc000 | offset); }
  Packet& Header(uint16_t flags, uint16_t qd, uint16_t an, uint16_t ns,
                 uint16_t ar) {
    return U16(0x1234).U16(flags).U16(qd).U16(an).U16(ns).U16(ar);
  }
  Packet& Question(const std::string& name, uint16_t type) {
    return Name(name).U16(type).U16(1);
  }
  // A record's fixed part; `rdlength` bytes of data must follow.
  Packet& Record(const std::string& owner, uint16_t type, uint32_t ttl,
                 uint16_t rdlength) {
    return Name(owner).U16(type).U16(1).U32(ttl).U16(rdlength);
  }
  size_t size() const { return bytes_.size(); }
  const std::vector<uint8_t>& bytes() const { return bytes_; }

 private:
  std::vector<uint8_t> bytes_;
};

size_t WireLength(const std::string& name) { return name.size() + 2; }

TEST(DnsMessageTest, ReadsAReferralWithGlue) {
  // What the server of "example" says when asked about a name in
  // "bl.example": go to ns1.bl.example (127.0.0.20).
  Packet p;
  p.Header(0x8000, 1, 0, 1, 1)
      .Question("2.0.0.127.bl.example", kDnsA)
      .Record("bl.example", kDnsNs, 3600, WireLength("ns1.bl.example"))
      .Name("ns1.bl.example")
      .Record("ns1.bl.example", kDnsA, 3600, 4)
      .Byte(127)
      .Byte(0)
      .Byte(0)
      .Byte(20);
  absl::StatusOr<DnsMessage> m = ParseDnsMessage(p.bytes());
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_TRUE(m->response);
  EXPECT_FALSE(m->authoritative);
  EXPECT_TRUE(IsReferral(*m));
  absl::StatusOr<DnsMessageSummary> summary = SummarizeDnsMessage(p.bytes());
  ASSERT_TRUE(summary.ok()) << summary.status();
  EXPECT_TRUE(summary->referral());
  EXPECT_TRUE(summary->authority_ns);
  EXPECT_FALSE(summary->authority_soa);
  ASSERT_EQ(m->questions.size(), 1u);
  EXPECT_EQ(m->questions[0].name, "2.0.0.127.bl.example");
  ASSERT_EQ(m->authority.size(), 1u);
  EXPECT_EQ(m->authority[0].owner, "bl.example");
  EXPECT_EQ(m->authority[0].target, "ns1.bl.example");
  EXPECT_EQ(m->authority[0].ttl, 3600u);
  ASSERT_EQ(m->additional.size(), 1u);
  EXPECT_EQ(m->additional[0].address, "127.0.0.20");
}

TEST(DnsMessageTest, AnAuthoritativeNegativeAnswerIsNoReferral) {
  Packet p;
  const std::string mname = "ns1.bl.example";
  const std::string rname = "hostmaster.bl.example";
  p.Header(0x8403, 1, 0, 1, 0)
      .Question("5.0.0.127.bl.example", kDnsA)
      .Record("BL.Example", kDnsSoa, 60,
              WireLength(mname) + WireLength(rname) + 20)
      .Name(mname)
      .Name(rname)
      .U32(1)
      .U32(600)
      .U32(300)
      .U32(86400)
      .U32(60);
  absl::StatusOr<DnsMessage> m = ParseDnsMessage(p.bytes());
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_TRUE(m->authoritative);
  EXPECT_EQ(m->rcode, kRcodeNxDomain);
  EXPECT_FALSE(IsReferral(*m));
  EXPECT_EQ(AuthoritySoaOwner(*m), "bl.example");  // Lower case.
  absl::StatusOr<DnsMessageSummary> summary = SummarizeDnsMessage(p.bytes());
  ASSERT_TRUE(summary.ok()) << summary.status();
  EXPECT_EQ(summary->authority_soa_owner, "bl.example");
  EXPECT_EQ(summary->rcode, kRcodeNxDomain);
  EXPECT_FALSE(summary->referral());
  EXPECT_EQ(m->authority[0].target, mname);
  EXPECT_EQ(m->authority[0].soa_minimum, 60u);
  // RFC 2308: the smaller of the SOA's TTL (60) and MINIMUM (60).
  EXPECT_EQ(summary->negative_ttl, 60);
}

TEST(DnsMessageTest, NegativeTtlIsTheSmallerOfSoaTtlAndMinimum) {
  for (auto [ttl, minimum, expected] :
       {std::tuple{3600u, 900u, 900}, std::tuple{120u, 900u, 120}}) {
    Packet p;
    p.Header(0x8403, 1, 0, 1, 0)
        .Question("5.0.0.127.bl.example", kDnsA)
        .Record("bl.example", kDnsSoa, ttl, 1 + 1 + 20)
        .Name("")
        .Name("")
        .U32(1)
        .U32(600)
        .U32(300)
        .U32(86400)
        .U32(minimum);
    absl::StatusOr<DnsMessageSummary> summary = SummarizeDnsMessage(p.bytes());
    ASSERT_TRUE(summary.ok()) << summary.status();
    EXPECT_EQ(summary->negative_ttl, expected);
  }
  Packet none;
  none.Header(0x8403, 1, 0, 0, 0).Question("5.0.0.127.bl.example", kDnsA);
  EXPECT_EQ(SummarizeDnsMessage(none.bytes())->negative_ttl, -1);
}

TEST(DnsMessageTest, FollowsCompressionPointersBackwards) {
  Packet p;
  p.Header(0x8400, 1, 1, 0, 0);
  const size_t question = p.size();
  p.Question("bl.example", kDnsNs);
  // Owner: a pointer to the question; target: "ns1" then a pointer.
  p.Pointer(static_cast<uint16_t>(question))
      .U16(kDnsNs)
      .U16(1)
      .U32(300)
      .U16(6)
      .Byte(3)
      .Byte('n')
      .Byte('s')
      .Byte('1')
      .Pointer(static_cast<uint16_t>(question));
  absl::StatusOr<DnsMessage> m = ParseDnsMessage(p.bytes());
  ASSERT_TRUE(m.ok()) << m.status();
  ASSERT_EQ(m->answers.size(), 1u);
  EXPECT_EQ(m->answers[0].owner, "bl.example");
  EXPECT_EQ(m->answers[0].target, "ns1.bl.example");
}

TEST(DnsMessageTest, RefusesAPointerThatDoesNotPointBack) {
  Packet p;
  p.Header(0x8000, 1, 0, 0, 0);
  // A pointer to itself: a loop.
  p.Pointer(static_cast<uint16_t>(p.size())).U16(1).U16(1);
  absl::StatusOr<DnsMessage> m = ParseDnsMessage(p.bytes());
  ASSERT_FALSE(m.ok());
  EXPECT_THAT(m.status().message(), HasSubstr("does not point back"));
  EXPECT_FALSE(SummarizeDnsMessage(p.bytes()).ok());
}

TEST(DnsMessageTest, RefusesNamesOver255Bytes) {
  Packet p;
  p.Header(0x8000, 1, 0, 0, 0);
  for (int i = 0; i < 5; ++i) {
    p.Byte(60);
    for (int j = 0; j < 60; ++j) p.Byte('a');
  }
  p.Byte(0).U16(1).U16(1);
  absl::StatusOr<DnsMessage> m = ParseDnsMessage(p.bytes());
  ASSERT_FALSE(m.ok());
  EXPECT_THAT(m.status().message(), HasSubstr("longer than 255"));
}

TEST(DnsMessageTest, EscapesBytesThatAreNotHostnameCharacters) {
  Packet p;
  p.Header(0x8000, 1, 0, 0, 0);
  // One label "a.b": must not read as the two labels "a" and "b".
  p.Byte(3).Byte('a').Byte('.').Byte('b').Byte(0).U16(1).U16(1);
  absl::StatusOr<DnsMessage> m = ParseDnsMessage(p.bytes());
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ(m->questions[0].name, "a\\046b");
  EXPECT_FALSE(NameAtOrBelow(m->questions[0].name, "b"));
}

TEST(DnsMessageTest, ReadsTxtStringsAndAaaa) {
  Packet p;
  p.Header(0x8400, 0, 2, 0, 0)
      .Record("x.bl.example", kDnsTxt, 300, 1 + 2 + 1 + 3)
      .Byte(2)
      .Byte('h')
      .Byte('i')
      .Byte(3)
      .Byte('y')
      .Byte('o')
      .Byte('u')
      .Record("ns.example", kDnsAaaa, 300, 16);
  for (int i = 0; i < 15; ++i) p.Byte(0);
  p.Byte(1);
  absl::StatusOr<DnsMessage> m = ParseDnsMessage(p.bytes());
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_THAT(m->answers[0].strings, ElementsAre("hi", "you"));
  EXPECT_EQ(m->answers[1].address, "::1");
}

TEST(DnsMessageTest, RefusesRecordsThatDoNotFit) {
  // Each a valid message cut short, or with data of the wrong size.
  Packet a_too_short;
  a_too_short.Header(0x8000, 0, 1, 0, 0).Record("x", kDnsA, 1, 3);
  a_too_short.Byte(1).Byte(2).Byte(3);
  Packet past_end;
  past_end.Header(0x8000, 0, 1, 0, 0).Record("x", kDnsA, 1, 4).Byte(1);
  Packet txt_past_data;
  txt_past_data.Header(0x8000, 0, 1, 0, 0).Record("x", kDnsTxt, 1, 2);
  txt_past_data.Byte(5).Byte('a');
  Packet ns_with_tail;
  ns_with_tail.Header(0x8000, 0, 1, 0, 0).Record("x", kDnsNs, 1, 4);
  ns_with_tail.Byte(1).Byte('y').Byte(0).Byte(7);
  Packet short_header;
  short_header.U16(1).U16(2);
  for (const Packet* p : {&a_too_short, &past_end, &txt_past_data,
                          &ns_with_tail, &short_header}) {
    EXPECT_FALSE(ParseDnsMessage(p->bytes()).ok());
  }
}

}  // namespace
}  // namespace dnsbl
