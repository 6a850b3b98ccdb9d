package dev.ferry.keygen.keys;

import dev.ferry.keygen.code.ShortCodeCipher;
import dev.ferry.keygen.range.CounterRange;
import dev.ferry.keygen.range.SegmentedCounter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The "pre-generated keys" of the design: a buffer of codes made ahead of demand, refilled in the
 * background when its level falls to the low watermark, so that a request takes ready strings
 * instead of waiting for encryption or for Postgres.
 *
 * <p>Codes are made by encrypting counters from the {@link SegmentedCounter} with the FF1 {@link
 * ShortCodeCipher}; since FF1 is a permutation and each counter is taken once, no two codes are
 * equal. Codes still buffered when the process dies are skipped forever, never reissued. When the
 * buffer cannot satisfy a request, the request makes the missing codes itself.
 *
 * <p>Metrics: {@code ferry.keygen.codes.issued} (counter), {@code ferry.keygen.buffer.level}
 * (gauge).
 *
 * <p>Thread-safe: the buffer is guarded by its own monitor, held only to move strings in or out;
 * code generation runs outside it, serialised by the cipher's and the counter's own locks.
 */
public final class KeyPool {

  private static final Logger log = LoggerFactory.getLogger(KeyPool.class);

  private final SegmentedCounter counter;
  private final ShortCodeCipher cipher;
  private final int capacity;
  private final int lowWatermark;
  private final int chunk;
  private final Executor refiller;
  private final AtomicBoolean refilling = new AtomicBoolean();
  private final Counter issued;

  /** Ready codes; guarded by itself. */
  private final ArrayDeque<String> buffer;

  KeyPool(
      SegmentedCounter counter,
      ShortCodeCipher cipher,
      int capacity,
      int lowWatermark,
      int chunk,
      Executor refiller,
      MeterRegistry registry) {
    if (lowWatermark >= capacity) {
      throw new IllegalArgumentException(
          "lowWatermark (" + lowWatermark + ") must be below capacity (" + capacity + ")");
    }
    this.counter = counter;
    this.cipher = cipher;
    this.capacity = capacity;
    this.lowWatermark = lowWatermark;
    this.chunk = Math.min(chunk, capacity);
    this.refiller = refiller;
    this.buffer = new ArrayDeque<>(capacity);
    this.issued =
        Counter.builder("ferry.keygen.codes.issued")
            .description("Short codes handed out by this instance")
            .register(registry);
    Gauge.builder("ferry.keygen.buffer.level", this, KeyPool::level)
        .description("Short codes generated and waiting in memory")
        .register(registry);
  }

  /**
   * Hands out {@code count} codes that were never handed out before and never will be again.
   *
   * @throws dev.ferry.keygen.range.KeyspaceExhaustedException if fewer than {@code count} unused
   *     codes are left; none is handed out then
   */
  public List<String> take(int count) {
    List<String> codes = new ArrayList<>(count);
    synchronized (buffer) {
      while (codes.size() < count && !buffer.isEmpty()) {
        codes.add(buffer.poll());
      }
    }
    try {
      while (codes.size() < count) {
        codes.addAll(Arrays.asList(generate(count - codes.size())));
      }
    } catch (RuntimeException e) {
      give(codes);
      throw e;
    }
    issued.increment(count);
    if (level() <= lowWatermark) {
      refillInBackground();
    }
    return codes;
  }

  /** Codes buffered now. */
  public int level() {
    synchronized (buffer) {
      return buffer.size();
    }
  }

  /** Codes handed out by this instance since it started. */
  public long issued() {
    return (long) issued.count();
  }

  /**
   * Starts filling the buffer up to capacity in the background, unless that already runs. While the
   * service shuts down the refiller refuses work; the request that asked still has its codes, so
   * that is not its failure.
   */
  public void refillInBackground() {
    if (refilling.compareAndSet(false, true)) {
      try {
        refiller.execute(this::refill);
      } catch (RejectedExecutionException e) {
        refilling.set(false);
        log.debug("Not refilling the code buffer: the refiller is shut down");
      }
    }
  }

  private void refill() {
    try {
      int room;
      while ((room = capacity - level()) > 0) {
        give(Arrays.asList(generate(Math.min(room, chunk))));
      }
    } catch (RuntimeException e) {
      log.warn("Refilling the code buffer stopped at {} codes: {}", level(), e.toString());
    } finally {
      refilling.set(false);
    }
  }

  private void give(List<String> codes) {
    synchronized (buffer) {
      buffer.addAll(codes);
    }
  }

  /** Makes up to {@code max} fresh codes from the next block of counters. */
  private String[] generate(int max) {
    CounterRange block = counter.take(max);
    return cipher.codesFor(block.start(), block.size());
  }
}
