// The only file that sees libcurl's SMTP client.

#include "dnsbl/notice/internal/smtp.h"

#include <curl/curl.h>

#include <algorithm>
#include <cstring>
#include <mutex>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "dnsbl/base/escape.h"

namespace dnsbl {
namespace {

struct Upload {
  absl::string_view data;
  size_t offset = 0;
};

size_t ReadMessage(char* buffer, size_t size, size_t count, void* user) {
  auto* upload = static_cast<Upload*>(user);
  const size_t n = std::min(size * count, upload->data.size() - upload->offset);
  std::memcpy(buffer, upload->data.data() + upload->offset, n);
  upload->offset += n;
  return n;
}

}  // namespace

absl::Status SendMail(const SmtpOptions& options, absl::string_view from,
                      const std::vector<std::string>& to,
                      absl::string_view message) {
  if (!absl::StartsWith(options.url, "smtp://") &&
      !absl::StartsWith(options.url, "smtps://")) {
    return absl::InvalidArgumentError(
        absl::StrCat("SMTP URL ", QuoteInput(options.url),
                     " must start with smtp:// or smtps://"));
  }
  if (to.empty()) return absl::InvalidArgumentError("no recipient");
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  CURL* curl = curl_easy_init();
  if (curl == nullptr) return absl::InternalError("curl_easy_init failed");
  char error[CURL_ERROR_SIZE] = {0};
  curl_slist* recipients = nullptr;
  for (const std::string& r : to) {
    recipients =
        curl_slist_append(recipients, absl::StrCat("<", r, ">").c_str());
  }
  const std::string mail_from = absl::StrCat("<", from, ">");
  Upload upload{message, 0};
  curl_easy_setopt(curl, CURLOPT_URL, options.url.c_str());
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  curl_easy_setopt(curl, CURLOPT_MAIL_FROM, mail_from.c_str());
  curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, recipients);
  curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(curl, CURLOPT_READFUNCTION, &ReadMessage);
  curl_easy_setopt(curl, CURLOPT_READDATA, &upload);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(
      curl, CURLOPT_TIMEOUT_MS,
      static_cast<long>(absl::ToInt64Milliseconds(options.timeout)));
  // A login makes TLS required: a password never crosses in clear.
  curl_easy_setopt(curl, CURLOPT_USE_SSL,
                   options.starttls_required || !options.username.empty()
                       ? CURLUSESSL_ALL
                       : CURLUSESSL_TRY);
  if (!options.ca_file.empty()) {
    curl_easy_setopt(curl, CURLOPT_CAINFO, options.ca_file.c_str());
  }
  if (!options.username.empty()) {
    curl_easy_setopt(curl, CURLOPT_USERNAME, options.username.c_str());
    curl_easy_setopt(curl, CURLOPT_PASSWORD, options.password.c_str());
  }
  const CURLcode code = curl_easy_perform(curl);
  long reply = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &reply);
  curl_slist_free_all(recipients);
  curl_easy_cleanup(curl);
  if (code != CURLE_OK) {
    return absl::UnavailableError(absl::StrCat(
        "SMTP ", EscapeForTerminal(options.url), ": ",
        EscapeForTerminal(error[0] != '\0' ? error : curl_easy_strerror(code)),
        reply != 0 ? absl::StrCat(" (server reply ", reply, ")") : ""));
  }
  return absl::OkStatus();
}

}  // namespace dnsbl
