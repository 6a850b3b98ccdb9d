package dev.ferry.broker.partition;

import dev.ferry.broker.log.FlushPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The periodic log jobs: flushing every {@code flush-interval-ms} under the {@code interval} flush
 * policy, applying retention and compaction to the partitions and then compacting the internal logs
 * (the offsets log) every {@code retention-check-interval-ms}, and forgetting idle idempotent
 * producers every {@code producers.id-expiration-check-interval-ms}.
 *
 * <p>Thread-safety: the jobs run on the shared scheduler; {@link #close()} cancels them before the
 * logs are closed.
 */
public final class LogMaintenance implements AutoCloseable {

  private final List<ScheduledFuture<?>> jobs = new ArrayList<>();

  public LogMaintenance(
      PartitionManager partitions,
      ScheduledExecutorService scheduler,
      FlushPolicy flushPolicy,
      long flushIntervalMs,
      long retentionCheckIntervalMs,
      long producerExpirationCheckIntervalMs,
      Runnable internalLogCleaning) {
    if (flushPolicy == FlushPolicy.INTERVAL) {
      jobs.add(
          scheduler.scheduleWithFixedDelay(
              partitions::flushAll, flushIntervalMs, flushIntervalMs, TimeUnit.MILLISECONDS));
    }
    jobs.add(
        scheduler.scheduleWithFixedDelay(
            () -> {
              partitions.enforceRetention();
              internalLogCleaning.run();
            },
            retentionCheckIntervalMs,
            retentionCheckIntervalMs,
            TimeUnit.MILLISECONDS));
    jobs.add(
        scheduler.scheduleWithFixedDelay(
            partitions::expireProducers,
            producerExpirationCheckIntervalMs,
            producerExpirationCheckIntervalMs,
            TimeUnit.MILLISECONDS));
  }

  @Override
  public void close() {
    jobs.forEach(job -> job.cancel(false));
  }
}
