package dev.ferry.notification.deadletter;

import dev.ferry.notification.delivery.WorkQueue;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Lists dead letters and re-drives them: a re-drive queues the delivery's next attempt with a fresh
 * retry budget and marks the dead letter, in one transaction that holds the dead letter's row lock,
 * so a dead letter is re-driven at most once however often the endpoint is called.
 */
@Service
class DeadLetterService {

  private final DeadLetterRepository repository;
  private final WorkQueue workQueue;
  private final Clock clock;

  DeadLetterService(DeadLetterRepository repository, WorkQueue workQueue, Clock clock) {
    this.repository = repository;
    this.workQueue = workQueue;
    this.clock = clock;
  }

  List<DeadLetterResponse> list(boolean includeRedriven, String channel, int limit) {
    return repository.list(includeRedriven, channel, limit);
  }

  @Transactional
  public DeadLetterResponse redrive(UUID id) {
    DeadLetterResponse letter =
        repository.lockOpen(id).orElseThrow(() -> DeadLetterNotFoundException.of(id));
    Instant now = clock.instant();
    workQueue.requeueFailed(letter.deliveryId(), now);
    repository.markRedriven(id, now);
    return new DeadLetterResponse(
        letter.id(),
        letter.deliveryId(),
        letter.notificationId(),
        letter.channel(),
        letter.priority(),
        letter.attempts(),
        letter.reason(),
        letter.createdAt(),
        now);
  }
}
