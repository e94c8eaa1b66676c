#include "dnsbl/base/fd_events.h"

#include <unistd.h>

#include "gtest/gtest.h"

namespace dnsbl {
namespace {

class Pipe {
 public:
  Pipe() { EXPECT_EQ(pipe(fds_), 0); }
  ~Pipe() {
    close(fds_[0]);
    close(fds_[1]);
  }
  int read_end() const { return fds_[0]; }
  int write_end() const { return fds_[1]; }

 private:
  int fds_[2];
};

TEST(WaitForEventsTest, TimesOutWithNothingReady) {
  Pipe p;
  EXPECT_TRUE(
      WaitForEvents({{p.read_end(), true, false}}, absl::Milliseconds(5))
          .empty());
}

TEST(WaitForEventsTest, ReportsOnlyTheReadyDescriptorAndItsEvents) {
  Pipe quiet;
  Pipe busy;
  ASSERT_EQ(write(busy.write_end(), "x", 1), 1);
  std::vector<FdEvents> ready = WaitForEvents({{quiet.read_end(), true, false},
                                               {busy.read_end(), true, false},
                                               {busy.write_end(), false, true}},
                                              absl::Seconds(1));
  ASSERT_EQ(ready.size(), 2u);
  EXPECT_EQ(ready[0].fd, busy.read_end());
  EXPECT_TRUE(ready[0].readable);
  EXPECT_FALSE(ready[0].writable);
  EXPECT_EQ(ready[1].fd, busy.write_end());
  EXPECT_TRUE(ready[1].writable);
}

TEST(WaitForEventsTest, HangUpReadsAsReadable) {
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  close(fds[1]);
  std::vector<FdEvents> ready =
      WaitForEvents({{fds[0], true, false}}, absl::Seconds(1));
  close(fds[0]);
  ASSERT_EQ(ready.size(), 1u);
  EXPECT_TRUE(ready[0].readable);
}

}  // namespace
}  // namespace dnsbl
