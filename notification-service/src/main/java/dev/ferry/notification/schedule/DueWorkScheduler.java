package dev.ferry.notification.schedule;

import dev.ferry.notification.NotificationProperties;
import dev.ferry.notification.Priority;
import dev.ferry.notification.delivery.WorkQueue;
import dev.ferry.notification.schedule.ScheduleRepository.DueNotification;
import dev.ferry.notification.schedule.ScheduleRepository.QueuedDelivery;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Enqueues work whose time has come, on every instance, every {@code scheduler.poll-interval}:
 * scheduled and quiet-hours-held notifications (or marks them expired), retries whose backoff has
 * passed, and attempts lost with a crashed worker; it also forgets idempotency keys past their
 * retention. Every step claims its rows with {@code SKIP LOCKED} and enqueues them through the
 * outbox in the same transaction, so each due item is enqueued exactly once across instances and
 * never lost if an instance dies mid-pass.
 *
 * <p>Runs on Spring's scheduler thread; not re-entrant.
 */
@Component
class DueWorkScheduler {

  private static final Logger log = LoggerFactory.getLogger(DueWorkScheduler.class);

  private final ScheduleRepository repository;
  private final WorkQueue workQueue;
  private final TransactionTemplate transactions;
  private final Clock clock;
  private final NotificationProperties.Scheduler config;
  private final Counter released;
  private final Counter expired;
  private final Counter recovered;

  DueWorkScheduler(
      ScheduleRepository repository,
      WorkQueue workQueue,
      TransactionTemplate transactions,
      Clock clock,
      NotificationProperties properties,
      MeterRegistry registry) {
    this.repository = repository;
    this.workQueue = workQueue;
    this.transactions = transactions;
    this.clock = clock;
    this.config = properties.scheduler();
    this.released = registry.counter("notification.scheduled.released");
    this.expired = registry.counter("notification.scheduled.expired");
    this.recovered = registry.counter("notification.deliveries.recovered");
    for (Priority priority : Priority.values()) {
      Gauge.builder("notification.queue.size", repository, r -> r.queued(priority))
          .description("Deliveries queued or being sent")
          .tag("priority", priority.wire())
          .register(registry);
    }
  }

  @Scheduled(fixedDelayString = "${ferry.notification.scheduler.poll-interval:1s}")
  void poll() {
    try {
      releaseDueNotifications();
      queueDueRetries();
      recoverLostAttempts();
      transactions.execute(
          tx -> repository.expireIdempotencyKeys(clock.instant(), config.batchSize()));
    } catch (RuntimeException e) {
      log.warn("Scheduler pass failed; the next pass retries: {}", e.toString());
    }
  }

  /** One pass over due notifications; returns how many it handled. */
  int releaseDueNotifications() {
    Integer handled =
        transactions.execute(
            tx -> {
              Instant now = clock.instant();
              int count = 0;
              for (DueNotification due : repository.lockDueNotifications(now, config.batchSize())) {
                if (due.expiresAt() != null && !now.isBefore(due.expiresAt())) {
                  repository.expire(due.id(), now);
                  expired.increment();
                } else {
                  for (QueuedDelivery delivery : repository.release(due.id(), now)) {
                    workQueue.enqueue(delivery.id(), delivery.priority(), delivery.attempt());
                  }
                  released.increment();
                }
                count++;
              }
              return count;
            });
    return handled == null ? 0 : handled;
  }

  int queueDueRetries() {
    Integer handled =
        transactions.execute(
            tx -> {
              int count = 0;
              for (QueuedDelivery delivery :
                  repository.queueDueRetries(clock.instant(), config.batchSize())) {
                workQueue.enqueue(delivery.id(), delivery.priority(), delivery.attempt());
                count++;
              }
              return count;
            });
    return handled == null ? 0 : handled;
  }

  int recoverLostAttempts() {
    Integer count =
        transactions.execute(
            tx ->
                repository.recoverLostAttempts(
                    clock.instant(), config.sendingLease(), config.batchSize()));
    if (count != null && count > 0) {
      recovered.increment(count);
      log.warn("Recovered {} deliveries whose worker was lost mid-attempt", count);
    }
    return count == null ? 0 : count;
  }
}
