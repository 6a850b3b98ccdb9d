package dev.ferry.notification.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.notification.IntegrationTestBase;
import java.nio.charset.StandardCharsets;
import java.security.Signature;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;

/**
 * Signed provider callbacks move accepted deliveries to bounced / undelivered; forged ones do not.
 */
class StatusWebhookTest extends IntegrationTestBase {

  @Test
  void signedSendGridBounceEventMarksTheEmailBounced() throws Exception {
    String user = newUser();
    String email = newEmail();
    saveContacts(user, email, null);
    Object id = send(request(user, "normal", List.of("email"))).get("notification_id");
    String messageId = (String) awaitChannel(id, "email", "delivered").get("provider_message_id");
    String events =
        """
        [{"email": "%s", "timestamp": 1700000000, "event": "bounce",
          "sg_message_id": "%s.filter0001.16648.5515E0B88.0", "reason": "550 5.1.1 mailbox unknown"}]
        """
            .formatted(email, messageId);

    postSendGrid(events, "1700000001", "forged".getBytes(StandardCharsets.UTF_8))
        .expectStatus()
        .isForbidden();
    assertThat(channelStatus(id, "email").get("status")).isEqualTo("delivered");

    postSendGrid(events, "1700000001", sign("1700000001" + events)).expectStatus().isNoContent();

    Map<String, Object> mail = channelStatus(id, "email");
    assertThat(mail.get("status")).isEqualTo("bounced");
    assertThat((String) mail.get("last_error")).contains("mailbox unknown");
    assertThat(status(id).get("status")).isEqualTo("failed");
  }

  @Test
  void signedTwilioStatusCallbackMarksTheSmsUndelivered() throws Exception {
    String user = newUser();
    String phone = newPhone();
    saveContacts(user, null, phone);
    Object id = send(request(user, "high", List.of("sms"))).get("notification_id");
    String sid = (String) awaitChannel(id, "sms", "delivered").get("provider_message_id");
    Map<String, String> params =
        Map.of("MessageSid", sid, "MessageStatus", "undelivered", "ErrorCode", "30006");

    postTwilio(params, "bm90IGEgc2lnbmF0dXJl").expectStatus().isForbidden();
    postTwilio(params, twilioSignature(PUBLIC_URL + "/api/v1/webhooks/twilio", params))
        .expectStatus()
        .isNoContent();

    Map<String, Object> sms = channelStatus(id, "sms");
    assertThat(sms.get("status")).isEqualTo("undelivered");
    assertThat((String) sms.get("last_error")).contains("30006");
  }

  private org.springframework.test.web.servlet.client.RestTestClient.ResponseSpec postSendGrid(
      String body, String timestamp, byte[] signature) {
    return client
        .post()
        .uri("/api/v1/webhooks/sendgrid")
        .contentType(MediaType.APPLICATION_JSON)
        .header("X-Twilio-Email-Event-Webhook-Timestamp", timestamp)
        .header(
            "X-Twilio-Email-Event-Webhook-Signature", Base64.getEncoder().encodeToString(signature))
        .body(body)
        .exchange();
  }

  private org.springframework.test.web.servlet.client.RestTestClient.ResponseSpec postTwilio(
      Map<String, String> params, String signature) {
    MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
    params.forEach(form::add);
    return client
        .post()
        .uri("/api/v1/webhooks/twilio")
        .contentType(MediaType.APPLICATION_FORM_URLENCODED)
        .header("X-Twilio-Signature", signature)
        .body(form)
        .exchange();
  }

  private static byte[] sign(String payload) throws Exception {
    Signature ecdsa = Signature.getInstance("SHA256withECDSA");
    ecdsa.initSign(SENDGRID_WEBHOOK_KEYS.getPrivate());
    ecdsa.update(payload.getBytes(StandardCharsets.UTF_8));
    return ecdsa.sign();
  }

  /** Twilio's scheme: base64 HMAC-SHA1 over the URL and the sorted parameters, name then value. */
  private static String twilioSignature(String url, Map<String, String> params) throws Exception {
    StringBuilder data = new StringBuilder(url);
    new TreeMap<>(params).forEach((name, value) -> data.append(name).append(value));
    Mac mac = Mac.getInstance("HmacSHA1");
    mac.init(new SecretKeySpec(TWILIO_AUTH_TOKEN.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
    return Base64.getEncoder()
        .encodeToString(mac.doFinal(data.toString().getBytes(StandardCharsets.UTF_8)));
  }
}
