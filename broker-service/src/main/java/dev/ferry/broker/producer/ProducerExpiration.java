package dev.ferry.broker.producer;

import java.time.Clock;

/**
 * When idempotent-producer state is forgotten: Kafka's {@code producer.id.expiration.ms}. A
 * producer whose last batch's timestamp is at least {@code idExpirationMs} old is expired; the next
 * batch it sends is then treated as from a new producer (accepted at any sequence), exactly as
 * Kafka does once it removed the entry.
 *
 * <p>Like Kafka, the age counts from the batch's max timestamp rather than from the broker's append
 * time, because that is what the log holds, so a replay after a restart restores the same ages.
 *
 * @param clock the broker clock, injected so tests move time by hand
 * @param idExpirationMs how long a producer may stay idle; Kafka's default is one day
 */
public record ProducerExpiration(Clock clock, long idExpirationMs) {

  public ProducerExpiration {
    if (clock == null || idExpirationMs < 1) {
      throw new IllegalArgumentException("need a clock and a positive expiration");
    }
  }

  /** Whether a producer last active at {@code lastTimestampMs} has expired at {@code nowMs}. */
  boolean isExpired(long lastTimestampMs, long nowMs) {
    return nowMs - lastTimestampMs >= idExpirationMs;
  }
}
