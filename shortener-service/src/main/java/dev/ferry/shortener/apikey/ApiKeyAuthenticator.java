package dev.ferry.shortener.apikey;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * Turns an {@code X-API-Key} header into a {@link Caller}.
 *
 * <p>Keys are looked up by their SHA-256 digest, so the lookup's timing does not depend on how many
 * leading characters of a guess match a real key, as it would with a map of the raw keys.
 *
 * <p>Thread-safe: immutable after construction.
 */
public final class ApiKeyAuthenticator {

  public static final String HEADER = "X-API-Key";

  private final Map<String, Caller> callersByDigest = new HashMap<>();

  public ApiKeyAuthenticator(ApiKeyProperties properties) {
    for (ApiKeyProperties.Key key : properties.keys()) {
      if (key.tier() == Tier.ANONYMOUS) {
        throw new IllegalArgumentException("an API key cannot have the ANONYMOUS tier");
      }
      callersByDigest.put(digest(key.key()), new Caller(key.owner(), key.tier()));
    }
  }

  /**
   * The caller for a request with header value {@code apiKey} (null when absent) from {@code
   * remoteAddress}.
   *
   * @throws InvalidApiKeyException if a key is given but unknown: a typo must not silently turn
   *     into anonymous access with its lower limits and unowned links
   */
  public Caller authenticate(String apiKey, String remoteAddress) {
    if (apiKey == null) {
      return Caller.anonymous(remoteAddress);
    }
    Caller caller = callersByDigest.get(digest(apiKey));
    if (caller == null) {
      throw InvalidApiKeyException.unknown();
    }
    return caller;
  }

  private static String digest(String key) {
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
