package dev.ferry.keygen.range;

/**
 * The configured FF1 key is not the key this database's counters were issued under. Carrying on
 * would map counters claimed from here on to codes the old key may already have issued, so start-up
 * stops instead.
 */
public final class KeyMismatchException extends IllegalStateException {

  private KeyMismatchException(String message) {
    super(message);
  }

  static KeyMismatchException of(String stored, String configured) {
    return new KeyMismatchException(
        "ferry.keygen.secret-key has fingerprint "
            + configured
            + " but this database's keyspace was issued under "
            + stored
            + "; restore the original key (changing it could repeat codes)");
  }
}
