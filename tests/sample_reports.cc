#include "tests/sample_reports.h"

#include "dnsbl/verdict/internal/interpret.h"

namespace dnsbl::testing {

v1::Report ListedReport() {
  v1::Report report;
  report.set_address("192.0.2.7");
  report.set_resolver("127.0.0.1:5353");
  report.mutable_started()->set_seconds(1795000000);
  report.mutable_finished()->set_seconds(1795000000);
  report.mutable_finished()->set_nanos(25000000);
  v1::ZoneResult* a = report.add_results();
  a->set_zone("proxy.example");
  a->set_status(v1::LISTED);
  a->add_codes("127.0.0.9");
  a->add_meanings("open HTTP proxy");
  a->add_categories(v1::OPEN_PROXY);
  a->add_txt("listed, see https://proxy.example/\x1b[31mred\x07");
  a->set_lookup_url("https://proxy.example/?ip=192.0.2.7");
  v1::ZoneResult* b = report.add_results();
  b->set_zone("down.example");
  b->set_status(v1::ERROR);
  b->set_detail("no answer (timed out after 2 tries)");
  v1::ZoneResult* c = report.add_results();
  c->set_zone("clean.example");
  c->set_status(v1::NOT_LISTED);
  *report.mutable_summary() = Summarize(report.results());
  v1::Network* network = report.add_networks();
  network->set_source("cymru");
  network->set_asn(64500);
  network->add_other_asns(64501);
  network->set_as_name("EXAMPLE-AS Example \"Org\", ZZ \x01");
  network->set_prefix("192.0.2.0/24");
  network->set_country("ZZ");
  network->set_registry("ripencc");
  network->set_allocated("2004-01-01");
  v1::Contact* contact = report.add_contacts();
  contact->set_email("abuse@example.net");
  contact->set_source("abusix");
  contact->set_role("abuse");
  v1::ContactSource* source = report.add_contact_sources();
  source->set_source("abusix");
  source->set_answered(true);
  source->set_query("7.2.0.192.abuse-contacts.abusix.zone");
  v1::ContactSource* failed = report.add_contact_sources();
  failed->set_source("cymru");
  failed->set_error(v1::TIMEOUT);
  failed->set_detail("no answer (timed out after 2 tries)");
  return report;
}

}  // namespace dnsbl::testing
