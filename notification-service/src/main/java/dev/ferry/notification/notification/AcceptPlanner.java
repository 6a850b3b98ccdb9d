package dev.ferry.notification.notification;

import dev.ferry.notification.Channel;
import dev.ferry.notification.NotificationProperties;
import dev.ferry.notification.Priority;
import dev.ferry.notification.device.DeviceService;
import dev.ferry.notification.notification.NotificationRepository.NewDelivery;
import dev.ferry.notification.notification.NotificationRepository.NewNotification;
import dev.ferry.notification.preference.PreferenceService;
import dev.ferry.notification.preference.Preferences;
import dev.ferry.notification.ratelimit.RateLimiter;
import dev.ferry.notification.template.RenderedContent;
import dev.ferry.notification.template.TemplateNotFoundException;
import dev.ferry.notification.template.TemplateRenderException;
import dev.ferry.notification.template.TemplateService;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Decides, for validated commands, what to store: when each notification may go out (its schedule,
 * pushed past the user's quiet hours unless critical) and, per channel, the rendered content or the
 * reason it is skipped ({@code opted_out}, {@code no_recipient}, {@code rate_limited}, checked in
 * that order). It reads what it needs for all commands at once: preferences and reachability in
 * three queries, rate limits in one Redis round trip, so a batch of 1000 costs what a batch of one
 * does plus rendering. Rendering runs before rate limiting, so an item rejected for its template
 * uses up none of its user's sends. Thread-safe: stateless.
 */
@Component
class AcceptPlanner {

  private final PreferenceService preferences;
  private final TemplateService templates;
  private final DeviceService devices;
  private final RateLimiter rateLimiter;
  private final int maxBodyChars;

  AcceptPlanner(
      PreferenceService preferences,
      TemplateService templates,
      DeviceService devices,
      RateLimiter rateLimiter,
      NotificationProperties properties) {
    this.preferences = preferences;
    this.templates = templates;
    this.devices = devices;
    this.rateLimiter = rateLimiter;
    this.maxBodyChars = properties.limits().maxBodyChars();
  }

  /** One command's plan: the notification to store, or why the command is rejected. */
  record Planned(NewNotification notification, InvalidNotificationException rejected) {}

  /** One channel before rate limiting: skipped for a reason, or its rendered content. */
  private record Draft(String skipReason, RenderedContent content) {

    static final RenderedContent NOTHING = new RenderedContent(null, null, "");

    static Draft skipped(String reason) {
      return new Draft(reason, NOTHING);
    }
  }

  /** Plans each of {@code commands}; the result has one element per command, in order. */
  List<Planned> plan(List<NotificationCommand> commands, Instant now) {
    List<String> users = commands.stream().map(NotificationCommand::userId).distinct().toList();
    if (users.isEmpty()) {
      return List.of();
    }
    Map<String, Preferences> userPreferences = preferences.forUsers(users);
    Map<String, Set<Channel>> reachable = devices.reachableChannels(users);

    List<Map<Channel, Draft>> drafts = new ArrayList<>();
    List<InvalidNotificationException> rejections = new ArrayList<>();
    List<RateLimiter.UserChannel> counted = new ArrayList<>();
    for (NotificationCommand command : commands) {
      Map<Channel, Draft> perChannel = new EnumMap<>(Channel.class);
      InvalidNotificationException rejected = null;
      try {
        for (Channel channel : command.channels()) {
          if (!userPreferences.get(command.userId()).allows(channel, command.type())) {
            perChannel.put(channel, Draft.skipped("opted_out"));
          } else if (!reachable.get(command.userId()).contains(channel)) {
            perChannel.put(channel, Draft.skipped("no_recipient"));
          } else {
            perChannel.put(channel, new Draft(null, render(command, channel)));
          }
        }
      } catch (InvalidNotificationException e) {
        rejected = e;
      }
      if (rejected == null) {
        perChannel.forEach(
            (channel, draft) -> {
              if (draft.skipReason() == null) {
                counted.add(new RateLimiter.UserChannel(command.userId(), channel.wire()));
              }
            });
      }
      drafts.add(perChannel);
      rejections.add(rejected);
    }
    List<Boolean> allowed = rateLimiter.tryUserChannels(counted);

    List<Planned> plans = new ArrayList<>(commands.size());
    int next = 0;
    for (int i = 0; i < commands.size(); i++) {
      if (rejections.get(i) != null) {
        plans.add(new Planned(null, rejections.get(i)));
        continue;
      }
      NotificationCommand command = commands.get(i);
      Instant releaseAt = releaseAt(command, userPreferences.get(command.userId()), now);
      List<NewDelivery> deliveries = new ArrayList<>();
      for (Channel channel : command.channels()) {
        Draft draft = drafts.get(i).get(channel);
        String skip =
            draft.skipReason() != null
                ? draft.skipReason()
                : allowed.get(next++) ? null : "rate_limited";
        RenderedContent rendered = skip == null ? draft.content() : Draft.NOTHING;
        String status = skip != null ? "skipped" : releaseAt == null ? "queued" : "pending";
        deliveries.add(
            new NewDelivery(
                UUID.randomUUID(),
                channel.wire(),
                status,
                rendered.subject(),
                rendered.title(),
                rendered.body(),
                skip));
      }
      String status =
          deliveries.stream().allMatch(d -> "skipped".equals(d.status()))
              ? "skipped"
              : releaseAt == null ? "queued" : "scheduled";
      plans.add(
          new Planned(
              new NewNotification(UUID.randomUUID(), command, status, releaseAt, deliveries),
              null));
    }
    return plans;
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
    if (content.body() != null && content.body().length() > maxBodyChars) {
      throw InvalidNotificationException.of(
          "template", "renders a body longer than " + maxBodyChars + " characters");
    }
    return content;
  }
}
