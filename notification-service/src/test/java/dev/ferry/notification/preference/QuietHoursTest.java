package dev.ferry.notification.preference;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.notification.IntegrationTestBase;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Quiet hours in the user's time zone hold non-critical notifications; critical ones bypass them.
 */
class QuietHoursTest extends IntegrationTestBase {

  private static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
  private static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm");

  @Test
  void nonCriticalIsHeldUntilQuietHoursEndWhileCriticalGoesAtOnce() {
    String user = newUser();
    String token = registerDevice(user, "quiet-");
    LocalTime local = CLOCK.instant().atZone(TOKYO).toLocalTime().truncatedTo(ChronoUnit.MINUTES);
    Map<String, Object> quiet =
        Map.of(
            "start", local.minusHours(1).format(HH_MM),
            "end", local.plusHours(1).format(HH_MM),
            "time_zone", "Asia/Tokyo");
    client
        .put()
        .uri("/api/v1/users/{id}/preferences", user)
        .body(Map.of("quiet_hours", quiet))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.quiet_hours.time_zone")
        .isEqualTo("Asia/Tokyo");

    Map<String, Object> held = send(request(user, "normal", List.of("push")));
    Map<String, Object> critical = send(request(user, "critical", List.of("push")));

    assertThat(held.get("status")).isEqualTo("scheduled");
    Instant releaseAt = Instant.parse((String) held.get("release_at"));
    assertThat(releaseAt)
        .isAfter(CLOCK.instant())
        .isBefore(CLOCK.instant().plus(Duration.ofMinutes(61)));
    assertThat(critical.get("status")).isEqualTo("queued");
    awaitChannel(critical.get("notification_id"), "push", "delivered");
    assertThat(FCM.receivedFor(token)).hasSize(1);
    assertThat(channelStatus(held.get("notification_id"), "push").get("status"))
        .isEqualTo("pending");

    CLOCK.advance(Duration.between(CLOCK.instant(), releaseAt).plusSeconds(1));

    awaitChannel(held.get("notification_id"), "push", "delivered");
    assertThat(FCM.receivedFor(token)).hasSize(2);
  }

  @Test
  void unknownTimeZoneIsRejected() {
    client
        .put()
        .uri("/api/v1/users/{id}/preferences", newUser())
        .body(
            Map.of(
                "quiet_hours",
                Map.of("start", "22:00", "end", "07:00", "time_zone", "Mars/Olympus")))
        .exchange()
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.field")
        .isEqualTo("quiet_hours.time_zone");
  }
}
