package dev.ferry.notification.notification;

import dev.ferry.notification.Channel;
import dev.ferry.notification.NotificationProperties;
import dev.ferry.notification.Priority;
import dev.ferry.notification.delivery.WorkQueue;
import dev.ferry.notification.device.DeviceService;
import dev.ferry.notification.notification.NotificationRepository.DeliveryRow;
import dev.ferry.notification.notification.NotificationRepository.NewDelivery;
import dev.ferry.notification.notification.NotificationRepository.NotificationRow;
import dev.ferry.notification.preference.PreferenceService;
import dev.ferry.notification.preference.Preferences;
import dev.ferry.notification.ratelimit.RateLimiter;
import dev.ferry.notification.template.RenderedContent;
import dev.ferry.notification.template.TemplateNotFoundException;
import dev.ferry.notification.template.TemplateRenderException;
import dev.ferry.notification.template.TemplateService;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The accept path: idempotency, preferences, quiet hours, rendering, then the notification, its
 * per-channel deliveries and their outbox messages in one Postgres transaction. Once {@link
 * #accept} returns, the notification is durable and will be delivered whatever happens to Kafka.
 *
 * <p>Idempotency: a key (body or {@code Idempotency-Key} header) is unique in the notifications
 * table for {@code idempotency.retention}; a repeat returns the original notification, and two
 * concurrent requests with one key race on the unique index, where the loser returns the winner's
 * notification. Thread-safe.
 */
@Service
public class NotificationService {

  private final NotificationRepository repository;
  private final PreferenceService preferences;
  private final TemplateService templates;
  private final DeviceService devices;
  private final RateLimiter rateLimiter;
  private final WorkQueue workQueue;
  private final TransactionTemplate transactions;
  private final Clock clock;
  private final NotificationProperties properties;
  private final NotificationRequestValidator validator;
  private final MeterRegistry registry;

  NotificationService(
      NotificationRepository repository,
      PreferenceService preferences,
      TemplateService templates,
      DeviceService devices,
      RateLimiter rateLimiter,
      WorkQueue workQueue,
      TransactionTemplate transactions,
      Clock clock,
      NotificationProperties properties,
      MeterRegistry registry) {
    this.repository = repository;
    this.preferences = preferences;
    this.templates = templates;
    this.devices = devices;
    this.rateLimiter = rateLimiter;
    this.workQueue = workQueue;
    this.transactions = transactions;
    this.clock = clock;
    this.properties = properties;
    this.validator = new NotificationRequestValidator(properties.limits().maxBodyChars());
    this.registry = registry;
  }

  /** The outcome of a send: the response, and whether it replays an earlier notification. */
  public record Accepted(NotificationAcceptedResponse response, boolean replayed) {}

  /**
   * Validates and accepts {@code request}.
   *
   * @param headerKey the {@code Idempotency-Key} header, or null
   * @throws InvalidNotificationException naming the field at fault; nothing is stored
   */
  public Accepted accept(SendNotificationRequest request, String headerKey) {
    Instant now = clock.instant();
    NotificationCommand command = validator.toCommand(request, headerKey, now);
    if (command.idempotencyKey() != null) {
      Optional<UUID> existing = repository.findByIdempotencyKey(command.idempotencyKey(), now);
      if (existing.isPresent()) {
        return new Accepted(replay(existing.get()), true);
      }
    }
    Preferences userPreferences = preferences.forUser(command.userId());
    List<NewDelivery> planned = new ArrayList<>();
    Instant releaseAt = releaseAt(command, userPreferences, now);
    String status = releaseAt == null ? "queued" : "scheduled";
    for (Channel channel : command.channels()) {
      String skip = skipReason(command, channel, userPreferences);
      RenderedContent content =
          skip == null ? render(command, channel) : new RenderedContent(null, null, "");
      String deliveryStatus = skip != null ? "skipped" : releaseAt == null ? "queued" : "pending";
      planned.add(
          new NewDelivery(
              UUID.randomUUID(),
              channel.wire(),
              deliveryStatus,
              content.subject(),
              content.title(),
              content.body(),
              skip));
    }
    if (planned.stream().allMatch(d -> "skipped".equals(d.status()))) {
      status = "skipped";
    }
    UUID id = UUID.randomUUID();
    String notificationStatus = status;
    try {
      transactions.executeWithoutResult(
          tx -> {
            repository.insert(
                id,
                command,
                notificationStatus,
                releaseAt,
                now,
                now.plus(properties.idempotency().retention()));
            for (NewDelivery delivery : planned) {
              repository.insertDelivery(
                  id, command.priority().wire(), delivery, properties.retry().maxAttempts(), now);
              if ("queued".equals(delivery.status())) {
                workQueue.enqueue(delivery.id(), command.priority(), 1);
              }
            }
          });
    } catch (DuplicateKeyException e) {
      UUID winner =
          repository.findByIdempotencyKey(command.idempotencyKey(), now).orElseThrow(() -> e);
      return new Accepted(replay(winner), true);
    }
    registry
        .counter(
            "notifications.accepted",
            "priority",
            command.priority().wire(),
            "status",
            notificationStatus)
        .increment();
    Map<String, String> channels = new LinkedHashMap<>();
    planned.forEach(
        d -> channels.put(d.channel(), d.skipReason() == null ? "pending" : d.skipReason()));
    return new Accepted(
        new NotificationAcceptedResponse(id, notificationStatus, channels, releaseAt), false);
  }

  /**
   * Accepts each item on its own; an invalid item is reported in its result and does not stop the
   * others.
   */
  public List<BatchResponse.Item> acceptBatch(
      List<SendNotificationRequest> requests, Validation validation) {
    List<BatchResponse.Item> results = new ArrayList<>(requests.size());
    for (int i = 0; i < requests.size(); i++) {
      SendNotificationRequest request = requests.get(i);
      try {
        validation.check(request, i);
        Accepted accepted = accept(request, null);
        NotificationAcceptedResponse response = accepted.response();
        results.add(
            new BatchResponse.Item(
                i, response.notificationId(), response.status(), response.channels(), null, null));
      } catch (InvalidNotificationException e) {
        InvalidNotificationException item =
            e.field().startsWith("notifications[") ? e : e.inBatch(i);
        results.add(
            new BatchResponse.Item(i, null, "rejected", null, item.field(), item.getMessage()));
      }
    }
    return results;
  }

  /** Bean Validation of one batch item, throwing the first violation as a field problem. */
  @FunctionalInterface
  public interface Validation {
    void check(SendNotificationRequest request, int index);
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

  /**
   * When the notification may go out, or null for now: its schedule, pushed past the end of the
   * user's quiet hours unless it is critical.
   */
  private static Instant releaseAt(NotificationCommand command, Preferences prefs, Instant now) {
    Instant release =
        command.scheduledAt() != null && command.scheduledAt().isAfter(now)
            ? command.scheduledAt()
            : null;
    if (command.priority() != Priority.CRITICAL) {
      Optional<Instant> quietUntil = prefs.quietUntil(release != null ? release : now);
      if (quietUntil.isPresent()) {
        release = quietUntil.get();
      }
    }
    return release;
  }

  private String skipReason(NotificationCommand command, Channel channel, Preferences prefs) {
    if (!prefs.allows(channel, command.type())) {
      return "opted_out";
    }
    boolean reachable =
        switch (channel) {
          case PUSH -> !devices.activeTokens(command.userId()).isEmpty();
          case EMAIL -> devices.email(command.userId()).isPresent();
          case SMS -> devices.phone(command.userId()).isPresent();
        };
    if (!reachable) {
      return "no_recipient";
    }
    if (!rateLimiter.tryUserChannel(command.userId(), channel.wire())) {
      return "rate_limited";
    }
    return null;
  }

  private RenderedContent render(NotificationCommand command, Channel channel) {
    RenderedContent content;
    if (command.template() != null) {
      try {
        content = templates.render(command.template(), channel, command.data());
      } catch (TemplateNotFoundException e) {
        throw InvalidNotificationException.of("template", e.getMessage());
      } catch (TemplateRenderException e) {
        throw InvalidNotificationException.of("data", e.getMessage());
      }
    } else {
      content =
          new RenderedContent(
              command.subject() != null ? command.subject() : command.title(),
              command.title(),
              command.body());
    }
    if (content.body() != null && content.body().length() > properties.limits().maxBodyChars()) {
      throw InvalidNotificationException.of(
          "template",
          "renders a body longer than " + properties.limits().maxBodyChars() + " characters");
    }
    return content;
  }
}
