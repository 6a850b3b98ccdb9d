package dev.ferry.notification.device;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Devices and contact points. A push token belongs to one device row; registering a token again
 * (after an app reinstall, or for another user on a shared phone) moves it and reactivates it.
 */
@Repository
class DeviceRepository {

  private final JdbcClient jdbc;

  DeviceRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  DeviceResponse register(String userId, String token, String platform, Instant now) {
    return jdbc.sql(
            """
            INSERT INTO user_devices (id, user_id, token, platform, active, created_at)
            VALUES (:id, :user, :token, :platform, TRUE, :now)
            ON CONFLICT (token) DO UPDATE SET user_id = EXCLUDED.user_id,
                platform = EXCLUDED.platform, active = TRUE, deactivated_at = NULL,
                deactivation_reason = NULL
            RETURNING *
            """)
        .param("id", UUID.randomUUID())
        .param("user", userId)
        .param("token", token)
        .param("platform", platform)
        .param("now", utc(now))
        .query(DeviceRepository::map)
        .single();
  }

  List<DeviceResponse> list(String userId) {
    return jdbc.sql("SELECT * FROM user_devices WHERE user_id = ? ORDER BY created_at, id")
        .param(userId)
        .query(DeviceRepository::map)
        .list();
  }

  /** Active tokens of those of {@code userIds} that have any, by user, oldest first. */
  Map<String, List<String>> activeTokens(Collection<String> userIds) {
    Map<String, List<String>> tokens = new HashMap<>();
    jdbc.sql(
            """
            SELECT user_id, token FROM user_devices
             WHERE user_id = ANY(?) AND active ORDER BY created_at, id
            """)
        .param(userIds.toArray(String[]::new))
        .query(
            (RowCallbackHandler)
                rs ->
                    tokens
                        .computeIfAbsent(rs.getString("user_id"), user -> new ArrayList<>())
                        .add(rs.getString("token")));
    return tokens;
  }

  /** Those of {@code userIds} with at least one active device. */
  Set<String> withActiveDevice(Collection<String> userIds) {
    return new HashSet<>(
        jdbc.sql("SELECT DISTINCT user_id FROM user_devices WHERE user_id = ANY(?) AND active")
            .param(userIds.toArray(String[]::new))
            .query(String.class)
            .list());
  }

  /** Contact points of those of {@code userIds} that have any, by user. */
  Map<String, ContactsResponse> contacts(Collection<String> userIds) {
    Map<String, ContactsResponse> found = new HashMap<>();
    jdbc.sql("SELECT user_id, email, phone FROM user_contacts WHERE user_id = ANY(?)")
        .param(userIds.toArray(String[]::new))
        .query(
            (RowCallbackHandler)
                rs ->
                    found.put(
                        rs.getString("user_id"),
                        new ContactsResponse(
                            rs.getString("user_id"),
                            rs.getString("email"),
                            rs.getString("phone"))));
    return found;
  }

  boolean delete(String userId, UUID id) {
    return jdbc.sql("DELETE FROM user_devices WHERE user_id = ? AND id = ?")
            .params(userId, id)
            .update()
        == 1;
  }

  void deactivate(String token, String reason, Instant now) {
    jdbc.sql(
            """
            UPDATE user_devices SET active = FALSE, deactivated_at = :now,
                   deactivation_reason = :reason
             WHERE token = :token AND active
            """)
        .param("token", token)
        .param("reason", reason)
        .param("now", utc(now))
        .update();
  }

  Optional<ContactsResponse> contacts(String userId) {
    return jdbc.sql("SELECT user_id, email, phone FROM user_contacts WHERE user_id = ?")
        .param(userId)
        .query(
            (rs, row) ->
                new ContactsResponse(
                    rs.getString("user_id"), rs.getString("email"), rs.getString("phone")))
        .optional();
  }

  void saveContacts(String userId, String email, String phone, Instant now) {
    jdbc.sql(
            """
            INSERT INTO user_contacts (user_id, email, phone, updated_at)
            VALUES (:user, :email, :phone, :now)
            ON CONFLICT (user_id) DO UPDATE SET email = EXCLUDED.email,
                phone = EXCLUDED.phone, updated_at = EXCLUDED.updated_at
            """)
        .param("user", userId)
        .param("email", email)
        .param("phone", phone)
        .param("now", utc(now))
        .update();
  }

  private static OffsetDateTime utc(Instant instant) {
    return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
  }

  private static DeviceResponse map(ResultSet rs, int row) throws SQLException {
    OffsetDateTime deactivated = rs.getObject("deactivated_at", OffsetDateTime.class);
    return new DeviceResponse(
        rs.getObject("id", UUID.class),
        rs.getString("user_id"),
        rs.getString("token"),
        rs.getString("platform"),
        rs.getBoolean("active"),
        rs.getObject("created_at", OffsetDateTime.class).toInstant(),
        deactivated == null ? null : deactivated.toInstant(),
        rs.getString("deactivation_reason"));
  }
}
