package dev.ferry.common.concurrent;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Lets something happen at most once per interval: typically a warning that every failing call of
 * an outage would otherwise repeat, thousands of times a second, while a metric counts them all.
 *
 * <p>Thread-safe: of callers racing for the same interval exactly one gets {@code true}, since the
 * time of the last permit only moves by compare-and-set.
 */
public final class Throttle {

  private final long intervalNanos;
  private final LongSupplier nanoTime;
  private final AtomicLong lastPermit;

  /** Permits the first call at once, then at most one per {@code interval}. */
  public Throttle(Duration interval) {
    this(interval, System::nanoTime);
  }

  Throttle(Duration interval, LongSupplier nanoTime) {
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("the interval must be positive: " + interval);
    }
    this.intervalNanos = interval.toNanos();
    this.nanoTime = nanoTime;
    this.lastPermit = new AtomicLong(nanoTime.getAsLong() - intervalNanos);
  }

  /** Whether the caller may go ahead: no permit was given within the last interval. */
  public boolean tryAcquire() {
    long now = nanoTime.getAsLong();
    long last = lastPermit.get();
    return now - last >= intervalNanos && lastPermit.compareAndSet(last, now);
  }
}
