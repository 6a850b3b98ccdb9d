package dev.ferry.notification.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.notification.IntegrationTestBase;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Scheduled notifications are held durably and released at their time, once; expired ones never go.
 */
class ScheduledNotificationTest extends IntegrationTestBase {

  @Autowired DueWorkScheduler scheduler;

  @Test
  void scheduledNotificationIsHeldUntilItsTimeThenDelivered() {
    String user = newUser();
    String email = newEmail();
    saveContacts(user, email, null);
    Instant at = CLOCK.instant().plus(Duration.ofHours(3));
    Map<String, Object> request = request(user, "normal", List.of("email"));
    request.put("scheduled_at", at.toString());

    Map<String, Object> accepted = send(request);

    assertThat(accepted.get("status")).isEqualTo("scheduled");
    assertThat(accepted.get("channels")).isEqualTo(Map.of("email", "pending"));
    Object id = accepted.get("notification_id");
    assertThat(status(id).get("status")).isEqualTo("scheduled");
    assertThat(channelStatus(id, "email").get("status")).isEqualTo("pending");
    assertThat(SENDGRID.receivedFor(email)).isEmpty();

    CLOCK.advance(Duration.ofHours(3).plusSeconds(1));

    awaitChannel(id, "email", "delivered");
    assertThat(status(id).get("status")).isEqualTo("delivered");
    assertThat(SENDGRID.receivedFor(email)).hasSize(1);
  }

  @Test
  void notificationWhoseExpiryPassesBeforeReleaseIsMarkedExpiredAndNeverSent() {
    String user = newUser();
    String phone = newPhone();
    saveContacts(user, null, phone);
    Instant at = CLOCK.instant().plus(Duration.ofHours(1));
    Map<String, Object> request = request(user, "high", List.of("sms"));
    request.put("scheduled_at", at.toString());
    request.put("expires_at", at.plusSeconds(60).toString());
    Object id = send(request).get("notification_id");

    CLOCK.advance(Duration.ofHours(2));

    await().atMost(Duration.ofSeconds(20)).until(() -> "expired".equals(status(id).get("status")));
    assertThat(channelStatus(id, "sms").get("status")).isEqualTo("expired");
    assertThat(TWILIO.receivedFor(phone)).isEmpty();
  }

  @Test
  void concurrentSchedulerPassesReleaseEachDueNotificationExactlyOnce() throws Exception {
    List<String> emails = new ArrayList<>();
    Instant at = CLOCK.instant().plus(Duration.ofMinutes(30));
    for (int i = 0; i < 30; i++) {
      String user = newUser();
      String email = newEmail();
      saveContacts(user, email, null);
      Map<String, Object> request = request(user, "normal", List.of("email"));
      request.put("scheduled_at", at.toString());
      send(request);
      emails.add(email);
    }
    CLOCK.advance(Duration.ofMinutes(31));

    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      List<Callable<Integer>> passes =
          List.of(
              scheduler::releaseDueNotifications,
              scheduler::releaseDueNotifications,
              scheduler::releaseDueNotifications);
      for (Future<Integer> pass : pool.invokeAll(passes)) {
        pass.get();
      }
    } finally {
      pool.shutdown();
    }

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> emails.stream().allMatch(e -> !SENDGRID.receivedFor(e).isEmpty()));
    await()
        .during(Duration.ofMillis(500))
        .atMost(Duration.ofSeconds(3))
        .until(() -> emails.stream().allMatch(e -> SENDGRID.receivedFor(e).size() == 1));
  }
}
