package dev.ferry.notification.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.notification.IntegrationTestBase;
import dev.ferry.notification.NotificationProperties;
import dev.ferry.notification.Priority;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.kafka.core.KafkaTemplate;

/** A Kafka message delivered twice never makes a second provider call for the same attempt. */
class DuplicateMessageTest extends IntegrationTestBase {

  @Autowired KafkaTemplate<String, String> kafka;
  @Autowired MeterRegistry registry;
  @Autowired NotificationProperties properties;

  @Test
  void redeliveredMessageForAnAttemptAlreadyMadeSendsNoSecondSms() throws Exception {
    String user = newUser();
    String phone = newPhone();
    saveContacts(user, null, phone);
    Object id = send(request(user, "high", List.of("sms"))).get("notification_id");
    awaitChannel(id, "sms", "delivered");
    UUID deliveryId =
        jdbc.sql("SELECT id FROM deliveries WHERE notification_id = ?")
            .param(UUID.fromString(id.toString()))
            .query(UUID.class)
            .single();
    double duplicatesBefore = duplicates();

    String replay = "{\"delivery_id\":\"" + deliveryId + "\",\"attempt\":1}";
    kafka.send(properties.kafka().topic(Priority.HIGH), deliveryId.toString(), replay).get();
    kafka.send(properties.kafka().topic(Priority.HIGH), deliveryId.toString(), replay).get();

    await().atMost(Duration.ofSeconds(20)).until(() -> duplicates() >= duplicatesBefore + 2);
    assertThat(TWILIO.receivedFor(phone)).hasSize(1);
    assertThat(channelStatus(id, "sms").get("attempts")).isEqualTo(1);
  }

  private double duplicates() {
    return registry.counter("notification.deliveries.duplicates").count();
  }
}
