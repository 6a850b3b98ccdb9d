package dev.ferry.shortener.cache;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Codes whose invalidation could not reach Redis (the L2 delete or the pub/sub message failed),
 * kept so that they are invalidated once Redis is back instead of being lost: until then the L2 may
 * hold the old entry (for its 24-hour TTL) and other instances may never hear of the change.
 *
 * <p>A set, so a code changed many times during an outage is replayed once; bounded by {@code
 * ferry.shortener.cache.max-pending-invalidations}, beyond which codes are dropped and counted (the
 * L2 TTL then bounds their staleness). Replays go in the order the codes were first kept. Each code
 * carries the number of the last time it was kept, so a replay that raced a newer failure of the
 * same code leaves it for the next replay rather than forgetting the newer change.
 *
 * <p>Metrics: {@code ferry.shortener.cache.invalidations.pending} (gauge), {@code
 * ferry.shortener.cache.invalidations.replayed} and {@code
 * ferry.shortener.cache.invalidations.dropped}.
 *
 * <p>Thread-safe: every access to the set holds this object's lock; {@link #replay} holds a second
 * lock so that two replays never run at once, and runs the Redis calls without the set's lock, so
 * that changes keeping codes are not held up by a slow Redis.
 */
final class PendingInvalidations {

  private static final Logger log = LoggerFactory.getLogger(PendingInvalidations.class);

  private final int capacity;
  private final Map<String, Long> codes = new LinkedHashMap<>();
  private long lastNumber;
  private final Object replayLock = new Object();
  private final Counter replayed;
  private final Counter dropped;

  PendingInvalidations(int capacity, MeterRegistry registry) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be positive: " + capacity);
    }
    this.capacity = capacity;
    Gauge.builder("ferry.shortener.cache.invalidations.pending", this, PendingInvalidations::size)
        .description("Codes whose invalidation waits for Redis to come back")
        .register(registry);
    this.replayed =
        Counter.builder("ferry.shortener.cache.invalidations.replayed")
            .description("Invalidations sent to Redis after it came back")
            .register(registry);
    this.dropped =
        Counter.builder("ferry.shortener.cache.invalidations.dropped")
            .description("Invalidations lost because too many were waiting for Redis")
            .register(registry);
  }

  /** Keeps {@code code} for a later replay; counts it as dropped if the set is full. */
  void add(String code) {
    boolean kept;
    synchronized (this) {
      kept = codes.size() < capacity || codes.containsKey(code);
      if (kept) {
        codes.put(code, ++lastNumber);
      }
    }
    if (!kept) {
      dropped.increment();
    }
  }

  /**
   * Offers every kept code, oldest first, to {@code invalidate}, which answers whether Redis took
   * it. Stops at the first refusal (Redis is still down), keeping that code and the rest.
   *
   * @return how many codes were replayed
   */
  int replay(Predicate<String> invalidate) {
    synchronized (replayLock) {
      List<Map.Entry<String, Long>> batch;
      synchronized (this) {
        batch =
            codes.entrySet().stream()
                .map(entry -> Map.entry(entry.getKey(), entry.getValue()))
                .toList();
      }
      int done = 0;
      for (Map.Entry<String, Long> kept : batch) {
        if (!invalidate.test(kept.getKey())) {
          break;
        }
        synchronized (this) {
          codes.remove(kept.getKey(), kept.getValue());
        }
        replayed.increment();
        done++;
      }
      if (done > 0) {
        log.info("Replayed {} link invalidations kept while Redis was unreachable", done);
      }
      return done;
    }
  }

  synchronized int size() {
    return codes.size();
  }
}
