package dev.ferry.shortener.redirect;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * {@code ferry.shortener.redirects} by the status answered, registered once at start-up so that
 * counting a redirect is an array read and an add: no lookup, no boxing, no allocation.
 *
 * <p>Thread-safe: the array is filled in the constructor and only read afterwards.
 */
final class RedirectCounters {

  private static final int[] STATUSES = {301, 302, 307, 308, 404, 410};

  private final Counter[] byStatus = new Counter[STATUSES[STATUSES.length - 1] + 1];

  RedirectCounters(MeterRegistry registry) {
    for (int status : STATUSES) {
      byStatus[status] =
          Counter.builder("ferry.shortener.redirects")
              .description("Redirect requests by the status answered")
              .tag("status", Integer.toString(status))
              .register(registry);
    }
  }

  /** Counts one answer with {@code status}, one of 301, 302, 307, 308, 404 and 410. */
  void count(int status) {
    byStatus[status].increment();
  }
}
