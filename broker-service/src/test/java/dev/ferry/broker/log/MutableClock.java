package dev.ferry.broker.log;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock the test moves by hand, so time-based behaviour is tested without sleeping. */
public final class MutableClock extends Clock {

  private long millis;

  public MutableClock(long millis) {
    this.millis = millis;
  }

  public void advance(long deltaMs) {
    millis += deltaMs;
  }

  @Override
  public long millis() {
    return millis;
  }

  @Override
  public Instant instant() {
    return Instant.ofEpochMilli(millis);
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}
