package dev.ferry.shortener.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** The packing of clicks into records, against Kafka's documented keyed partitioning. */
class ClickBatchesTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Function<ClickEvent, String> TO_JSON = JSON::writeValueAsString;

  @Test
  void everyClickGoesToThePartitionAKeyedRecordOfItsCodeWouldAndKeepsItsOrder() {
    List<ClickEvent> events = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      events.add(click("code" + (i % 97), null));
    }

    List<ClickBatches.Batch> batches = ClickBatches.pack(events, 6, TO_JSON, UUID::randomUUID);

    List<ClickEvent> packed = new ArrayList<>();
    for (ClickBatches.Batch batch : batches) {
      for (ClickEvent event : batch.events()) {
        assertThat(batch.partition()).isEqualTo(keyedPartition(event.code(), 6));
      }
      packed.addAll(batch.events());
    }
    assertThat(packed).containsExactlyInAnyOrderElementsOf(events);
    for (int partition = 0; partition < 6; partition++) {
      int p = partition;
      assertThat(packed.stream().filter(e -> keyedPartition(e.code(), 6) == p).toList())
          .isEqualTo(events.stream().filter(e -> keyedPartition(e.code(), 6) == p).toList());
    }
  }

  @Test
  void eachRecordIsAJsonArrayOfItsEventsAndStaysUnderTheSizeLimit() {
    String longAgent = "Mozilla/5.0 " + "x".repeat(8_000);
    List<ClickEvent> events = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      events.add(click("abc1234", longAgent));
    }

    List<ClickBatches.Batch> batches = ClickBatches.pack(events, 4, TO_JSON, UUID::randomUUID);

    assertThat(batches).hasSizeGreaterThan(1);
    for (ClickBatches.Batch batch : batches) {
      assertThat(batch.json().length()).isLessThanOrEqualTo(ClickBatches.MAX_RECORD_CHARS);
      assertThat(List.of(JSON.readValue(batch.json(), ClickEvent[].class)))
          .isEqualTo(batch.events());
    }
  }

  @Test
  void aClickLargerThanTheLimitStillTravelsAloneInARecord() {
    ClickEvent huge = click("abc1234", "x".repeat(ClickBatches.MAX_RECORD_CHARS));

    List<ClickBatches.Batch> batches =
        ClickBatches.pack(List.of(click("abc1234", null), huge), 1, TO_JSON, UUID::randomUUID);

    assertThat(batches).hasSize(2);
    assertThat(batches.get(1).events()).containsExactly(huge);
  }

  @Test
  void everyRecordCarriesItsOwnBatchIdWhichTheConsumerReadsBack() {
    List<ClickEvent> events = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      events.add(click("code" + i, null));
    }

    List<ClickBatches.Batch> batches = ClickBatches.pack(events, 4, TO_JSON, UUID::randomUUID);

    assertThat(batches.stream().map(ClickBatches.Batch::id).distinct()).hasSize(batches.size());
    for (ClickBatches.Batch batch : batches) {
      ProducerRecord<String, String> record = batch.toRecord("clicks");
      assertThat(record.partition()).isEqualTo(batch.partition());
      assertThat(record.value()).isEqualTo(batch.json());
      assertThat(ClickBatches.batchId(record.headers())).isEqualTo(batch.id());
      assertThat(ClickBatches.batchId(batch.toRecord("clicks").headers())).isEqualTo(batch.id());
    }
  }

  @Test
  void aRecordWithoutBatchIdHasNoneAndAMalformedOneIsRefused() {
    assertThat(ClickBatches.batchId(new RecordHeaders())).isNull();
    assertThatIllegalArgumentException()
        .isThrownBy(
            () ->
                ClickBatches.batchId(
                    new RecordHeaders()
                        .add(
                            ClickBatches.BATCH_ID_HEADER,
                            "'; DROP TABLE links; --".getBytes(StandardCharsets.UTF_8))));
    assertThatIllegalArgumentException()
        .isThrownBy(
            () ->
                ClickBatches.batchId(new RecordHeaders().add(ClickBatches.BATCH_ID_HEADER, null)));
  }

  /** Kafka's partitioning of a keyed record: murmur2 of the key's bytes, positive, mod N. */
  private static int keyedPartition(String code, int partitions) {
    return Utils.toPositive(Utils.murmur2(code.getBytes(StandardCharsets.UTF_8))) % partitions;
  }

  private static ClickEvent click(String code, String userAgent) {
    return new ClickEvent(
        UUID.randomUUID(),
        code,
        Instant.parse("2026-11-28T10:00:00Z"),
        "192.0.2.1",
        userAgent,
        null,
        null);
  }
}
