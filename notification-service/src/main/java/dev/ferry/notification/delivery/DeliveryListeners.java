package dev.ferry.notification.delivery;

import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * One Kafka listener container per priority topic, each with its own consumer threads, so a backlog
 * on one topic never delays another: critical work is never queued behind low.
 */
@Component
class DeliveryListeners {

  private static final String GROUP = "${ferry.notification.kafka.group-id:notification-workers}";
  private static final String PREFIX = "${ferry.notification.kafka.topic-prefix:notifications}";

  private final DeliveryProcessor processor;

  DeliveryListeners(DeliveryProcessor processor) {
    this.processor = processor;
  }

  @KafkaListener(
      topics = PREFIX + ".critical",
      groupId = GROUP,
      concurrency = "${ferry.notification.workers.critical:4}")
  void critical(String payload) {
    processor.process(payload);
  }

  @KafkaListener(
      topics = PREFIX + ".high",
      groupId = GROUP,
      concurrency = "${ferry.notification.workers.high:2}")
  void high(String payload) {
    processor.process(payload);
  }

  @KafkaListener(
      topics = PREFIX + ".normal",
      groupId = GROUP,
      concurrency = "${ferry.notification.workers.normal:2}")
  void normal(String payload) {
    processor.process(payload);
  }

  @KafkaListener(
      topics = PREFIX + ".low",
      groupId = GROUP,
      concurrency = "${ferry.notification.workers.low:1}")
  void low(String payload) {
    processor.process(payload);
  }
}
