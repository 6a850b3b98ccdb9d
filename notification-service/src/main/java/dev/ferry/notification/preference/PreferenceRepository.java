package dev.ferry.notification.preference;

import dev.ferry.notification.Channel;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** One row of preferences per user; per-type overrides as JSONB. */
@Repository
class PreferenceRepository {

  private static final TypeReference<Map<String, Map<String, Boolean>>> TYPES =
      new TypeReference<>() {};

  private final JdbcClient jdbc;
  private final JsonMapper json;

  PreferenceRepository(JdbcClient jdbc, JsonMapper json) {
    this.jdbc = jdbc;
    this.json = json;
  }

  Optional<Preferences> find(String userId) {
    return jdbc.sql("SELECT * FROM user_preferences WHERE user_id = ?")
        .param(userId)
        .query(this::map)
        .optional();
  }

  /** The stored preferences of those of {@code userIds} that have any. */
  Map<String, Preferences> findAll(Collection<String> userIds) {
    Map<String, Preferences> found = new HashMap<>();
    jdbc.sql("SELECT * FROM user_preferences WHERE user_id = ANY(?)")
        .param(userIds.toArray(String[]::new))
        .query((RowCallbackHandler) rs -> found.put(rs.getString("user_id"), map(rs, rs.getRow())));
    return found;
  }

  void upsert(String userId, Preferences preferences, Instant now) {
    Map<String, Map<String, Boolean>> types = new LinkedHashMap<>();
    preferences
        .types()
        .forEach(
            (type, switches) -> {
              Map<String, Boolean> wire = new LinkedHashMap<>();
              switches.forEach((channel, on) -> wire.put(channel.wire(), on));
              types.put(type, wire);
            });
    jdbc.sql(
            """
            INSERT INTO user_preferences (user_id, push_enabled, email_enabled, sms_enabled,
                                          type_overrides, quiet_hours_start, quiet_hours_end,
                                          time_zone, updated_at)
            VALUES (:user, :push, :email, :sms, CAST(:types AS JSONB), :start, :end, :zone, :now)
            ON CONFLICT (user_id) DO UPDATE SET
                push_enabled = EXCLUDED.push_enabled, email_enabled = EXCLUDED.email_enabled,
                sms_enabled = EXCLUDED.sms_enabled, type_overrides = EXCLUDED.type_overrides,
                quiet_hours_start = EXCLUDED.quiet_hours_start,
                quiet_hours_end = EXCLUDED.quiet_hours_end, time_zone = EXCLUDED.time_zone,
                updated_at = EXCLUDED.updated_at
            """)
        .param("user", userId)
        .param("push", preferences.channels().getOrDefault(Channel.PUSH, true))
        .param("email", preferences.channels().getOrDefault(Channel.EMAIL, true))
        .param("sms", preferences.channels().getOrDefault(Channel.SMS, true))
        .param("types", json.writeValueAsString(types))
        .param("start", preferences.quietStart())
        .param("end", preferences.quietEnd())
        .param("zone", preferences.timeZone().getId())
        .param("now", OffsetDateTime.ofInstant(now, ZoneOffset.UTC))
        .update();
  }

  private Preferences map(ResultSet rs, int row) throws SQLException {
    Map<Channel, Boolean> channels = new EnumMap<>(Channel.class);
    channels.put(Channel.PUSH, rs.getBoolean("push_enabled"));
    channels.put(Channel.EMAIL, rs.getBoolean("email_enabled"));
    channels.put(Channel.SMS, rs.getBoolean("sms_enabled"));
    Map<String, Map<Channel, Boolean>> types = new LinkedHashMap<>();
    json.readValue(rs.getString("type_overrides"), TYPES)
        .forEach(
            (type, switches) -> {
              Map<Channel, Boolean> parsed = new EnumMap<>(Channel.class);
              switches.forEach(
                  (channel, on) -> Channel.fromWire(channel).ifPresent(c -> parsed.put(c, on)));
              types.put(type, parsed);
            });
    return new Preferences(
        channels,
        types,
        rs.getObject("quiet_hours_start", LocalTime.class),
        rs.getObject("quiet_hours_end", LocalTime.class),
        ZoneId.of(rs.getString("time_zone")));
  }
}
