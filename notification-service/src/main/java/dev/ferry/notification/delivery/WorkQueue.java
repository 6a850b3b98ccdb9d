package dev.ferry.notification.delivery;

import dev.ferry.notification.NotificationProperties;
import dev.ferry.notification.Priority;
import dev.ferry.notification.outbox.Outbox;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/**
 * Puts delivery attempts on their priority topic through the outbox. The facade the accept path,
 * the scheduler and dead-letter re-drives use. Thread-safe.
 */
@Component
public class WorkQueue {

  private final Outbox outbox;
  private final DeliveryRepository repository;
  private final JsonMapper json;
  private final NotificationProperties.Kafka kafka;
  private final int maxAttempts;

  WorkQueue(
      Outbox outbox,
      DeliveryRepository repository,
      JsonMapper json,
      NotificationProperties properties) {
    this.outbox = outbox;
    this.repository = repository;
    this.json = json;
    this.kafka = properties.kafka();
    this.maxAttempts = properties.retry().maxAttempts();
  }

  /**
   * Re-drives a failed delivery: queues its next attempt with a fresh budget of {@code
   * retry.max-attempts}. False if the delivery is not failed (already re-driven, or delivered).
   */
  @Transactional
  public boolean requeueFailed(UUID deliveryId, Instant now) {
    return repository
        .requeueFailed(deliveryId, maxAttempts, now)
        .map(
            requeued -> {
              enqueue(deliveryId, requeued.priority(), requeued.attempt());
              return true;
            })
        .orElse(false);
  }

  /**
   * Enqueues attempt {@code attempt} of delivery {@code deliveryId}; must run in the transaction
   * that moved the delivery to {@code queued} with {@code attempt_count = attempt - 1}.
   */
  @Transactional(propagation = Propagation.MANDATORY)
  public void enqueue(UUID deliveryId, Priority priority, int attempt) {
    enqueueAll(List.of(new Work(deliveryId, priority, attempt)));
  }

  /** Attempt {@code attempt} of one delivery, to put on its priority topic. */
  public record Work(UUID deliveryId, Priority priority, int attempt) {}

  /** {@link #enqueue} for many deliveries in one JDBC batch, under the same conditions. */
  @Transactional(propagation = Propagation.MANDATORY)
  public void enqueueAll(List<Work> work) {
    outbox.appendAll(
        work.stream()
            .map(
                w ->
                    new Outbox.Message(
                        kafka.topic(w.priority()),
                        w.deliveryId().toString(),
                        json.writeValueAsString(new DeliveryMessage(w.deliveryId(), w.attempt())),
                        w.priority().rank()))
            .toList());
  }
}
