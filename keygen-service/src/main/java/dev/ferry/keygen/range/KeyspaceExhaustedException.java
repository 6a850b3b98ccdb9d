package dev.ferry.keygen.range;

/**
 * Every counter of the keyspace has been claimed: no new code can be made without repeating one, so
 * the service refuses (503) rather than repeat.
 */
public final class KeyspaceExhaustedException extends RuntimeException {

  private KeyspaceExhaustedException(String message) {
    super(message);
  }

  static KeyspaceExhaustedException of(long keyspaceSize) {
    return new KeyspaceExhaustedException(
        "all " + keyspaceSize + " counters of the keyspace are claimed; no unused code is left");
  }
}
