package dev.ferry.notification.topic;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Topic membership: which users a topic fans out to. */
@Repository
class TopicRepository {

  private final JdbcClient jdbc;

  TopicRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  void subscribe(String topic, String userId, Instant now) {
    jdbc.sql(
            """
            INSERT INTO topic_subscriptions (topic_key, user_id, created_at) VALUES (?, ?, ?)
            ON CONFLICT DO NOTHING
            """)
        .params(topic, userId, OffsetDateTime.ofInstant(now, ZoneOffset.UTC))
        .update();
  }

  boolean unsubscribe(String topic, String userId) {
    return jdbc.sql("DELETE FROM topic_subscriptions WHERE topic_key = ? AND user_id = ?")
            .params(topic, userId)
            .update()
        == 1;
  }

  List<String> subscribers(String topic) {
    return jdbc.sql("SELECT user_id FROM topic_subscriptions WHERE topic_key = ? ORDER BY user_id")
        .param(topic)
        .query(String.class)
        .list();
  }
}
