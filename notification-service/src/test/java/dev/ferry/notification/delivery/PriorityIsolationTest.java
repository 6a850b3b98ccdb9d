package dev.ferry.notification.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.notification.IntegrationTestBase;
import dev.ferry.notification.NotificationProperties;
import dev.ferry.notification.Priority;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;

/**
 * Critical work has its own topic and consumers, so a flood of low-priority pushes (each slow at
 * the provider) does not delay it. Compared by order against the flood, never by wall-clock time.
 */
class PriorityIsolationTest extends IntegrationTestBase {

  private static final int FLOOD = 80;

  @Autowired KafkaListenerEndpointRegistry listeners;
  @Autowired NotificationProperties properties;

  @Test
  void criticalIsDeliveredWhileALowPriorityFloodIsStillBacklogged() {
    String floodUser = newUser();
    String floodToken = registerDevice(floodUser, "flood-");
    FCM.delay("flood-", 100);
    for (int i = 0; i < FLOOD; i++) {
      send(request(floodUser, "low", List.of("push")));
    }
    String vip = newUser();
    String vipToken = registerDevice(vip, "vip-");

    Map<String, Object> accepted = send(request(vip, "critical", List.of("push")));
    awaitChannel(accepted.get("notification_id"), "push", "delivered");

    long lowsDelivered =
        jdbc.sql(
                """
                SELECT count(*) FROM deliveries d JOIN notifications n ON n.id = d.notification_id
                 WHERE n.user_id = ? AND d.status = 'delivered'
                """)
            .param(floodUser)
            .query(Long.class)
            .single();
    assertThat(lowsDelivered).as("low backlog left when critical was delivered").isLessThan(FLOOD);
    assertThat(FCM.receivedFor(vipToken)).hasSize(1);
    assertThat(FCM.receivedFor(floodToken).size())
        .as("low pushes the provider had seen when critical was delivered")
        .isLessThan(FLOOD);
  }

  @Test
  void eachPriorityConsumesInAGroupOfItsOwnSoARebalanceStaysWithinIt() {
    Map<String, String> groupByTopic = new TreeMap<>();
    for (MessageListenerContainer container : listeners.getListenerContainers()) {
      for (String topic : container.getContainerProperties().getTopics()) {
        groupByTopic.put(topic, container.getGroupId());
      }
    }

    NotificationProperties.Kafka kafka = properties.kafka();
    assertThat(groupByTopic)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                kafka.topic(Priority.CRITICAL), kafka.groupId() + ".critical",
                kafka.topic(Priority.HIGH), kafka.groupId() + ".high",
                kafka.topic(Priority.NORMAL), kafka.groupId() + ".normal",
                kafka.topic(Priority.LOW), kafka.groupId() + ".low"));
  }
}
