package dev.ferry.notification.delivery;

import dev.ferry.notification.Channel;
import dev.ferry.notification.NotificationProperties;
import dev.ferry.notification.Priority;
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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Makes the delivery attempts of one Kafka poll: claim them, send to every recipient of each,
 * record every provider call, then move each delivery to delivered, retrying or failed.
 *
 * <p>Batching: the attempts of a poll (up to {@code max-poll-records}) are claimed in one
 * statement, their recipients read in one query per channel, their provider calls made in parallel
 * on the priority's {@link ProviderCallPools pool}, and their calls and outcomes written in one
 * transaction of a few JDBC batches. A priority's throughput is therefore no longer its consumer
 * threads divided by the provider's latency, and the database work per delivery is a share of a few
 * round trips. The worker waits for every call of its poll before the next poll, so a provider call
 * that hangs delays its poll's outcomes (up to the provider timeout), never another priority's.
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
  private final ProviderCallPools pools;
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
      ProviderCallPools pools,
      Outbox outbox,
      TransactionTemplate transactions,
      JsonMapper json,
      Clock clock,
      NotificationProperties properties,
      MeterRegistry registry) {
    this.repository = repository;
    this.devices = devices;
    this.router = router;
    this.pools = pools;
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

  /**
   * Handles the messages of one poll of {@code priority}'s topic; never throws for bad or duplicate
   * messages. Throws only if Postgres fails, and then the poll is redelivered: claims already made
   * find their attempts claimed, and the lease sweep retries those attempts.
   */
  void processAll(Priority priority, List<String> payloads) {
    Map<UUID, DeliveryMessage> messages = new LinkedHashMap<>();
    int duplicatesInPoll = 0;
    for (String payload : payloads) {
      DeliveryMessage message;
      try {
        message = json.readValue(payload, DeliveryMessage.class);
      } catch (JacksonException e) {
        log.error("Dropping unreadable delivery message {}: {}", payload, e.getOriginalMessage());
        continue;
      }
      DeliveryMessage earlier = messages.putIfAbsent(message.deliveryId(), message);
      if (earlier != null) {
        // Two attempts of one delivery in one poll: at most one can be claimable; a later attempt
        // only exists once the earlier one finished, so the later message is the live one.
        duplicatesInPoll++;
        if (message.attempt() > earlier.attempt()) {
          messages.put(message.deliveryId(), message);
        }
      }
    }
    if (messages.isEmpty()) {
      duplicates.increment(duplicatesInPoll);
      return;
    }
    List<ClaimedDelivery> claimed = repository.claimAll(messages.values(), clock.instant());
    int stale = duplicatesInPoll + messages.size() - claimed.size();
    if (stale > 0) {
      duplicates.increment(stale);
      log.debug("{} {} delivery messages were already claimed; skipped", stale, priority.wire());
    }
    if (!claimed.isEmpty()) {
      attemptAll(priority, claimed);
    }
  }

  /** One claimed attempt on its way: its recipients, earlier sends, and the calls made. */
  private record Attempt(
      ClaimedDelivery delivery,
      List<String> recipients,
      Map<String, ProviderResult.Sent> alreadySent,
      List<CompletableFuture<List<Call>>> calls) {}

  private void attemptAll(Priority priority, List<ClaimedDelivery> claimed) {
    Instant started = clock.instant();
    List<ClaimedDelivery> live = new ArrayList<>();
    List<Finished> finished = new ArrayList<>();
    for (ClaimedDelivery delivery : claimed) {
      if (delivery.expiresAt() != null && !started.isBefore(delivery.expiresAt())) {
        finished.add(new Finished(delivery, List.of(), null, "expired"));
      } else {
        live.add(delivery);
      }
    }
    // Attempt numbers only grow (a re-drive continues the count), so first attempts have no
    // earlier calls to look up: no query at all on the common path.
    Map<UUID, Map<String, ProviderResult.Sent>> sentBefore =
        repository.sentRecipients(
            live.stream().filter(d -> d.attempt() > 1).map(ClaimedDelivery::id).toList());
    Map<UUID, List<String>> recipients = recipients(live);

    List<Attempt> attempts = new ArrayList<>();
    for (ClaimedDelivery delivery : live) {
      Map<String, ProviderResult.Sent> alreadySent =
          sentBefore.getOrDefault(delivery.id(), Map.of());
      List<String> toSend =
          recipients.get(delivery.id()).stream().filter(r -> !alreadySent.containsKey(r)).toList();
      List<CompletableFuture<List<Call>>> calls = new ArrayList<>();
      for (String recipient : toSend) {
        calls.add(
            CompletableFuture.supplyAsync(() -> call(delivery, recipient), pools.of(priority)));
      }
      attempts.add(new Attempt(delivery, toSend, alreadySent, calls));
    }
    for (Attempt attempt : attempts) {
      finished.add(conclude(attempt));
    }
    finishAll(finished);
  }

  /** Waits for an attempt's calls and decides its outcome; deactivates dead push tokens. */
  private Finished conclude(Attempt attempt) {
    ClaimedDelivery delivery = attempt.delivery();
    if (attempt.recipients().isEmpty()) {
      return new Finished(
          delivery,
          List.of(),
          new Outcome(
              attempt.alreadySent().values().stream().findFirst().orElse(null),
              ProviderResult.Failed.of(
                  "none", FailureKind.INVALID_RECIPIENT, noRecipient(delivery.channel()))),
          null);
    }
    List<Call> calls = new ArrayList<>();
    for (CompletableFuture<List<Call>> future : attempt.calls()) {
      List<Call> made = future.join();
      calls.addAll(made);
      Call last = made.get(made.size() - 1);
      if (delivery.channel() == Channel.PUSH
          && last.result() instanceof ProviderResult.Failed failed
          && failed.kind() == FailureKind.INVALID_RECIPIENT) {
        devices.deactivateToken(last.recipient(), failed.error());
        log.info("Deactivated dead push token of user {}: {}", delivery.userId(), failed.error());
      }
    }
    return new Finished(
        delivery,
        calls,
        Outcome.of(calls, attempt.recipients(), attempt.alreadySent().values()),
        null);
  }

  /**
   * One recipient's provider calls (one, or two on failover), on a provider-call thread. A provider
   * that throws instead of reporting a failure counts as unavailable, so the attempt is retried.
   */
  private List<Call> call(ClaimedDelivery delivery, String recipient) {
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
    List<Call> calls = new ArrayList<>(2);
    try {
      for (ProviderResult result : router.send(outbound)) {
        calls.add(new Call(recipient, result, callStart, clock.instant()));
      }
    } catch (RuntimeException e) {
      log.error("Provider call for delivery {} threw", delivery.id(), e);
      calls.add(
          new Call(
              recipient,
              ProviderResult.Failed.of("unknown", FailureKind.UNAVAILABLE, e.toString()),
              callStart,
              clock.instant()));
    }
    return calls;
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
   * An attempt ready to be written: its calls and outcome, or {@code fixedStatus} ("expired") for
   * one that made no call.
   */
  private record Finished(
      ClaimedDelivery delivery, List<Call> calls, Outcome outcome, String fixedStatus) {}

  /**
   * Records every call and moves every delivery on, in one transaction: retrying while a recipient
   * failed retryably and attempts remain, else delivered if any recipient took it, else failed
   * (with a dead letter unless the recipient is dead).
   */
  private void finishAll(List<Finished> finished) {
    Instant now = clock.instant();
    List<DeliveryRepository.CallRecord> records = new ArrayList<>();
    List<DeliveryRepository.Transition> transitions = new ArrayList<>();
    List<ClaimedDelivery> deadLettered = new ArrayList<>();
    List<String> deadLetterReasons = new ArrayList<>();
    for (Finished f : finished) {
      ClaimedDelivery delivery = f.delivery();
      for (Call call : f.calls()) {
        records.add(
            new DeliveryRepository.CallRecord(
                delivery.id(),
                delivery.attempt(),
                call.result().provider(),
                call.recipient(),
                outcomeName(call.result()),
                call.result() instanceof ProviderResult.Failed failed ? failed.error() : null,
                call.result() instanceof ProviderResult.Sent sent ? sent.messageId() : null,
                call.started(),
                call.finished()));
      }
      DeliveryRepository.Transition transition = transition(f, now);
      transitions.add(transition);
      if ("failed".equals(transition.status())
          && f.outcome().failure().kind() != FailureKind.INVALID_RECIPIENT) {
        deadLettered.add(delivery);
        deadLetterReasons.add(transition.error());
      }
    }
    transactions.executeWithoutResult(
        tx -> {
          repository.recordCalls(records);
          repository.moveAll(transitions, now);
          for (int i = 0; i < deadLettered.size(); i++) {
            deadLetter(deadLettered.get(i), deadLetterReasons.get(i), now);
          }
        });
    for (int i = 0; i < finished.size(); i++) {
      ClaimedDelivery delivery = finished.get(i).delivery();
      String status = transitions.get(i).status();
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
  }

  private DeliveryRepository.Transition transition(Finished f, Instant now) {
    ClaimedDelivery delivery = f.delivery();
    if (f.fixedStatus() != null) {
      return new DeliveryRepository.Transition(
          delivery.id(), delivery.attempt(), f.fixedStatus(), null, null, null, null);
    }
    ProviderResult.Failed failed = f.outcome().failure();
    if (failed != null
        && failed.kind().retryable()
        && retryPolicy.mayRetry(delivery.attempt(), delivery.attemptLimit())) {
      Duration delay = retryPolicy.delayAfter(delivery.attempt(), failed.retryAfter());
      return new DeliveryRepository.Transition(
          delivery.id(),
          delivery.attempt(),
          "retrying",
          failed.provider(),
          null,
          failed.error(),
          now.plus(delay));
    }
    if (f.outcome().sent() != null) {
      ProviderResult.Sent sent = f.outcome().sent();
      return new DeliveryRepository.Transition(
          delivery.id(),
          delivery.attempt(),
          "delivered",
          sent.provider(),
          sent.messageId(),
          null,
          null);
    }
    return new DeliveryRepository.Transition(
        delivery.id(), delivery.attempt(), "failed", failed.provider(), null, failed.error(), null);
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

  /** Each delivery's recipients, in one query per channel present. */
  private Map<UUID, List<String>> recipients(List<ClaimedDelivery> deliveries) {
    Map<Channel, List<String>> usersByChannel = new EnumMap<>(Channel.class);
    for (ClaimedDelivery delivery : deliveries) {
      usersByChannel
          .computeIfAbsent(delivery.channel(), c -> new ArrayList<>())
          .add(delivery.userId());
    }
    Map<String, List<String>> tokens =
        usersByChannel.containsKey(Channel.PUSH)
            ? devices.activeTokens(usersByChannel.get(Channel.PUSH))
            : Map.of();
    Map<String, String> emails =
        usersByChannel.containsKey(Channel.EMAIL)
            ? devices.emails(usersByChannel.get(Channel.EMAIL))
            : Map.of();
    Map<String, String> phones =
        usersByChannel.containsKey(Channel.SMS)
            ? devices.phones(usersByChannel.get(Channel.SMS))
            : Map.of();
    Map<UUID, List<String>> recipients = new HashMap<>();
    for (ClaimedDelivery delivery : deliveries) {
      String user = delivery.userId();
      recipients.put(
          delivery.id(),
          switch (delivery.channel()) {
            case PUSH -> tokens.getOrDefault(user, List.of());
            case EMAIL -> emails.containsKey(user) ? List.of(emails.get(user)) : List.of();
            case SMS -> phones.containsKey(user) ? List.of(phones.get(user)) : List.of();
          });
    }
    return recipients;
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
