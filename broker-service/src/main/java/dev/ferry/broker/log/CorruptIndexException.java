package dev.ferry.broker.log;

/**
 * An index file on disk breaks an index invariant (size not a whole number of entries, keys or
 * values not increasing, or pointing beyond the segment). Indexes carry no checksum because they
 * are derived data: the caller rebuilds the index from the log instead of trusting it.
 */
public final class CorruptIndexException extends RuntimeException {

  private CorruptIndexException(String message) {
    super(message);
  }

  static CorruptIndexException of(String file, String reason) {
    return new CorruptIndexException("Corrupt index " + file + ": " + reason);
  }
}
