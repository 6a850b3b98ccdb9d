package dev.ferry.notification.delivery;

import dev.ferry.notification.Priority;
import java.util.List;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * One Kafka listener container per priority topic, each with its own consumer threads and its own
 * consumer group ({@code <group-id>.<priority>}), so neither a backlog nor a rebalance of one
 * priority delays another: critical work is never queued behind low, and a low consumer that joins,
 * leaves or overruns its poll interval rebalances only the low group, where one shared group would
 * have stopped every priority's consumers for the rebalance. Each listener takes a whole poll at
 * once ({@code batch}), which the processor claims, sends and records together; offsets are
 * committed after the listener returned. While a critical or high poll is being processed, a low
 * poll waits (a bounded time) before it is processed ({@link UrgentWorkGate}), so low work does not
 * compete with urgent work for the cores.
 */
@Component
class DeliveryListeners {

  private static final String GROUP = "${ferry.notification.kafka.group-id:notification-workers}";
  private static final String PREFIX = "${ferry.notification.kafka.topic-prefix:notifications}";

  private final DeliveryProcessor processor;
  private final UrgentWorkGate gate;

  DeliveryListeners(DeliveryProcessor processor, UrgentWorkGate gate) {
    this.processor = processor;
    this.gate = gate;
  }

  @KafkaListener(
      topics = PREFIX + ".critical",
      groupId = GROUP + ".critical",
      batch = "true",
      concurrency = "${ferry.notification.workers.critical:4}")
  void critical(List<String> payloads) {
    gate.whileUrgent(() -> processor.processAll(Priority.CRITICAL, payloads));
  }

  @KafkaListener(
      topics = PREFIX + ".high",
      groupId = GROUP + ".high",
      batch = "true",
      concurrency = "${ferry.notification.workers.high:2}")
  void high(List<String> payloads) {
    gate.whileUrgent(() -> processor.processAll(Priority.HIGH, payloads));
  }

  @KafkaListener(
      topics = PREFIX + ".normal",
      groupId = GROUP + ".normal",
      batch = "true",
      concurrency = "${ferry.notification.workers.normal:2}")
  void normal(List<String> payloads) {
    processor.processAll(Priority.NORMAL, payloads);
  }

  @KafkaListener(
      topics = PREFIX + ".low",
      groupId = GROUP + ".low",
      batch = "true",
      concurrency = "${ferry.notification.workers.low:1}")
  void low(List<String> payloads) {
    gate.awaitLowTurn();
    processor.processAll(Priority.LOW, payloads);
  }
}
