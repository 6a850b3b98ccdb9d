package dev.ferry.keygen.code;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A public name for an FF1 key: the first 16 bytes of HMAC-SHA256 under the key of a fixed label.
 * Stored beside the keyspace so that start-up can tell a changed key (which would repeat codes)
 * from the right one, without storing the key itself.
 */
public final class KeyFingerprint {

  private static final byte[] LABEL =
      "ferry-keygen/ff1-key-fingerprint/v1".getBytes(StandardCharsets.US_ASCII);

  private KeyFingerprint() {}

  /** The fingerprint of {@code key} as 32 lower-case hex digits. */
  public static String of(byte[] key) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      byte[] digest = mac.doFinal(LABEL);
      return HexFormat.of().formatHex(digest, 0, 16);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }
}
