package dev.ferry.shortener.support;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A clock tests move by hand. Each reading is a microsecond after the previous one, so links
 * created one after another have distinct, ordered creation times, as they would in reality.
 */
public final class TestClock extends Clock {

  private final AtomicLong micros;

  public TestClock(Instant start) {
    this.micros = new AtomicLong(start.getEpochSecond() * 1_000_000 + start.getNano() / 1_000);
  }

  public void advance(Duration duration) {
    micros.addAndGet(duration.toNanos() / 1_000);
  }

  @Override
  public Instant instant() {
    long now = micros.incrementAndGet();
    return Instant.ofEpochSecond(now / 1_000_000, (now % 1_000_000) * 1_000);
  }

  /** The current time without moving the clock on. */
  public Instant peek() {
    long now = micros.get();
    return Instant.ofEpochSecond(now / 1_000_000, (now % 1_000_000) * 1_000);
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("the test clock is UTC only");
  }
}
