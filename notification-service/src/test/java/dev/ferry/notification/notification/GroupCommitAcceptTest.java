package dev.ferry.notification.notification;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.notification.IntegrationTestBase;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Single sends made at the same time go through the group commit together, over HTTP and real
 * Postgres: each request gets its own notification, and when its 202 arrives the notification and
 * its delivery are already committed (read back at once, from another connection); every one is
 * then delivered, so its outbox message was committed too.
 */
class GroupCommitAcceptTest extends IntegrationTestBase {

  private static final int SENDS = 40;

  @Test
  void concurrentSendsAreEachAnsweredWithTheirOwnNotificationOnlyOnceItIsStored() throws Exception {
    List<String> users = new ArrayList<>();
    for (int i = 0; i < SENDS; i++) {
      users.add(newUserWithEmail(newEmail()));
    }
    ExecutorService clients = Executors.newFixedThreadPool(16);
    try {
      List<Future<UUID>> answers = new ArrayList<>();
      for (String user : users) {
        answers.add(clients.submit(() -> sendAndReadBack(user)));
      }
      List<UUID> ids = new ArrayList<>();
      for (Future<UUID> answer : answers) {
        ids.add(answer.get());
      }
      assertThat(ids).doesNotHaveDuplicates().hasSize(SENDS);
      // Their outbox messages were committed with them: every one is delivered.
      for (UUID id : ids) {
        awaitChannel(id, "email", "delivered");
      }
    } finally {
      clients.shutdownNow();
    }
  }

  /** Sends for {@code user}; on the 202, checks what is committed for it. */
  private UUID sendAndReadBack(String user) {
    Map<String, Object> accepted = send(request(user, "critical", List.of("email")));
    UUID id = UUID.fromString((String) accepted.get("notification_id"));
    assertThat(
            jdbc.sql("SELECT user_id FROM notifications WHERE id = ?")
                .param(id)
                .query(String.class)
                .optional())
        .as("notification of %s committed when its 202 arrived", user)
        .contains(user);
    assertThat(
            jdbc.sql("SELECT status FROM deliveries WHERE notification_id = ?")
                .param(id)
                .query(String.class)
                .list())
        .as("its delivery, committed with it")
        .hasSize(1);
    return id;
  }
}
