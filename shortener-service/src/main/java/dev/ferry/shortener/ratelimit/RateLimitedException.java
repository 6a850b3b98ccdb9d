package dev.ferry.shortener.ratelimit;

import org.springframework.http.HttpHeaders;

/** The caller used up its creation allowance; answered 429 with {@code Retry-After}. */
public final class RateLimitedException extends RuntimeException {

  private final long retryAfterSeconds;
  private final transient HttpHeaders headers;

  private RateLimitedException(String message, long retryAfterSeconds, HttpHeaders headers) {
    super(message);
    this.retryAfterSeconds = retryAfterSeconds;
    this.headers = headers;
  }

  static RateLimitedException of(
      long limit, int periodSeconds, long retryAfterSeconds, HttpHeaders headers) {
    return new RateLimitedException(
        "at most "
            + limit
            + " links per "
            + periodSeconds
            + " s may be created with this key or address",
        retryAfterSeconds,
        headers);
  }

  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }

  /** The {@code RateLimit-*} headers to send with the 429. */
  public HttpHeaders headers() {
    return headers;
  }
}
