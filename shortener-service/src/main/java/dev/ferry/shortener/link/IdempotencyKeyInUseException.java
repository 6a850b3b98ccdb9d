package dev.ferry.shortener.link;

/**
 * The request that first used an idempotency key is still creating its link after a replay has
 * waited for it; the replay may be retried.
 */
public final class IdempotencyKeyInUseException extends RuntimeException {

  private IdempotencyKeyInUseException(String key) {
    super("a request with the Idempotency-Key '" + key + "' is still in progress; retry later");
  }

  public static IdempotencyKeyInUseException of(IdempotencyKey key) {
    return new IdempotencyKeyInUseException(key.value());
  }
}
