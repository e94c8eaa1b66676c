// Micro-benchmarks of the per-question and per-report work of a bulk run.
// Each pair of FormatJson benchmarks is a ratio: the fast encoder against
// protobuf's generic printer, measured in the same process.
//
//   bazel run -c opt //bench:micro_bench

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "benchmark/benchmark.h"
#include "dnsbl/base/address.h"
#include "dnsbl/catalog/catalog.h"
#include "dnsbl/input/internal/address_set.h"
#include "dnsbl/output/encode.h"
#include "dnsbl/output/text.h"
#include "dnsbl/verdict/internal/interpret.h"

namespace dnsbl {
namespace {

void BM_QueryNameIpv4(benchmark::State& state) {
  IpAddress ip = *IpAddress::Parse("192.0.2.77");
  for (auto _ : state) {
    benchmark::DoNotOptimize(ip.QueryName("zen.spamhaus.org"));
  }
}
BENCHMARK(BM_QueryNameIpv4);

void BM_QueryNameIpv6(benchmark::State& state) {
  IpAddress ip = *IpAddress::Parse("2001:db8:1234::77");
  for (auto _ : state) {
    benchmark::DoNotOptimize(ip.QueryName("zen.spamhaus.org"));
  }
}
BENCHMARK(BM_QueryNameIpv6);

void BM_ParseAddress(benchmark::State& state) {
  for (auto _ : state) {
    benchmark::DoNotOptimize(IpAddress::Parse("198.51.100.213"));
  }
}
BENCHMARK(BM_ParseAddress);

const v1::Zone& Zen() {
  static const v1::Zone* zone = [] {
    v1::Catalog catalog = *BuiltinCatalog();
    return new v1::Zone(catalog.zone(0));
  }();
  return *zone;
}

void BM_InterpretListed(benchmark::State& state) {
  IpAddress ip = *IpAddress::Parse("192.0.2.77");
  DnsResponse answer;
  answer.outcome = DnsOutcome::kAnswer;
  answer.records = {"127.0.0.4", "127.0.0.10"};
  for (auto _ : state) {
    benchmark::DoNotOptimize(InterpretAnswer(Zen(), ip, answer));
  }
}
BENCHMARK(BM_InterpretListed);

void BM_InterpretNotListed(benchmark::State& state) {
  IpAddress ip = *IpAddress::Parse("192.0.2.77");
  DnsResponse answer;
  answer.outcome = DnsOutcome::kNxDomain;
  for (auto _ : state) {
    benchmark::DoNotOptimize(InterpretAnswer(Zen(), ip, answer));
  }
}
BENCHMARK(BM_InterpretNotListed);

// A report of `zones` results, one in ten listed.
v1::Report MakeReport(int zones) {
  v1::Report report;
  report.set_address("192.0.2.77");
  report.set_resolver("127.0.0.1:53");
  report.mutable_started()->set_seconds(1795000000);
  report.mutable_finished()->set_seconds(1795000000);
  report.mutable_finished()->set_nanos(12345678);
  for (int i = 0; i < zones; ++i) {
    v1::ZoneResult* r = report.add_results();
    r->set_zone(absl::StrCat("zone", i, ".example"));
    r->set_query(absl::StrCat("77.2.0.192.zone", i, ".example"));
    r->set_latency_ms(1.25 + i);
    r->set_attempts(1);
    r->set_health(v1::HEALTHY);
    if (i % 10 == 0) {
      r->set_status(v1::LISTED);
      r->add_codes("127.0.0.2");
      r->add_categories(v1::OPEN_PROXY);
      r->add_meanings("open proxy");
      r->add_txt("listed, see https://example/lookup?ip=192.0.2.77");
    } else {
      r->set_status(v1::NOT_LISTED);
    }
  }
  *report.mutable_summary() = Summarize(report.results());
  return report;
}

void BM_Summarize(benchmark::State& state) {
  v1::Report report = MakeReport(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    benchmark::DoNotOptimize(Summarize(report.results()));
  }
}
BENCHMARK(BM_Summarize)->Arg(20)->Arg(50);

void BM_FormatJson(benchmark::State& state) {
  v1::Report report = MakeReport(static_cast<int>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(FormatJson(report));
}
BENCHMARK(BM_FormatJson)->Arg(20)->Arg(50);

// What bulk's writer does: one encoder, its buffer reused record after record.
void BM_JsonLineEncoder(benchmark::State& state) {
  v1::Report report = MakeReport(static_cast<int>(state.range(0)));
  JsonLineEncoder encoder;
  for (auto _ : state) benchmark::DoNotOptimize(encoder.EncodeLine(report));
}
BENCHMARK(BM_JsonLineEncoder)->Arg(20)->Arg(50);

// The reference for BM_FormatJson: protobuf's own JSON printer.
void BM_FormatJsonProtobuf(benchmark::State& state) {
  v1::Report report = MakeReport(static_cast<int>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(FormatMessageJson(report));
}
BENCHMARK(BM_FormatJsonProtobuf)->Arg(20)->Arg(50);

void BM_FormatBinary(benchmark::State& state) {
  v1::Report report = MakeReport(static_cast<int>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(report.SerializeAsString());
}
BENCHMARK(BM_FormatBinary)->Arg(20);

void BM_AddressSetInsertSequential(benchmark::State& state) {
  for (auto _ : state) {
    AddressSet set;
    for (uint32_t i = 0; i < 10000; ++i) {
      IpAddress ip = IpAddress::FromIpv4(0x0a000000 + i);
      benchmark::DoNotOptimize(set.Insert(IpRange{ip, ip}));
    }
  }
  state.SetItemsProcessed(state.iterations() * 10000);
}
BENCHMARK(BM_AddressSetInsertSequential);

}  // namespace
}  // namespace dnsbl

BENCHMARK_MAIN();
