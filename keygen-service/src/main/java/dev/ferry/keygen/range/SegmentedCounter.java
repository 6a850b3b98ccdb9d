package dev.ferry.keygen.range;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands out counters of ranges claimed from Postgres, double-buffered as in Meituan Leaf's segment
 * mode: while the current range is being used up, the next one is claimed in the background once at
 * most {@code prefetchThreshold} of the current one is left, so that in steady state a caller never
 * waits for the database and the database sees one write per range.
 *
 * <p>Invariant: every counter is returned at most once by this object, and only from a range whose
 * claim has committed; ranges of different instances never overlap (see {@link
 * CounterRangeRepository}). Counters of the current and prefetched range that are never handed out
 * before the process stops are skipped forever.
 *
 * <p>Thread-safe: {@link #take} is synchronized; the background claim only produces a future that
 * {@link #take} consumes under the same lock.
 */
public final class SegmentedCounter {

  private static final Logger log = LoggerFactory.getLogger(SegmentedCounter.class);

  private final CounterRangeRepository repository;
  private final int rangeSize;
  private final long prefetchWhenLeft;
  private final String instanceId;
  private final Executor prefetcher;
  private final Counter rangesClaimed;
  private final Timer claimLatency;

  /** Next counter to hand out and end of the current range; guarded by {@code this}. */
  private long cursor;

  private long end;

  /** The next range being claimed in the background, or null; guarded by {@code this}. */
  private CompletableFuture<Optional<CounterRange>> prefetched;

  /** Set once a claim found the keyspace exhausted; it never recovers. Guarded by {@code this}. */
  private boolean exhausted;

  SegmentedCounter(
      CounterRangeRepository repository,
      int rangeSize,
      double prefetchThreshold,
      String instanceId,
      Executor prefetcher,
      MeterRegistry registry) {
    this.repository = repository;
    this.rangeSize = rangeSize;
    this.prefetchWhenLeft = Math.max(1, (long) (rangeSize * prefetchThreshold));
    this.instanceId = instanceId;
    this.prefetcher = prefetcher;
    this.rangesClaimed =
        Counter.builder("ferry.keygen.ranges.claimed")
            .description("Counter ranges this instance claimed from Postgres")
            .register(registry);
    this.claimLatency =
        Timer.builder("ferry.keygen.range.claim")
            .description("Time to claim one counter range from Postgres")
            .register(registry);
  }

  /**
   * Returns the next block of at most {@code max} unused counters (at least one).
   *
   * @throws KeyspaceExhaustedException if no counter is left in the whole keyspace
   * @throws org.springframework.dao.DataAccessException if a range is needed now and Postgres
   *     cannot be reached
   */
  public synchronized CounterRange take(int max) {
    if (max < 1) {
      throw new IllegalArgumentException("max must be positive, was " + max);
    }
    if (cursor == end) {
      advance();
    }
    long blockEnd = Math.min(end, cursor + max);
    CounterRange block = new CounterRange(cursor, blockEnd);
    cursor = blockEnd;
    if (prefetched == null && !exhausted && end - cursor <= prefetchWhenLeft) {
      prefetched = CompletableFuture.supplyAsync(this::claim, prefetcher);
    }
    return block;
  }

  /** The shared keyspace as Postgres records it. */
  public KeyspaceState keyspace() {
    return repository.state();
  }

  private void advance() {
    Optional<CounterRange> next;
    if (prefetched != null) {
      try {
        next = prefetched.join();
      } catch (CompletionException e) {
        log.warn("Background claim of a counter range failed; claiming now: {}", e.getCause());
        next = claim();
      } finally {
        prefetched = null;
      }
    } else if (exhausted) {
      next = Optional.empty();
    } else {
      next = claim();
    }
    CounterRange range = next.orElseThrow(() -> exhausted());
    cursor = range.start();
    end = range.end();
  }

  private KeyspaceExhaustedException exhausted() {
    synchronized (this) {
      exhausted = true;
    }
    return KeyspaceExhaustedException.of(keyspace().keyspaceSize());
  }

  private Optional<CounterRange> claim() {
    Optional<CounterRange> range =
        claimLatency.record(() -> repository.claim(rangeSize, instanceId));
    range.ifPresentOrElse(
        claimed -> {
          rangesClaimed.increment();
          log.info(
              "Claimed counters [{}, {}) for instance {}",
              claimed.start(),
              claimed.end(),
              instanceId);
        },
        () -> log.error("The keyspace is exhausted: no counter range left to claim"));
    return range;
  }
}
