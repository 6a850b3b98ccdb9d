package dev.ferry.broker.log;

import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.CorruptRecordException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.UnsupportedForMessageFormatException;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.MutableRecordBatch;
import org.apache.kafka.common.record.RecordBatch;

/**
 * Checks what a producer sent before anything is written, in the spirit of Kafka's {@code
 * LogValidator}: each rejection is a Kafka exception whose error code the client understands
 * ({@code CORRUPT_MESSAGE}, {@code MESSAGE_TOO_LARGE}, {@code INVALID_RECORD}, {@code
 * UNSUPPORTED_FOR_MESSAGE_FORMAT}).
 *
 * <p>Rules: the payload is exactly one magic v2 batch (produce v3+ requires it, and idempotence
 * tracks sequences per batch), whole (no trailing partial bytes), no larger than {@code
 * max.message.bytes}, with a valid CRC32C, and neither transactional nor a control batch because
 * this broker has no transaction coordinator yet. Records inside compressed batches are not
 * decompressed: the CRC already covers them.
 */
public final class BatchValidator {

  private BatchValidator() {}

  /** Returns the single batch of {@code records} when it passes every rule. */
  public static MutableRecordBatch validate(MemoryRecords records, int maxMessageBytes) {
    if (records.sizeInBytes() > maxMessageBytes) {
      throw new RecordTooLargeException(
          "batch of " + records.sizeInBytes() + " bytes exceeds " + maxMessageBytes);
    }
    MutableRecordBatch single = null;
    for (MutableRecordBatch batch : records.batches()) {
      if (single != null) {
        throw new InvalidRecordException("a produce request must hold exactly one batch");
      }
      single = batch;
    }
    if (single == null || records.validBytes() != records.sizeInBytes()) {
      throw new CorruptRecordException("the records are not one whole batch");
    }
    if (single.magic() != RecordBatch.MAGIC_VALUE_V2) {
      throw new UnsupportedForMessageFormatException("only record batch format v2 is supported");
    }
    single.ensureValid();
    if (single.isTransactional() || single.isControlBatch()) {
      throw new InvalidRecordException("transactions are not supported by this broker");
    }
    return single;
  }
}
