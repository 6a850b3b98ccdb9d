package dev.ferry.notification.preference;

import dev.ferry.notification.Channel;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Map;
import java.util.Optional;

/**
 * A user's notification preferences: per-channel switches, per-type overrides and quiet hours.
 * Immutable.
 *
 * @param channels switch per channel; absent means on
 * @param types per type, switches per channel that win over {@code channels}
 * @param quietStart start of quiet hours (local time), or null for none
 * @param quietEnd end of quiet hours (local time, exclusive), or null for none
 * @param timeZone the zone quiet hours are read in
 */
public record Preferences(
    Map<Channel, Boolean> channels,
    Map<String, Map<Channel, Boolean>> types,
    LocalTime quietStart,
    LocalTime quietEnd,
    ZoneId timeZone) {

  /** Everything on, no quiet hours: the preferences of a user who never set any. */
  public static Preferences defaults() {
    return new Preferences(Map.of(), Map.of(), null, null, ZoneId.of("UTC"));
  }

  /** Whether the user accepts notifications of {@code type} on {@code channel}. */
  public boolean allows(Channel channel, String type) {
    Map<Channel, Boolean> override = types.get(type);
    if (override != null && override.containsKey(channel)) {
      return override.get(channel);
    }
    return channels.getOrDefault(channel, true);
  }

  /**
   * If {@code now} falls inside quiet hours, the instant they end; otherwise empty. A window whose
   * start is after its end spans midnight (22:00–07:00). Start and end equal means no quiet hours.
   * Around a daylight-saving gap the end is taken as the zone's next valid instant.
   */
  public Optional<Instant> quietUntil(Instant now) {
    if (quietStart == null || quietEnd == null || quietStart.equals(quietEnd)) {
      return Optional.empty();
    }
    ZonedDateTime local = now.atZone(timeZone);
    LocalTime time = local.toLocalTime();
    LocalDate date = local.toLocalDate();
    boolean spansMidnight = quietStart.isAfter(quietEnd);
    if (!spansMidnight) {
      if (!time.isBefore(quietStart) && time.isBefore(quietEnd)) {
        return Optional.of(ZonedDateTime.of(date, quietEnd, timeZone).toInstant());
      }
      return Optional.empty();
    }
    if (!time.isBefore(quietStart)) {
      return Optional.of(ZonedDateTime.of(date.plusDays(1), quietEnd, timeZone).toInstant());
    }
    if (time.isBefore(quietEnd)) {
      return Optional.of(ZonedDateTime.of(date, quietEnd, timeZone).toInstant());
    }
    return Optional.empty();
  }
}
