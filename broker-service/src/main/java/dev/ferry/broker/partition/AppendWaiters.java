package dev.ferry.broker.partition;

import java.util.Collection;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.common.TopicPartition;

/**
 * Parks long-poll fetches until data arrives or their wait expires, the role Kafka's fetch
 * purgatory plays.
 *
 * <p>A waiter is a future registered under each partition it reads. An append to any of them, or
 * the timeout, completes it on the {@code completionExecutor} (never on the producer's thread, so a
 * produce request does not pay for re-reading fetches). To close the race between a fetch reading
 * and registering, {@link #await} re-checks {@code dataArrived} after registering.
 *
 * <p>Thread-safety: safe for concurrent use; the waiter sets are concurrent.
 */
public final class AppendWaiters {

  private final ConcurrentHashMap<TopicPartition, Set<CompletableFuture<Void>>> waiters =
      new ConcurrentHashMap<>();
  private final ScheduledExecutorService scheduler;
  private final Executor completionExecutor;

  public AppendWaiters(ScheduledExecutorService scheduler, Executor completionExecutor) {
    this.scheduler = scheduler;
    this.completionExecutor = completionExecutor;
  }

  /**
   * Returns a future completed when one of {@code partitions} is appended to, when {@code
   * timeoutMs} passes, or at once when {@code dataArrived} already holds after registering.
   */
  public CompletableFuture<Void> await(
      Collection<TopicPartition> partitions, long timeoutMs, BooleanSupplier dataArrived) {
    CompletableFuture<Void> waiter = new CompletableFuture<>();
    for (TopicPartition partition : partitions) {
      waiters.computeIfAbsent(partition, key -> ConcurrentHashMap.newKeySet()).add(waiter);
    }
    ScheduledFuture<?> timeout =
        scheduler.schedule(() -> wake(waiter), Math.max(0, timeoutMs), TimeUnit.MILLISECONDS);
    waiter.whenComplete(
        (ignored, error) -> {
          timeout.cancel(false);
          for (TopicPartition partition : partitions) {
            Set<CompletableFuture<Void>> set = waiters.get(partition);
            if (set != null) {
              set.remove(waiter);
            }
          }
        });
    if (dataArrived.getAsBoolean()) {
      wake(waiter);
    }
    return waiter;
  }

  /** Wakes every fetch waiting on {@code partition}. */
  public void notifyAppend(TopicPartition partition) {
    Set<CompletableFuture<Void>> set = waiters.get(partition);
    if (set != null) {
      set.forEach(this::wake);
    }
  }

  private void wake(CompletableFuture<Void> waiter) {
    completionExecutor.execute(() -> waiter.complete(null));
  }
}
