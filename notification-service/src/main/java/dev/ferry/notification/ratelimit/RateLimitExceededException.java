package dev.ferry.notification.ratelimit;

/** A client went over its per-API-key request limit; answered with 429 and Retry-After. */
public class RateLimitExceededException extends RuntimeException {

  private final long retryAfterSeconds;

  private RateLimitExceededException(String message, long retryAfterSeconds) {
    super(message);
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public static RateLimitExceededException forApiKey(long retryAfterSeconds) {
    return new RateLimitExceededException(
        "this API key sent too many requests; retry after " + retryAfterSeconds + " s",
        retryAfterSeconds);
  }

  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
