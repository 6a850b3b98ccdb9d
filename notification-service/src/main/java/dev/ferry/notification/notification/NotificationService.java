package dev.ferry.notification.notification;

import dev.ferry.notification.NotificationProperties;
import dev.ferry.notification.Priority;
import dev.ferry.notification.delivery.WorkQueue;
import dev.ferry.notification.notification.NotificationRepository.DeliveryRow;
import dev.ferry.notification.notification.NotificationRepository.NewDelivery;
import dev.ferry.notification.notification.NotificationRepository.NewNotification;
import dev.ferry.notification.notification.NotificationRepository.NotificationRow;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.dao.NonTransientDataAccessResourceException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.TransactionException;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The accept path: idempotency, then preferences, quiet hours and rendering ({@link
 * AcceptPlanner}), then the notifications, their per-channel deliveries and their outbox messages
 * in one Postgres transaction. Once {@link #accept} returns, the notification is durable and will
 * be delivered whatever happens to Kafka. A single send and a batch take the same path; a single
 * send is a batch of one.
 *
 * <p>Idempotency: a key (body or {@code Idempotency-Key} header) is unique in the notifications
 * table for {@code idempotency.retention}; a repeat returns the original notification, and two
 * requests (or two items of one batch) with one key race on the unique index with {@code ON
 * CONFLICT DO NOTHING}, where the loser returns the winner's notification.
 *
 * <p>Single sends are group-committed: concurrent ones are coalesced by a {@link GroupCommitter}
 * into one batch, planned and stored together in one transaction, and each request is answered once
 * that transaction committed. Under load a single send thus costs a share of a batch's queries and
 * commit instead of a transaction of its own, and the request thread does not hold a database
 * connection while it waits (it is parked until the commit). An item that cannot be stored fails
 * alone: the batch is then retried item by item.
 *
 * <p>Thread-safe. {@link #close} (on shutdown) stores every send already queued.
 */
@Service
public class NotificationService implements AutoCloseable {

  private final NotificationRepository repository;
  private final AcceptPlanner planner;
  private final WorkQueue workQueue;
  private final TransactionTemplate transactions;
  private final Clock clock;
  private final NotificationProperties properties;
  private final NotificationRequestValidator validator;
  private final MeterRegistry registry;
  private final Map<String, Counter> acceptedCounters = new ConcurrentHashMap<>();
  private final GroupCommitter<NotificationCommand, Outcome> singles;

  NotificationService(
      NotificationRepository repository,
      AcceptPlanner planner,
      WorkQueue workQueue,
      TransactionTemplate transactions,
      Clock clock,
      NotificationProperties properties,
      MeterRegistry registry) {
    this.repository = repository;
    this.planner = planner;
    this.workQueue = workQueue;
    this.transactions = transactions;
    this.clock = clock;
    this.properties = properties;
    this.validator = new NotificationRequestValidator(properties.limits().maxBodyChars());
    this.registry = registry;
    DistributionSummary batchSizes =
        DistributionSummary.builder("notification.accept.batch.size")
            .description("Single sends stored together in one group commit")
            .register(registry);
    NotificationProperties.Accept accept = properties.accept();
    this.singles =
        new GroupCommitter<>(
            "accept-commit",
            accept.committers(),
            accept.maxBatch(),
            accept.queueCapacity(),
            commands -> acceptAll(commands, clock.instant()),
            NotificationService::mayBeOneSendsFault,
            batchSizes::record);
    Gauge.builder("notification.accept.waiting", singles, GroupCommitter::waiting)
        .description("Single sends waiting for a group commit")
        .register(registry);
  }

  /**
   * Whether a failed group commit may be the fault of one of its sends (data Postgres refuses, a
   * bug for one input), so that its sends are retried one by one, rather than of the database
   * (unreachable, no connection, a timeout, a deadlock), which would fail each of them again.
   */
  private static boolean mayBeOneSendsFault(RuntimeException e) {
    return !(e instanceof TransientDataAccessException
        || e instanceof RecoverableDataAccessException
        || e instanceof NonTransientDataAccessResourceException
        || e instanceof TransactionException);
  }

  /** Stores the single sends already queued, then stops the committers. */
  @Override
  public void close() {
    singles.close();
  }

  /** The outcome of a send: the response, and whether it replays an earlier notification. */
  public record Accepted(NotificationAcceptedResponse response, boolean replayed) {}

  /**
   * Validates {@code request}, queues it for the next group commit and waits for that commit. The
   * wait cannot be cut short: the committer completes every send it took (after its transaction
   * committed or rolled back), so a caller never answers before knowing whether its send is stored.
   *
   * @param headerKey the {@code Idempotency-Key} header, or null
   * @return the stored notification, or the one found under its idempotency key
   * @throws InvalidNotificationException naming the field at fault, from validation or from
   *     planning (an unknown template, a missing variable); nothing is stored
   * @throws java.util.concurrent.RejectedExecutionException if too many sends are waiting
   */
  public Accepted accept(SendNotificationRequest request, String headerKey) {
    NotificationCommand command = validator.toCommand(request, headerKey, clock.instant());
    Outcome outcome;
    try {
      outcome = singles.submit(command).join();
    } catch (CompletionException e) {
      // What the group commit threw for this send (a database failure), as if thrown here.
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw e;
    }
    if (outcome.rejected() != null) {
      throw outcome.rejected();
    }
    return outcome.accepted();
  }

  /**
   * Accepts a batch with a handful of queries and one transaction whatever its size: the users'
   * preferences and contact points are read for all items at once, the per-user rate limits are
   * counted in one Redis round trip, and the notifications, deliveries and outbox rows are written
   * as JDBC batches. An invalid item is reported in its result and does not stop the others;
   * idempotency keys behave as for single sends, also between items of one batch.
   */
  public List<BatchResponse.Item> acceptBatch(
      List<SendNotificationRequest> requests, Validation validation) {
    Instant now = clock.instant();
    List<BatchResponse.Item> results = new ArrayList<>(Collections.nCopies(requests.size(), null));
    List<NotificationCommand> commands = new ArrayList<>();
    List<Integer> indexes = new ArrayList<>();
    for (int i = 0; i < requests.size(); i++) {
      try {
        validation.check(requests.get(i), i);
        commands.add(validator.toCommand(requests.get(i), null, now));
        indexes.add(i);
      } catch (InvalidNotificationException e) {
        results.set(i, rejected(i, e));
      }
    }
    List<Outcome> outcomes = acceptAll(commands, now);
    for (int j = 0; j < outcomes.size(); j++) {
      int i = indexes.get(j);
      Outcome outcome = outcomes.get(j);
      if (outcome.rejected() != null) {
        results.set(i, rejected(i, outcome.rejected()));
      } else {
        NotificationAcceptedResponse response = outcome.accepted().response();
        results.set(
            i,
            new BatchResponse.Item(
                i, response.notificationId(), response.status(), response.channels(), null, null));
      }
    }
    return results;
  }

  private static BatchResponse.Item rejected(int index, InvalidNotificationException e) {
    InvalidNotificationException item =
        e.field().startsWith("notifications[") ? e : e.inBatch(index);
    return new BatchResponse.Item(index, null, "rejected", null, item.field(), item.getMessage());
  }

  /** Bean Validation of one batch item, throwing the first violation as a field problem. */
  @FunctionalInterface
  public interface Validation {
    void check(SendNotificationRequest request, int index);
  }

  /** What became of one command: accepted (new or replayed), or rejected. */
  private record Outcome(Accepted accepted, InvalidNotificationException rejected) {}

  /**
   * Plans every command, then stores those planned in one transaction; results in order. Throws
   * only when that transaction rolled back, as {@link GroupCommitter} requires; everything it did
   * before (reads, rate-limit counts) may be repeated.
   */
  private List<Outcome> acceptAll(List<NotificationCommand> commands, Instant now) {
    Outcome[] outcomes = new Outcome[commands.size()];
    Map<String, UUID> existing =
        repository.findByIdempotencyKeys(
            commands.stream()
                .map(NotificationCommand::idempotencyKey)
                .filter(k -> k != null)
                .toList(),
            now);
    List<NotificationCommand> fresh = new ArrayList<>();
    List<Integer> freshIndexes = new ArrayList<>();
    for (int i = 0; i < commands.size(); i++) {
      UUID holder = existing.get(commands.get(i).idempotencyKey());
      if (holder != null) {
        outcomes[i] = new Outcome(new Accepted(replay(holder), true), null);
      } else {
        fresh.add(commands.get(i));
        freshIndexes.add(i);
      }
    }
    List<NewNotification> planned = new ArrayList<>();
    List<Integer> plannedIndexes = new ArrayList<>();
    List<AcceptPlanner.Planned> plans = planner.plan(fresh, now);
    for (int j = 0; j < plans.size(); j++) {
      AcceptPlanner.Planned plan = plans.get(j);
      if (plan.rejected() == null) {
        planned.add(plan.notification());
        plannedIndexes.add(freshIndexes.get(j));
      } else {
        outcomes[freshIndexes.get(j)] = new Outcome(null, plan.rejected());
      }
    }
    List<Accepted> stored = store(planned, now);
    for (int j = 0; j < planned.size(); j++) {
      Accepted accepted = stored.get(j);
      if (!accepted.replayed()) {
        NewNotification notification = planned.get(j);
        acceptedCounter(notification.command().priority(), notification.status()).increment();
      }
      outcomes[plannedIndexes.get(j)] = new Outcome(accepted, null);
    }
    return List.of(outcomes);
  }

  /**
   * Inserts {@code notifications} with their deliveries and outbox rows in one transaction. One
   * that lost its idempotency key (to an earlier item or a concurrent request) returns the holder,
   * read in the same transaction so that nothing can fail after the commit; the holder is returned
   * even if its key has just passed retention and was not yet forgotten.
   */
  private List<Accepted> store(List<NewNotification> notifications, Instant now) {
    if (notifications.isEmpty()) {
      return List.of();
    }
    return transactions.execute(
        tx -> {
          boolean[] inserted =
              repository.insertAll(
                  notifications,
                  properties.retry().maxAttempts(),
                  now,
                  now.plus(properties.idempotency().retention()));
          List<WorkQueue.Work> work = new ArrayList<>();
          List<Accepted> accepted = new ArrayList<>(notifications.size());
          for (int i = 0; i < notifications.size(); i++) {
            NewNotification notification = notifications.get(i);
            if (!inserted[i]) {
              UUID holder =
                  repository
                      .findByIdempotencyKey(notification.command().idempotencyKey(), Instant.EPOCH)
                      .orElseThrow();
              accepted.add(new Accepted(replay(holder), true));
              continue;
            }
            accepted.add(new Accepted(response(notification), false));
            for (NewDelivery delivery : notification.deliveries()) {
              if ("queued".equals(delivery.status())) {
                work.add(new WorkQueue.Work(delivery.id(), notification.command().priority(), 1));
              }
            }
          }
          workQueue.enqueueAll(work);
          return accepted;
        });
  }

  private Counter acceptedCounter(Priority priority, String status) {
    return acceptedCounters.computeIfAbsent(
        priority.wire() + ":" + status,
        key ->
            registry.counter(
                "notifications.accepted", "priority", priority.wire(), "status", status));
  }

  private static NotificationAcceptedResponse response(NewNotification notification) {
    Map<String, String> channels = new LinkedHashMap<>();
    notification
        .deliveries()
        .forEach(
            d -> channels.put(d.channel(), d.skipReason() == null ? "pending" : d.skipReason()));
    return new NotificationAcceptedResponse(
        notification.id(), notification.status(), channels, notification.releaseAt());
  }

  NotificationStatusResponse status(UUID id) {
    NotificationRow notification =
        repository.find(id).orElseThrow(() -> NotificationNotFoundException.of(id));
    List<DeliveryRow> deliveries = repository.deliveries(id);
    Map<String, NotificationStatusResponse.ChannelStatus> channels = new LinkedHashMap<>();
    for (DeliveryRow d : deliveries) {
      channels.put(
          d.channel(),
          new NotificationStatusResponse.ChannelStatus(
              d.status(),
              d.attempts(),
              d.provider(),
              d.providerMessageId(),
              d.deliveredAt(),
              d.failedAt(),
              d.nextAttemptAt(),
              d.lastError()));
    }
    return new NotificationStatusResponse(
        notification.id(),
        notification.userId(),
        notification.type(),
        notification.priority(),
        overall(notification.status(), deliveries),
        notification.createdAt(),
        notification.scheduledAt(),
        notification.releaseAt(),
        notification.expiresAt(),
        channels);
  }

  private NotificationAcceptedResponse replay(UUID id) {
    NotificationRow notification =
        repository.find(id).orElseThrow(() -> NotificationNotFoundException.of(id));
    Map<String, String> channels = new LinkedHashMap<>();
    for (DeliveryRow d : repository.deliveries(id)) {
      channels.put(d.channel(), "skipped".equals(d.status()) ? d.lastError() : d.status());
    }
    return new NotificationAcceptedResponse(
        id, notification.status(), channels, notification.releaseAt());
  }

  private static String overall(String notificationStatus, List<DeliveryRow> deliveries) {
    if (!"queued".equals(notificationStatus)) {
      return notificationStatus;
    }
    List<DeliveryRow> sent =
        deliveries.stream().filter(d -> !"skipped".equals(d.status())).toList();
    boolean moving =
        sent.stream()
            .anyMatch(
                d -> List.of("pending", "queued", "sending", "retrying").contains(d.status()));
    if (moving) {
      return "in_progress";
    }
    long delivered = sent.stream().filter(d -> "delivered".equals(d.status())).count();
    if (delivered == sent.size()) {
      return "delivered";
    }
    return delivered == 0 ? "failed" : "partially_delivered";
  }
}
