package dev.ferry.broker.producer;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.record.DefaultRecordBatch;
import org.apache.kafka.common.record.RecordBatch;

/**
 * The idempotent-producer state of one partition: for each producer id, its epoch and the metadata
 * of its last {@value #CACHED_BATCHES} batches, as in Kafka's {@code ProducerStateManager}.
 *
 * <p>A producer numbers its batches per partition with a sequence. A batch whose sequence range
 * equals a cached one is a retry of a batch already written: the broker acknowledges it with the
 * original offsets instead of writing it again. A batch that does not continue the last sequence is
 * rejected with {@code OUT_OF_ORDER_SEQUENCE_NUMBER}, and one from an older epoch with {@code
 * INVALID_PRODUCER_EPOCH}. Five batches suffice because a producer has at most five in flight per
 * partition ({@code max.in.flight.requests.per.connection} must be at most 5 with idempotence).
 *
 * <p>Persistence: the state is derived from the batch headers in the log (producer id, epoch,
 * sequences and offsets). A {@link ProducerStateSnapshot} saves it as of an offset (on segment roll
 * and clean shutdown), so a restart loads the snapshot and replays only the batches after it;
 * without a usable snapshot the whole log is replayed. Either way what survives a crash is exactly
 * what the log kept.
 *
 * <p>Expiration: each producer remembers the max timestamp of its last batch, and {@link
 * #removeExpired} drops the producers idle for longer than {@link ProducerExpiration} allows, as
 * Kafka's {@code producer.id.expiration.ms} does; snapshots keep the timestamp, so an expired
 * producer is dropped from the next snapshot and never revived by a restart.
 *
 * <p>Not thread-safe: every call is made with the partition lock held, so that checking a batch and
 * recording it after its append are atomic with respect to other producers.
 */
public final class ProducerStateManager {

  static final int CACHED_BATCHES = 5;

  private final Map<Long, ProducerEntry> producers = new HashMap<>();

  /**
   * Checks an idempotent batch against the producer's state before it is written.
   *
   * @return the already written batch when {@code batch} is a retry of it, empty when it is new
   * @throws OutOfOrderSequenceException when the sequence does not continue the last one
   * @throws InvalidProducerEpochException when the batch comes from a fenced, older epoch
   */
  public Optional<BatchMetadata> checkSequence(RecordBatch batch) {
    if (!batch.hasProducerId()) {
      return Optional.empty();
    }
    ProducerEntry entry = producers.get(batch.producerId());
    if (entry == null) {
      // An unknown producer (new, or its state was removed with the log) may start anywhere.
      return Optional.empty();
    }
    if (batch.producerEpoch() < entry.epoch) {
      throw new InvalidProducerEpochException(
          "epoch " + batch.producerEpoch() + " is older than " + entry.epoch);
    }
    if (batch.producerEpoch() > entry.epoch) {
      if (batch.baseSequence() != 0) {
        throw new OutOfOrderSequenceException(
            "a new epoch must start at sequence 0, got " + batch.baseSequence());
      }
      return Optional.empty();
    }
    for (BatchMetadata cached : entry.batches) {
      if (cached.firstSequence() == batch.baseSequence()
          && cached.lastSequence() == batch.lastSequence()) {
        return Optional.of(cached);
      }
    }
    int expected = DefaultRecordBatch.incrementSequence(entry.batches.peekLast().lastSequence(), 1);
    if (batch.baseSequence() != expected) {
      throw new OutOfOrderSequenceException(
          "producer "
              + batch.producerId()
              + " sent sequence "
              + batch.baseSequence()
              + ", expected "
              + expected);
    }
    return Optional.empty();
  }

  /** Records a batch that was written at its (now assigned) offsets. */
  public void update(RecordBatch batch) {
    if (!batch.hasProducerId()) {
      return;
    }
    ProducerEntry entry = producers.get(batch.producerId());
    if (entry == null || batch.producerEpoch() > entry.epoch) {
      entry = new ProducerEntry(batch.producerEpoch());
      producers.put(batch.producerId(), entry);
    }
    if (batch.maxTimestamp() != RecordBatch.NO_TIMESTAMP) {
      entry.lastTimestampMs = batch.maxTimestamp();
    }
    entry.batches.addLast(
        new BatchMetadata(
            batch.baseSequence(), batch.lastSequence(), batch.baseOffset(), batch.lastOffset()));
    if (entry.batches.size() > CACHED_BATCHES) {
      entry.batches.removeFirst();
    }
  }

  /** The state as of {@code offset}, which must be the end of the batches applied so far. */
  public ProducerStateSnapshot snapshot(long offset) {
    List<ProducerStateSnapshot.ProducerSnapshot> snapshots = new ArrayList<>(producers.size());
    producers.forEach(
        (producerId, entry) ->
            snapshots.add(
                new ProducerStateSnapshot.ProducerSnapshot(
                    producerId, entry.epoch, entry.lastTimestampMs, List.copyOf(entry.batches))));
    return new ProducerStateSnapshot(offset, snapshots);
  }

  /** A state manager holding exactly the producers of {@code snapshot}. */
  public static ProducerStateManager restore(ProducerStateSnapshot snapshot) {
    ProducerStateManager manager = new ProducerStateManager();
    for (ProducerStateSnapshot.ProducerSnapshot producer : snapshot.producers()) {
      ProducerEntry entry = new ProducerEntry(producer.epoch());
      entry.lastTimestampMs = producer.lastTimestampMs();
      entry.batches.addAll(producer.batches());
      manager.producers.put(producer.producerId(), entry);
    }
    return manager;
  }

  /**
   * Drops the producers whose last batch is older than the expiration allows. A producer whose
   * last-active time is unknown ({@code NO_TIMESTAMP}: a batch without timestamps, or a version 1
   * snapshot) is given the current time instead, so it expires one period later, never at once.
   *
   * @return how many were dropped
   */
  public int removeExpired(ProducerExpiration expiration) {
    long nowMs = expiration.clock().millis();
    int before = producers.size();
    producers
        .values()
        .removeIf(
            entry -> {
              if (entry.lastTimestampMs == RecordBatch.NO_TIMESTAMP) {
                entry.lastTimestampMs = nowMs;
              }
              return expiration.isExpired(entry.lastTimestampMs, nowMs);
            });
    return before - producers.size();
  }

  /** Whether this partition holds state for {@code producerId}. */
  public boolean contains(long producerId) {
    return producers.containsKey(producerId);
  }

  /** The number of producers with state in this partition. */
  public int producerCount() {
    return producers.size();
  }

  /**
   * The offsets and sequences of one written batch.
   *
   * @param firstSequence the batch's base sequence
   * @param lastSequence the batch's last sequence
   * @param firstOffset the offset the broker assigned to its first record
   * @param lastOffset the offset the broker assigned to its last record
   */
  public record BatchMetadata(
      int firstSequence, int lastSequence, long firstOffset, long lastOffset) {}

  private static final class ProducerEntry {
    private final short epoch;

    /** The max timestamp of the producer's last batch: when it was last active. */
    private long lastTimestampMs = RecordBatch.NO_TIMESTAMP;

    private final ArrayDeque<BatchMetadata> batches = new ArrayDeque<>(CACHED_BATCHES + 1);

    private ProducerEntry(short epoch) {
      this.epoch = epoch;
    }
  }
}
