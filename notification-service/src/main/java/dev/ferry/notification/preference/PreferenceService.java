package dev.ferry.notification.preference;

import dev.ferry.notification.Channel;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.stereotype.Service;

/** Reads and replaces users' preferences; the facade the accept path asks. Thread-safe. */
@Service
public class PreferenceService {

  private final PreferenceRepository repository;
  private final Clock clock;

  PreferenceService(PreferenceRepository repository, Clock clock) {
    this.repository = repository;
    this.clock = clock;
  }

  /** The user's preferences, or the defaults (everything on, no quiet hours). */
  public Preferences forUser(String userId) {
    return repository.find(userId).orElseGet(Preferences::defaults);
  }

  /** Preferences of each of {@code userIds} (defaults for those without), in one query. */
  public Map<String, Preferences> forUsers(Collection<String> userIds) {
    Map<String, Preferences> found = repository.findAll(userIds);
    Map<String, Preferences> all = new HashMap<>();
    userIds.forEach(user -> all.put(user, found.getOrDefault(user, Preferences.defaults())));
    return all;
  }

  PreferencesResponse get(String userId) {
    return toResponse(userId, forUser(userId));
  }

  PreferencesResponse replace(String userId, PreferencesRequest request) {
    Map<Channel, Boolean> channels = new EnumMap<>(Channel.class);
    if (request.channels() != null) {
      request
          .channels()
          .forEach((name, on) -> channels.put(Channel.fromWire(name).orElseThrow(), on));
    }
    Map<String, Map<Channel, Boolean>> types = new LinkedHashMap<>();
    if (request.types() != null) {
      request
          .types()
          .forEach(
              (type, switches) -> {
                Map<Channel, Boolean> parsed = new EnumMap<>(Channel.class);
                switches.forEach(
                    (name, on) -> parsed.put(Channel.fromWire(name).orElseThrow(), on));
                types.put(type, parsed);
              });
    }
    Preferences preferences =
        request.quietHours() == null
            ? new Preferences(channels, types, null, null, ZoneId.of("UTC"))
            : new Preferences(
                channels,
                types,
                LocalTime.parse(request.quietHours().start()),
                LocalTime.parse(request.quietHours().end()),
                zone(request.quietHours().timeZone()));
    repository.upsert(userId, preferences, clock.instant());
    return toResponse(userId, preferences);
  }

  private static ZoneId zone(String id) {
    try {
      return ZoneId.of(id);
    } catch (DateTimeException e) {
      throw InvalidPreferenceException.unknownTimeZone(id);
    }
  }

  private static PreferencesResponse toResponse(String userId, Preferences preferences) {
    Map<String, Boolean> channels = new TreeMap<>();
    for (Channel channel : Channel.values()) {
      channels.put(channel.wire(), preferences.channels().getOrDefault(channel, true));
    }
    Map<String, Map<String, Boolean>> types = new TreeMap<>();
    preferences
        .types()
        .forEach(
            (type, switches) -> {
              Map<String, Boolean> wire = new TreeMap<>();
              switches.forEach((channel, on) -> wire.put(channel.wire(), on));
              types.put(type, wire);
            });
    PreferencesResponse.QuietHours quiet =
        preferences.quietStart() == null
            ? null
            : new PreferencesResponse.QuietHours(
                preferences.quietStart().toString(),
                preferences.quietEnd().toString(),
                preferences.timeZone().getId());
    return new PreferencesResponse(userId, channels, types, quiet);
  }
}
