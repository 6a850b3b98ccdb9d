package dev.ferry.notification.provider;

import java.time.Duration;

/** The outcome of one provider call. */
public sealed interface ProviderResult {

  /** The provider instance that answered (its configured name). */
  String provider();

  /** The provider accepted the message. */
  record Sent(String provider, String messageId) implements ProviderResult {}

  /**
   * The provider did not take the message.
   *
   * @param retryAfter the provider's Retry-After, or null if it gave none
   */
  record Failed(String provider, FailureKind kind, String error, Duration retryAfter)
      implements ProviderResult {

    public static Failed of(String provider, FailureKind kind, String error) {
      return new Failed(provider, kind, error, null);
    }
  }
}
