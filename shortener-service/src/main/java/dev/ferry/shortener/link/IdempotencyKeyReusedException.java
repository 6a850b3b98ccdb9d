package dev.ferry.shortener.link;

/** An idempotency key came again with another request body than the one it was first used for. */
public final class IdempotencyKeyReusedException extends RuntimeException {

  private IdempotencyKeyReusedException(String key) {
    super(
        "the Idempotency-Key '"
            + key
            + "' was used before for another request; use a new key for a new link");
  }

  public static IdempotencyKeyReusedException of(IdempotencyKey key) {
    return new IdempotencyKeyReusedException(key.value());
  }
}
