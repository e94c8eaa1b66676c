// The desk's routes of Service: the page at "/" and /v1/notice.

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "dnsbl/contacts/internal/email.h"
#include "dnsbl/notice/delivery.h"
#include "dnsbl/serve/internal/page.h"
#include "dnsbl/serve/internal/service.h"

namespace dnsbl {
namespace {

ServerResponse Html(int status, std::string html) {
  ServerResponse r{status, "text/html; charset=utf-8", std::move(html)};
  r.headers = {{"Content-Security-Policy", kPageCsp},
               {"X-Content-Type-Options", "nosniff"},
               {"Referrer-Policy", "no-referrer"},
               {"X-Frame-Options", "DENY"}};
  return r;
}

ServerResponse JsonError(int status, const absl::Status& error) {
  return {status, "application/json", ErrorJson(error)};
}

std::string Arg(const ServerRequest& request, const std::string& name) {
  auto it = request.query.find(name);
  return it == request.query.end() ? "" : it->second;
}

}  // namespace

void Service::Page(const ServerRequest& request, ServerRespond respond) {
  PageInput in;
  in.address = Arg(request, "address");
  in.from =
      request.query.count("from") > 0 ? Arg(request, "from") : options_.from;
  const std::string lang = Arg(request, "lang");
  if (!lang.empty()) {
    absl::StatusOr<NoticeLanguage> parsed = ParseNoticeLanguage(lang);
    if (!parsed.ok()) {
      in.error = std::string(parsed.status().message());
      respond(Html(400, RenderPage(in)));
      return;
    }
    in.language = *parsed;
  }
  if (in.address.empty()) {
    respond(Html(200, RenderPage(in)));
    return;
  }
  absl::StatusOr<IpAddress> ip = IpAddress::Parse(in.address);
  if (!ip.ok()) {
    in.error = std::string(ip.status().message());
    respond(Html(400, RenderPage(in)));
    return;
  }
  CheckOne(*ip, [in, respond = std::move(respond)](v1::Report report) mutable {
    in.report = &report;
    respond(Html(200, RenderPage(in)));
  });
}

void Service::Notice(const ServerRequest& request, ServerRespond respond) {
  absl::StatusOr<IpAddress> ip = IpAddress::Parse(Arg(request, "address"));
  if (!ip.ok()) {
    respond(JsonError(400, ip.status()));
    return;
  }
  DeliveryOptions delivery;
  absl::StatusOr<NoticeLanguage> lang = ParseNoticeLanguage(
      request.query.count("lang") > 0 ? Arg(request, "lang") : "en");
  if (!lang.ok()) {
    respond(JsonError(400, lang.status()));
    return;
  }
  delivery.letter.language = *lang;
  absl::StatusOr<std::string> from = ValidateEmail(
      request.query.count("from") > 0 ? Arg(request, "from") : options_.from);
  if (!from.ok()) {
    respond(JsonError(400, absl::InvalidArgumentError(absl::StrCat(
                               "from: ", from.status().message()))));
    return;
  }
  delivery.from = *from;
  for (absl::string_view to :
       absl::StrSplit(Arg(request, "to"), ',', absl::SkipEmpty())) {
    absl::StatusOr<std::string> mailbox = ValidateEmail(to);
    if (!mailbox.ok()) {
      respond(JsonError(400, absl::InvalidArgumentError(absl::StrCat(
                                 "to: ", mailbox.status().message()))));
      return;
    }
    delivery.to.push_back(*mailbox);
  }
  CheckOne(*ip, [delivery = std::move(delivery),
                 respond = std::move(respond)](v1::Report report) mutable {
    std::vector<std::string> contacts;
    for (const v1::Contact& c : report.contacts())
      contacts.push_back(c.email());
    absl::StatusOr<std::string> message =
        BuildNoticeMessage({report}, contacts, delivery);
    if (!message.ok()) {
      // The evidence supports no letter, or no one is known to send it to.
      respond(JsonError(422, message.status()));
      return;
    }
    ServerResponse r{200, "message/rfc822", *std::move(message)};
    r.headers.emplace_back(
        "Content-Disposition",
        absl::StrCat("attachment; filename=\"notice-",
                     absl::StrReplaceAll(report.address(), {{":", "-"}}),
                     ".eml\""));
    respond(std::move(r));
  });
}

}  // namespace dnsbl
