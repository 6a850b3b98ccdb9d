package dev.ferry.broker.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.broker.log.MutableClock;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.MutableRecordBatch;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.record.SimpleRecord;
import org.apache.kafka.common.utils.Crc32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProducerStateManagerTest {

  private final ProducerStateManager state = new ProducerStateManager();
  private long nextOffset;

  /** A batch of {@code count} records as a producer sends it, already given its log offsets. */
  private MutableRecordBatch batch(long producerId, short epoch, int baseSequence, int count) {
    return batch(producerId, epoch, baseSequence, count, RecordBatch.NO_TIMESTAMP);
  }

  private MutableRecordBatch batch(
      long producerId, short epoch, int baseSequence, int count, long timestampMs) {
    SimpleRecord[] records = new SimpleRecord[count];
    for (int i = 0; i < count; i++) {
      records[i] = new SimpleRecord(timestampMs, ("v" + i).getBytes());
    }
    MutableRecordBatch batch =
        MemoryRecords.withIdempotentRecords(
                Compression.NONE, producerId, epoch, baseSequence, records)
            .batches()
            .iterator()
            .next();
    batch.setLastOffset(nextOffset + count - 1);
    return batch;
  }

  private void append(MutableRecordBatch batch) {
    assertThat(state.checkSequence(batch)).isEmpty();
    state.update(batch);
    nextOffset = batch.lastOffset() + 1;
  }

  @Test
  void acceptsConsecutiveSequences() {
    append(batch(7, (short) 0, 0, 3));
    append(batch(7, (short) 0, 3, 2));
    append(batch(7, (short) 0, 5, 1));
    assertThat(state.producerCount()).isEqualTo(1);
  }

  @Test
  void recognisesARetriedBatchAndReturnsItsOriginalOffsets() {
    append(batch(7, (short) 0, 0, 3));
    append(batch(7, (short) 0, 3, 2));
    assertThat(state.checkSequence(batch(7, (short) 0, 0, 3)))
        .hasValueSatisfying(
            original -> {
              assertThat(original.firstOffset()).isZero();
              assertThat(original.lastOffset()).isEqualTo(2);
            });
    assertThat(state.checkSequence(batch(7, (short) 0, 3, 2)))
        .hasValueSatisfying(original -> assertThat(original.firstOffset()).isEqualTo(3));
  }

  @Test
  void forgetsBatchesOlderThanTheLastFive() {
    for (int i = 0; i < 7; i++) {
      append(batch(7, (short) 0, i, 1));
    }
    assertThatThrownBy(() -> state.checkSequence(batch(7, (short) 0, 0, 1)))
        .isInstanceOf(OutOfOrderSequenceException.class);
    assertThat(state.checkSequence(batch(7, (short) 0, 2, 1))).isPresent();
  }

  @Test
  void rejectsAGapInTheSequence() {
    append(batch(7, (short) 0, 0, 3));
    assertThatThrownBy(() -> state.checkSequence(batch(7, (short) 0, 4, 1)))
        .isInstanceOf(OutOfOrderSequenceException.class);
  }

  @Test
  void rejectsAFencedEpochAndRequiresSequenceZeroAfterABump() {
    append(batch(7, (short) 1, 0, 2));
    assertThatThrownBy(() -> state.checkSequence(batch(7, (short) 0, 2, 1)))
        .isInstanceOf(InvalidProducerEpochException.class);
    assertThatThrownBy(() -> state.checkSequence(batch(7, (short) 2, 5, 1)))
        .isInstanceOf(OutOfOrderSequenceException.class);
    append(batch(7, (short) 2, 0, 1));
  }

  @Test
  void tracksProducersIndependently() {
    append(batch(7, (short) 0, 0, 1));
    append(batch(8, (short) 0, 0, 1));
    append(batch(7, (short) 0, 1, 1));
    assertThat(state.producerCount()).isEqualTo(2);
  }

  @Test
  void restoresFromASnapshotTheSameRetriesAndExpectedSequences(@TempDir Path dir)
      throws IOException {
    append(batch(7, (short) 0, 0, 3));
    append(batch(8, (short) 2, 0, 1));
    append(batch(7, (short) 0, 3, 2));
    state.snapshot(nextOffset).write(dir);

    ProducerStateSnapshot loaded = ProducerStateSnapshot.loadLatest(dir, nextOffset).orElseThrow();
    ProducerStateManager restored = ProducerStateManager.restore(loaded);

    assertThat(loaded).isEqualTo(state.snapshot(nextOffset));
    assertThat(restored.checkSequence(batch(7, (short) 0, 3, 2)))
        .hasValueSatisfying(original -> assertThat(original.firstOffset()).isEqualTo(4));
    assertThatThrownBy(() -> restored.checkSequence(batch(7, (short) 0, 6, 1)))
        .isInstanceOf(OutOfOrderSequenceException.class);
    assertThatThrownBy(() -> restored.checkSequence(batch(8, (short) 1, 1, 1)))
        .isInstanceOf(InvalidProducerEpochException.class);
  }

  @Test
  void ignoresASnapshotThatFailsItsChecksum(@TempDir Path dir) throws IOException {
    append(batch(7, (short) 0, 0, 1));
    state.snapshot(nextOffset).write(dir);
    Path file;
    try (Stream<Path> files = Files.list(dir)) {
      file = files.filter(path -> path.toString().endsWith(".snapshot")).findFirst().orElseThrow();
    }
    byte[] bytes = Files.readAllBytes(file);
    bytes[12] ^= 1;
    Files.write(file, bytes);

    assertThat(ProducerStateSnapshot.loadLatest(dir, nextOffset)).isEmpty();
  }

  @Test
  void sequencesWrapAroundAfterIntegerMax() {
    append(batch(7, (short) 0, Integer.MAX_VALUE, 1));
    append(batch(7, (short) 0, 0, 1));
  }

  @Test
  void expiresAProducerOnceIdleForTheExpirationPeriodAndThenAcceptsItAsNew() {
    MutableClock clock = new MutableClock(1_000_000);
    ProducerExpiration expiration = new ProducerExpiration(clock, 1_000);
    append(batch(7, (short) 0, 0, 1, clock.millis()));
    append(batch(8, (short) 0, 0, 1, clock.millis() + 500));

    clock.advance(999);
    assertThat(state.removeExpired(expiration)).isZero();
    clock.advance(1);
    assertThat(state.removeExpired(expiration)).isEqualTo(1);
    assertThat(state.contains(7)).isFalse();
    assertThat(state.contains(8)).isTrue();
    assertThat(state.snapshot(nextOffset).producers())
        .extracting(ProducerStateSnapshot.ProducerSnapshot::producerId)
        .containsExactly(8L);
    // Forgotten, producer 7 may continue anywhere, as a new producer would.
    assertThat(state.checkSequence(batch(7, (short) 0, 42, 1))).isEmpty();

    clock.advance(500);
    assertThat(state.removeExpired(expiration)).isEqualTo(1);
    assertThat(state.producerCount()).isZero();
  }

  @Test
  void aRetryKeepsTheProducerAliveOnlyOnceItIsWritten() {
    MutableClock clock = new MutableClock(1_000_000);
    ProducerExpiration expiration = new ProducerExpiration(clock, 1_000);
    append(batch(7, (short) 0, 0, 1, clock.millis()));
    clock.advance(900);
    append(batch(7, (short) 0, 1, 1, clock.millis()));
    clock.advance(900);
    assertThat(state.removeExpired(expiration)).isZero();
    clock.advance(100);
    assertThat(state.removeExpired(expiration)).isEqualTo(1);
  }

  @Test
  void aProducerWithoutTimestampsExpiresOnePeriodAfterTheFirstCheck() {
    MutableClock clock = new MutableClock(1_000_000);
    ProducerExpiration expiration = new ProducerExpiration(clock, 1_000);
    append(batch(7, (short) 0, 0, 1));
    assertThat(state.removeExpired(expiration)).isZero();
    clock.advance(999);
    assertThat(state.removeExpired(expiration)).isZero();
    clock.advance(1);
    assertThat(state.removeExpired(expiration)).isEqualTo(1);
  }

  @Test
  void aSnapshotKeepsWhenEachProducerWasLastActive(@TempDir Path dir) throws IOException {
    MutableClock clock = new MutableClock(1_000_000);
    ProducerExpiration expiration = new ProducerExpiration(clock, 1_000);
    append(batch(7, (short) 0, 0, 1, clock.millis()));
    append(batch(8, (short) 0, 0, 1, clock.millis() + 600));
    state.snapshot(nextOffset).write(dir);

    ProducerStateManager restored =
        ProducerStateManager.restore(
            ProducerStateSnapshot.loadLatest(dir, nextOffset).orElseThrow());
    clock.advance(1_000);
    assertThat(restored.removeExpired(expiration)).isEqualTo(1);
    assertThat(restored.contains(8)).isTrue();
  }

  @Test
  void loadsAVersion1SnapshotWhoseProducersExpireOnePeriodAfterLoading(@TempDir Path dir)
      throws IOException {
    // Version 1 layout: no last timestamp per producer.
    ByteBuffer v1 = ByteBuffer.allocate(2 + 8 + 4 + 8 + 2 + 4 + 24 + 4);
    v1.putShort((short) 1).putLong(5).putInt(1);
    v1.putLong(7).putShort((short) 0).putInt(1);
    v1.putInt(0).putInt(4).putLong(0).putLong(4);
    v1.putInt((int) Crc32C.compute(v1.array(), 0, v1.capacity() - 4));
    Files.write(dir.resolve(String.format("%020d.snapshot", 5)), v1.array());

    ProducerStateSnapshot loaded = ProducerStateSnapshot.loadLatest(dir, 5).orElseThrow();
    assertThat(loaded.producers())
        .singleElement()
        .satisfies(
            producer -> {
              assertThat(producer.producerId()).isEqualTo(7);
              assertThat(producer.lastTimestampMs()).isEqualTo(RecordBatch.NO_TIMESTAMP);
            });
    ProducerStateManager restored = ProducerStateManager.restore(loaded);
    MutableClock clock = new MutableClock(1_000_000);
    ProducerExpiration expiration = new ProducerExpiration(clock, 1_000);
    assertThat(restored.removeExpired(expiration)).isZero();
    assertThat(restored.checkSequence(batch(7, (short) 0, 0, 5))).isPresent();
    clock.advance(1_000);
    assertThat(restored.removeExpired(expiration)).isEqualTo(1);
  }
}
