package dev.ferry.shortener.apikey;

/** An {@code X-API-Key} header was sent but names no known key. */
public final class InvalidApiKeyException extends RuntimeException {

  private InvalidApiKeyException(String message) {
    super(message);
  }

  static InvalidApiKeyException unknown() {
    return new InvalidApiKeyException("the X-API-Key is not a valid key");
  }
}
