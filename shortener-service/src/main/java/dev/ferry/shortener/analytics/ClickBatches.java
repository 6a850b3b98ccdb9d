package dev.ferry.shortener.analytics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Packs click events into Kafka records of many events each: one JSON array per partition (and per
 * {@link #MAX_RECORD_CHARS}), instead of one record per click. The broker, the producer and the
 * consumer each pay per record, and at thousands of redirects a second on the same cores as the
 * redirects that cost more than the redirects themselves.
 *
 * <p>Invariant: an event goes to the partition Kafka's producer would give a record keyed by its
 * code ({@link BuiltInPartitioner#partitionForKey}), as when each click was its own keyed record;
 * so all clicks of one code still go to one partition, and one consumer writes a code's rollup rows
 * at a time. Within a partition the events keep their order.
 */
final class ClickBatches {

  /**
   * Most characters of one record's value. A character is at most three bytes in UTF-8, so a record
   * stays under the producer's default {@code max.request.size} of 1 MiB.
   */
  static final int MAX_RECORD_CHARS = 256 * 1024;

  private static final StringSerializer KEYS = new StringSerializer();

  /** One record to send: its partition, the events it carries and their JSON array. */
  record Batch(int partition, List<ClickEvent> events, String json) {}

  private ClickBatches() {}

  /**
   * Packs {@code events} for a topic of {@code partitions} partitions; {@code toJson} writes one
   * event as a JSON object.
   */
  static List<Batch> pack(
      List<ClickEvent> events, int partitions, Function<ClickEvent, String> toJson) {
    Map<Integer, List<ClickEvent>> byPartition = new LinkedHashMap<>();
    for (ClickEvent event : events) {
      int partition =
          BuiltInPartitioner.partitionForKey(KEYS.serialize(null, event.code()), partitions);
      byPartition.computeIfAbsent(partition, p -> new ArrayList<>()).add(event);
    }
    List<Batch> batches = new ArrayList<>();
    byPartition.forEach((partition, mine) -> split(partition, mine, toJson, batches));
    return batches;
  }

  private static void split(
      int partition,
      List<ClickEvent> events,
      Function<ClickEvent, String> toJson,
      List<Batch> batches) {
    StringBuilder json = new StringBuilder("[");
    List<ClickEvent> carried = new ArrayList<>();
    for (ClickEvent event : events) {
      String one = toJson.apply(event);
      if (!carried.isEmpty() && json.length() + one.length() + 2 > MAX_RECORD_CHARS) {
        batches.add(new Batch(partition, carried, json.append(']').toString()));
        json = new StringBuilder("[");
        carried = new ArrayList<>();
      }
      json.append(carried.isEmpty() ? "" : ",").append(one);
      carried.add(event);
    }
    batches.add(new Batch(partition, carried, json.append(']').toString()));
  }
}
