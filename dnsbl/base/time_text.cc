#include "dnsbl/base/time_text.h"

namespace dnsbl {

std::string UtcText(absl::Time t) {
  return absl::FormatTime("%Y-%m-%d %H:%M:%S UTC", t, absl::UTCTimeZone());
}

}  // namespace dnsbl
