package dev.ferry.notification.dashboard;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Delivery rate, latency and failure reasons over a window ending now; {@code window} is an
 * ISO-8601 duration ({@code PT1H}, {@code P1D}), one hour by default, at most 31 days.
 */
@RestController
@RequestMapping("/api/v1/dashboard")
class DashboardController {

  private static final Duration MAX_WINDOW = Duration.ofDays(31);

  private final DashboardRepository repository;
  private final Clock clock;

  DashboardController(DashboardRepository repository, Clock clock) {
    this.repository = repository;
    this.clock = clock;
  }

  @GetMapping("/delivery-rate")
  DashboardResponses.DeliveryRate deliveryRate(
      @RequestParam(defaultValue = "PT1H") Duration window) {
    Instant to = clock.instant();
    Instant from = to.minus(checked(window));
    return new DashboardResponses.DeliveryRate(from, to, repository.deliveryRate(from, to));
  }

  @GetMapping("/latency")
  DashboardResponses.Latency latency(@RequestParam(defaultValue = "PT1H") Duration window) {
    Instant to = clock.instant();
    Instant from = to.minus(checked(window));
    return new DashboardResponses.Latency(from, to, repository.latency(from, to));
  }

  @GetMapping("/failure-reasons")
  DashboardResponses.FailureReasons failureReasons(
      @RequestParam(defaultValue = "PT24H") Duration window,
      @RequestParam(defaultValue = "10") int limit) {
    Instant to = clock.instant();
    Instant from = to.minus(checked(window));
    return new DashboardResponses.FailureReasons(
        from, to, repository.failureReasons(from, to, Math.max(1, Math.min(limit, 100))));
  }

  private static Duration checked(Duration window) {
    if (window.isNegative() || window.isZero() || window.compareTo(MAX_WINDOW) > 0) {
      throw InvalidWindowException.of(window, MAX_WINDOW);
    }
    return window;
  }
}
