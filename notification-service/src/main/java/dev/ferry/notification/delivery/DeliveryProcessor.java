package dev.ferry.notification.delivery;

import dev.ferry.notification.Channel;
import dev.ferry.notification.NotificationProperties;
import dev.ferry.notification.device.DeviceService;
import dev.ferry.notification.outbox.Outbox;
import dev.ferry.notification.provider.ChannelRouter;
import dev.ferry.notification.provider.FailureKind;
import dev.ferry.notification.provider.OutboundMessage;
import dev.ferry.notification.provider.ProviderResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Makes one delivery attempt: claim, send to every recipient of the channel, record every provider
 * call, then move the delivery to delivered, retrying or failed.
 *
 * <p>Idempotency: the claim is a conditional update on {@code (status = 'queued', attempt_count =
 * attempt - 1)}, so a Kafka message delivered twice (a rebalance, a crash before the offset commit)
 * finds the attempt already claimed and sends nothing. A worker that dies after the claim leaves
 * the delivery "sending"; the scheduler's lease sweep hands it to a new attempt.
 *
 * <p>Push goes to every active device of the user; a device whose token FCM reports dead is
 * deactivated at once and not retried, while the other devices still get the push. State is kept
 * per recipient: every call is recorded in {@code delivery_attempts} with its recipient, and an
 * attempt skips the recipients that took the message in an earlier one, so a retry after one device
 * failed with a 5xx or 429 goes to that device only. The delivery is retried while some recipient
 * failed retryably and attempts remain; then it counts as delivered when at least one recipient
 * took it.
 *
 * <p>Thread-safe: stateless; called concurrently by the listener threads of all priorities.
 */
@Component
class DeliveryProcessor {

  private static final Logger log = LoggerFactory.getLogger(DeliveryProcessor.class);

  private final DeliveryRepository repository;
  private final DeviceService devices;
  private final ChannelRouter router;
  private final Outbox outbox;
  private final TransactionTemplate transactions;
  private final RetryPolicy retryPolicy;
  private final JsonMapper json;
  private final Clock clock;
  private final String deadLetterTopic;
  private final MeterRegistry registry;
  private final Counter duplicates;
  private final Map<Channel, Counter> retries = new EnumMap<>(Channel.class);
  private final Map<Channel, Counter> deadLetters = new EnumMap<>(Channel.class);

  DeliveryProcessor(
      DeliveryRepository repository,
      DeviceService devices,
      ChannelRouter router,
      Outbox outbox,
      TransactionTemplate transactions,
      JsonMapper json,
      Clock clock,
      NotificationProperties properties,
      MeterRegistry registry) {
    this.repository = repository;
    this.devices = devices;
    this.router = router;
    this.outbox = outbox;
    this.transactions = transactions;
    this.json = json;
    this.clock = clock;
    this.retryPolicy = new RetryPolicy(properties.retry(), Math::random);
    this.deadLetterTopic = properties.kafka().deadLetterTopic();
    this.registry = registry;
    this.duplicates =
        Counter.builder("notification.deliveries.duplicates")
            .description("Delivery messages skipped because their attempt was already claimed")
            .register(registry);
    // Registered up front, at zero, so that dashboards and alerts see a series before the first
    // failure rather than no data.
    for (Channel channel : Channel.values()) {
      retries.put(
          channel,
          Counter.builder("notification.retries")
              .description("Delivery attempts that failed and were scheduled again")
              .tag("channel", channel.wire())
              .register(registry));
      deadLetters.put(
          channel,
          Counter.builder("notification.dead.letters")
              .description("Deliveries that failed their last attempt and went to the dead letters")
              .tag("channel", channel.wire())
              .register(registry));
    }
  }

  /** Handles one Kafka message; never throws for a bad or duplicate message. */
  void process(String payload) {
    DeliveryMessage message;
    try {
      message = json.readValue(payload, DeliveryMessage.class);
    } catch (JacksonException e) {
      log.error("Dropping unreadable delivery message {}: {}", payload, e.getOriginalMessage());
      return;
    }
    Optional<ClaimedDelivery> claimed =
        repository.claim(message.deliveryId(), message.attempt(), clock.instant());
    if (claimed.isEmpty()) {
      duplicates.increment();
      log.debug(
          "Attempt {} of {} already claimed; skipping", message.attempt(), message.deliveryId());
      return;
    }
    attempt(claimed.get());
  }

  private void attempt(ClaimedDelivery delivery) {
    Instant started = clock.instant();
    if (delivery.expiresAt() != null && !started.isBefore(delivery.expiresAt())) {
      repository.markExpired(delivery.id(), delivery.attempt(), started);
      count(delivery, "expired");
      return;
    }
    // Attempt numbers only grow (a re-drive continues the count), so a first attempt has no
    // earlier calls to look up: one query less on the common path.
    Map<String, ProviderResult.Sent> alreadySent =
        delivery.attempt() == 1 ? Map.of() : repository.sentRecipients(delivery.id());
    List<String> recipients =
        recipients(delivery).stream().filter(r -> !alreadySent.containsKey(r)).toList();
    if (recipients.isEmpty()) {
      finish(
          delivery,
          List.of(),
          new Outcome(
              alreadySent.values().stream().findFirst().orElse(null),
              ProviderResult.Failed.of(
                  "none", FailureKind.INVALID_RECIPIENT, noRecipient(delivery.channel()))));
      return;
    }
    List<Call> calls = new ArrayList<>();
    for (String recipient : recipients) {
      OutboundMessage outbound =
          new OutboundMessage(
              delivery.id(),
              delivery.channel(),
              delivery.priority(),
              recipient,
              delivery.subject(),
              delivery.title(),
              delivery.body(),
              delivery.data());
      Instant callStart = clock.instant();
      for (ProviderResult result : router.send(outbound)) {
        calls.add(new Call(recipient, result, callStart, clock.instant()));
      }
      ProviderResult last = calls.get(calls.size() - 1).result();
      if (delivery.channel() == Channel.PUSH
          && last instanceof ProviderResult.Failed failed
          && failed.kind() == FailureKind.INVALID_RECIPIENT) {
        devices.deactivateToken(recipient, failed.error());
        log.info("Deactivated dead push token of user {}: {}", delivery.userId(), failed.error());
      }
    }
    finish(delivery, calls, Outcome.of(calls, recipients, alreadySent.values()));
  }

  /**
   * What an attempt achieved over all recipients, counting those that took the message in earlier
   * attempts.
   *
   * @param sent a recipient that took the message (now or before), or null if none did
   * @param failure the failure to act on: a retryable one if any recipient has one, so that those
   *     recipients are tried again; null if every recipient took the message
   */
  private record Outcome(ProviderResult.Sent sent, ProviderResult.Failed failure) {

    static Outcome of(
        List<Call> calls, List<String> recipients, Collection<ProviderResult.Sent> earlier) {
      List<ProviderResult> finals = new ArrayList<>();
      for (String recipient : recipients) {
        for (int i = calls.size() - 1; i >= 0; i--) {
          if (calls.get(i).recipient().equals(recipient)) {
            finals.add(calls.get(i).result());
            break;
          }
        }
      }
      ProviderResult.Sent sent =
          finals.stream()
              .filter(ProviderResult.Sent.class::isInstance)
              .map(ProviderResult.Sent.class::cast)
              .findFirst()
              .orElse(earlier.stream().findFirst().orElse(null));
      List<ProviderResult.Failed> failures =
          finals.stream()
              .filter(ProviderResult.Failed.class::isInstance)
              .map(ProviderResult.Failed.class::cast)
              .toList();
      ProviderResult.Failed failure =
          failures.stream()
              .filter(f -> f.kind().retryable())
              .findFirst()
              .orElse(failures.isEmpty() ? null : failures.get(0));
      return new Outcome(sent, failure);
    }
  }

  /**
   * Records the calls and moves the delivery on: retrying while a recipient failed retryably and
   * attempts remain, else delivered if any recipient took it, else failed.
   */
  private void finish(ClaimedDelivery delivery, List<Call> calls, Outcome outcome) {
    Instant now = clock.instant();
    String status =
        transactions.execute(
            tx -> {
              for (Call call : calls) {
                repository.recordCall(
                    delivery.id(),
                    delivery.attempt(),
                    call.result().provider(),
                    call.recipient(),
                    outcomeName(call.result()),
                    call.result() instanceof ProviderResult.Failed f ? f.error() : null,
                    call.result() instanceof ProviderResult.Sent s ? s.messageId() : null,
                    call.started(),
                    call.finished());
              }
              ProviderResult.Failed failed = outcome.failure();
              if (failed != null
                  && failed.kind().retryable()
                  && retryPolicy.mayRetry(delivery.attempt(), delivery.attemptLimit())) {
                Duration delay = retryPolicy.delayAfter(delivery.attempt(), failed.retryAfter());
                repository.markRetrying(
                    delivery.id(),
                    delivery.attempt(),
                    failed.provider(),
                    failed.error(),
                    now.plus(delay));
                return "retrying";
              }
              if (outcome.sent() != null) {
                ProviderResult.Sent sent = outcome.sent();
                repository.markDelivered(
                    delivery.id(), delivery.attempt(), sent.provider(), sent.messageId(), now);
                return "delivered";
              }
              repository.markFailed(
                  delivery.id(), delivery.attempt(), failed.provider(), failed.error(), now);
              if (failed.kind() != FailureKind.INVALID_RECIPIENT) {
                deadLetter(delivery, failed.error(), now);
              }
              return "failed";
            });
    count(delivery, status);
    if ("delivered".equals(status)) {
      Timer.builder("notification.latency")
          .description("Time from accept (or release) to the provider's acceptance")
          .tags("channel", delivery.channel().wire(), "priority", delivery.priority().wire())
          .register(registry)
          .record(Duration.between(delivery.acceptedAt(), now));
    } else if ("retrying".equals(status)) {
      retries.get(delivery.channel()).increment();
    }
  }

  private void deadLetter(ClaimedDelivery delivery, String reason, Instant now) {
    repository.insertDeadLetter(delivery, reason, now);
    DeadLetterEvent event =
        new DeadLetterEvent(
            delivery.id(),
            delivery.notificationId(),
            delivery.channel().wire(),
            delivery.priority().wire(),
            delivery.attempt(),
            reason);
    outbox.append(deadLetterTopic, delivery.id().toString(), json.writeValueAsString(event), 0);
    deadLetters.get(delivery.channel()).increment();
    log.warn(
        "Delivery {} ({}) failed after {} attempts and went to the dead-letter topic: {}",
        delivery.id(),
        delivery.channel().wire(),
        delivery.attempt(),
        reason);
  }

  private void count(ClaimedDelivery delivery, String status) {
    registry
        .counter(
            "notifications.sent",
            "channel",
            delivery.channel().wire(),
            "type",
            delivery.type(),
            "status",
            status)
        .increment();
  }

  private List<String> recipients(ClaimedDelivery delivery) {
    return switch (delivery.channel()) {
      case PUSH -> devices.activeTokens(delivery.userId());
      case EMAIL -> devices.email(delivery.userId()).stream().toList();
      case SMS -> devices.phone(delivery.userId()).stream().toList();
    };
  }

  private static String noRecipient(Channel channel) {
    return switch (channel) {
      case PUSH -> "no active device";
      case EMAIL -> "no email address on file";
      case SMS -> "no phone number on file";
    };
  }

  private static String outcomeName(ProviderResult result) {
    return result instanceof ProviderResult.Failed failed
        ? failed.kind().name().toLowerCase()
        : "sent";
  }

  private record Call(String recipient, ProviderResult result, Instant started, Instant finished) {}
}
