package dev.ferry.shortener.analytics;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
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
 *
 * <p>Each record carries a batch id in its {@value #BATCH_ID_HEADER} header. The consumer counts a
 * batch id once per shard, so a record Kafka delivers twice, or that the sender sends again after a
 * failure Kafka may not have had ({@link ClickRecorder} resends a batch whole, under its id),
 * counts once; and the replay guard takes a row per record and shard instead of a row per click.
 */
final class ClickBatches {

  /**
   * Most characters of one record's value. A character is at most three bytes in UTF-8, so a record
   * stays under the producer's default {@code max.request.size} of 1 MiB.
   */
  static final int MAX_RECORD_CHARS = 256 * 1024;

  private static final StringSerializer KEYS = new StringSerializer();

  /** The header holding a record's batch id, a UUID in its usual text form. */
  static final String BATCH_ID_HEADER = "ferry-click-batch-id";

  /**
   * One record to send: its batch id, its partition, the events it carries and their JSON array.
   */
  record Batch(UUID id, int partition, List<ClickEvent> events, String json) {

    /** This batch as a record of {@code topic}; every send of the batch carries the same id. */
    ProducerRecord<String, String> toRecord(String topic) {
      Headers headers =
          new RecordHeaders()
              .add(BATCH_ID_HEADER, id.toString().getBytes(StandardCharsets.US_ASCII));
      return new ProducerRecord<>(topic, partition, null, null, json, headers);
    }
  }

  private ClickBatches() {}

  /**
   * The batch id of a record, or null for a record without one (from producers before batch ids,
   * which sent events whose own ids guard them).
   *
   * @throws IllegalArgumentException if the header is there but holds no UUID
   */
  static UUID batchId(Headers headers) {
    Header header = headers.lastHeader(BATCH_ID_HEADER);
    if (header == null) {
      return null;
    }
    if (header.value() == null) {
      throw new IllegalArgumentException(BATCH_ID_HEADER + " header without a value");
    }
    return UUID.fromString(new String(header.value(), StandardCharsets.US_ASCII));
  }

  /**
   * Packs {@code events} for a topic of {@code partitions} partitions; {@code toJson} writes one
   * event as a JSON object, {@code ids} gives each batch its id.
   */
  static List<Batch> pack(
      List<ClickEvent> events,
      int partitions,
      Function<ClickEvent, String> toJson,
      Supplier<UUID> ids) {
    Map<Integer, List<ClickEvent>> byPartition = new LinkedHashMap<>();
    for (ClickEvent event : events) {
      int partition =
          BuiltInPartitioner.partitionForKey(KEYS.serialize(null, event.code()), partitions);
      byPartition.computeIfAbsent(partition, p -> new ArrayList<>()).add(event);
    }
    List<Batch> batches = new ArrayList<>();
    byPartition.forEach((partition, mine) -> split(partition, mine, toJson, ids, batches));
    return batches;
  }

  private static void split(
      int partition,
      List<ClickEvent> events,
      Function<ClickEvent, String> toJson,
      Supplier<UUID> ids,
      List<Batch> batches) {
    StringBuilder json = new StringBuilder("[");
    List<ClickEvent> carried = new ArrayList<>();
    for (ClickEvent event : events) {
      String one = toJson.apply(event);
      if (!carried.isEmpty() && json.length() + one.length() + 2 > MAX_RECORD_CHARS) {
        batches.add(new Batch(ids.get(), partition, carried, json.append(']').toString()));
        json = new StringBuilder("[");
        carried = new ArrayList<>();
      }
      json.append(carried.isEmpty() ? "" : ",").append(one);
      carried.add(event);
    }
    batches.add(new Batch(ids.get(), partition, carried, json.append(']').toString()));
  }
}
