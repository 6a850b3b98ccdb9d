package dev.ferry.shortener.analytics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The analytics consumer: reads click events in batches as a member of a consumer group (so more
 * instances share the partitions) and hands them to the {@link RollupWriter}. A record holds a JSON
 * array of events under a batch id ({@link ClickBatches}) or, from older producers, events guarded
 * by their own ids ({@link ClickGroup}). Offsets are committed after the batch is written; if
 * writing fails the batch is redelivered, and the writer's replay guard keeps the retry from
 * counting twice. An unreadable record is logged, counted and skipped, since retrying it can never
 * succeed.
 *
 * <p>Consumer lag is published by the Kafka client's own metrics ({@code
 * kafka.consumer.fetch.manager.records.lag.max}) through Micrometer.
 */
final class ClickConsumer {

  private static final Logger log = LoggerFactory.getLogger(ClickConsumer.class);

  private final RollupWriter writer;
  private final JsonMapper json;
  private final Counter consumed;
  private final Counter unreadable;

  ClickConsumer(RollupWriter writer, JsonMapper json, MeterRegistry registry) {
    this.writer = writer;
    this.json = json;
    this.consumed =
        Counter.builder("ferry.shortener.clicks.consumed")
            .description("Click events counted into rollups (duplicates excluded)")
            .register(registry);
    this.unreadable =
        Counter.builder("ferry.shortener.clicks.unreadable")
            .description("Click records skipped because they could not be parsed")
            .register(registry);
  }

  @KafkaListener(
      id = "click-rollups",
      topics = "${ferry.shortener.analytics.topic:ferry.link-clicks}",
      groupId = "${spring.kafka.consumer.group-id:shortener-analytics}",
      batch = "true")
  void consume(List<ConsumerRecord<String, String>> records) {
    List<ClickGroup> groups = new ArrayList<>(records.size());
    for (ConsumerRecord<String, String> record : records) {
      try {
        UUID batchId = ClickBatches.batchId(record.headers());
        List<ClickEvent> events = readable(record);
        if (batchId == null) {
          events.forEach(event -> groups.add(new ClickGroup(event.eventId(), List.of(event))));
        } else if (!events.isEmpty()) {
          groups.add(new ClickGroup(batchId, events));
        }
      } catch (JacksonException | IllegalArgumentException e) {
        skip(record, e.getMessage());
      }
    }
    if (!groups.isEmpty()) {
      consumed.increment(writer.write(groups));
    }
  }

  /** The events of {@code record} that can be counted; each one that cannot is skipped. */
  private List<ClickEvent> readable(ConsumerRecord<String, String> record) {
    List<ClickEvent> events = new ArrayList<>();
    for (ClickEvent event : read(record.value())) {
      if (event != null
          && event.eventId() != null
          && event.code() != null
          && event.occurredAt() != null) {
        events.add(event);
      } else {
        skip(record, "event id, code and time are required");
      }
    }
    return events;
  }

  private void skip(ConsumerRecord<String, String> record, String reason) {
    unreadable.increment();
    log.warn(
        "Skipping an unreadable click at {}-{}@{}: {}",
        record.topic(),
        record.partition(),
        record.offset(),
        reason);
  }

  /**
   * The events of one record: a JSON array of events, as {@link ClickBatches} packs them, or a
   * single event object, as producers before that sent each click.
   */
  private List<ClickEvent> read(String value) {
    if (value == null) {
      throw new IllegalArgumentException("no value");
    }
    String trimmed = value.stripLeading();
    return trimmed.startsWith("[")
        ? Arrays.asList(json.readValue(trimmed, ClickEvent[].class))
        : List.of(json.readValue(trimmed, ClickEvent.class));
  }
}
