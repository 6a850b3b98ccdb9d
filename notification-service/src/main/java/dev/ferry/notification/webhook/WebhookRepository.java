package dev.ferry.notification.webhook;

import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Applies provider status reports to deliveries the provider had accepted. Only a delivery already
 * handed over (delivered) or already reported on may change, so a late or forged-order callback can
 * never resurrect a failed or pending delivery.
 */
@Repository
class WebhookRepository {

  private final JdbcClient jdbc;

  WebhookRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** Updates the delivery of {@code channel} with that id or provider message id; true if found. */
  boolean report(String channel, UUID deliveryId, String messageId, String status, String error) {
    return jdbc.sql(
                """
                UPDATE deliveries SET status = :status,
                       last_error = COALESCE(:error, last_error)
                 WHERE channel = :channel
                   AND (id = :deliveryId OR provider_message_id = :messageId)
                   AND status IN ('delivered', 'bounced', 'undelivered')
                """)
            .param("status", status)
            .param("error", error)
            .param("channel", channel)
            .param("deliveryId", deliveryId)
            .param("messageId", messageId)
            .update()
        > 0;
  }
}
