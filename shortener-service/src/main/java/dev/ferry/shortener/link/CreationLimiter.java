package dev.ferry.shortener.link;

import dev.ferry.shortener.apikey.Caller;
import org.springframework.http.HttpHeaders;

/**
 * Limits how many links a caller may create; implemented by the rate-limit feature, so that the
 * link feature does not know how limits are stored.
 */
public interface CreationLimiter {

  /**
   * Takes {@code links} creations from {@code caller}'s allowance and returns the {@code
   * RateLimit-*} headers to send.
   *
   * @throws RuntimeException a rate-limit exception, answered with 429, when the allowance is short
   */
  HttpHeaders acquire(Caller caller, int links);
}
