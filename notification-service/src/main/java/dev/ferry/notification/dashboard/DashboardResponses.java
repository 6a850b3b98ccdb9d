package dev.ferry.notification.dashboard;

import java.time.Instant;
import java.util.List;

/** Response records of the dashboard endpoints; every one states the window it covers. */
final class DashboardResponses {

  private DashboardResponses() {}

  record DeliveryRate(Instant from, Instant to, List<ChannelRate> channels) {}

  /**
   * @param deliveryRate delivered / (delivered + failed + expired), in percent; null if none
   */
  record ChannelRate(
      String channel,
      long total,
      long delivered,
      long failed,
      long inProgress,
      Double deliveryRate) {}

  record Latency(Instant from, Instant to, List<LatencyRow> rows) {}

  record LatencyRow(
      String channel, String priority, long delivered, double avgSeconds, double p99Seconds) {}

  record FailureReasons(Instant from, Instant to, List<FailureReason> reasons) {}

  record FailureReason(String channel, String reason, long count) {}
}
