package dev.ferry.notification.webhook;

import com.twilio.security.RequestValidator;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Map;

/**
 * Checks that a status callback really comes from the provider.
 *
 * <p>SendGrid signs each Event Webhook request with ECDSA (P-256, SHA-256) over the {@code
 * X-Twilio-Email-Event-Webhook-Timestamp} header followed by the raw body; the verification key is
 * the base64 DER public key shown in SendGrid's settings. Twilio signs status callbacks with
 * HMAC-SHA1 of the URL plus the sorted form parameters, keyed with the account's auth token ({@code
 * X-Twilio-Signature}); the SDK's {@link RequestValidator} checks it.
 *
 * <p>An empty key or token disables that check (the local stack only). Thread-safe: immutable.
 */
final class SignatureVerifier {

  private final PublicKey sendgridKey;
  private final RequestValidator twilio;

  SignatureVerifier(String sendgridVerificationKey, String twilioAuthToken) {
    this.sendgridKey =
        sendgridVerificationKey.isBlank() ? null : ecPublicKey(sendgridVerificationKey);
    this.twilio = twilioAuthToken.isBlank() ? null : new RequestValidator(twilioAuthToken);
  }

  boolean sendgrid(String signature, String timestamp, byte[] body) {
    if (sendgridKey == null) {
      return true;
    }
    if (signature == null || timestamp == null) {
      return false;
    }
    try {
      Signature ecdsa = Signature.getInstance("SHA256withECDSA");
      ecdsa.initVerify(sendgridKey);
      ecdsa.update(timestamp.getBytes(StandardCharsets.UTF_8));
      ecdsa.update(body);
      return ecdsa.verify(Base64.getDecoder().decode(signature));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false;
    }
  }

  boolean twilio(String url, Map<String, String> params, String signature) {
    if (twilio == null) {
      return true;
    }
    return signature != null && twilio.validate(url, params, signature);
  }

  private static PublicKey ecPublicKey(String base64) {
    try {
      return KeyFactory.getInstance("EC")
          .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64.trim())));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalStateException(
          "ferry.notification.webhooks.sendgrid-verification-key is not a base64 EC public key", e);
    }
  }
}
