package dev.ferry.notification.webhook;

import dev.ferry.notification.NotificationProperties;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Provider status callbacks: SendGrid's Event Webhook and Twilio's StatusCallback move a delivery
 * the provider accepted to {@code delivered} (confirmed), {@code bounced} or {@code undelivered}.
 * An unsigned or wrongly signed request is refused with 403; an event for an unknown message is
 * acknowledged and ignored, so the provider does not retry it forever.
 */
@RestController
@RequestMapping("/api/v1/webhooks")
class WebhookController {

  private static final Logger log = LoggerFactory.getLogger(WebhookController.class);
  private static final TypeReference<List<Map<String, Object>>> EVENTS = new TypeReference<>() {};

  private final WebhookRepository repository;
  private final SignatureVerifier verifier;
  private final JsonMapper json;
  private final String twilioUrl;
  private final MeterRegistry registry;

  WebhookController(
      WebhookRepository repository,
      JsonMapper json,
      NotificationProperties properties,
      MeterRegistry registry) {
    this.repository = repository;
    this.json = json;
    this.registry = registry;
    NotificationProperties.Webhooks webhooks = properties.webhooks();
    this.verifier =
        new SignatureVerifier(webhooks.sendgridVerificationKey(), webhooks.twilioAuthToken());
    this.twilioUrl = webhooks.publicBaseUrl().replaceAll("/+$", "") + "/api/v1/webhooks/twilio";
  }

  @PostMapping(path = "/sendgrid", consumes = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<Void> sendgrid(
      @RequestBody byte[] body,
      @RequestHeader(name = "X-Twilio-Email-Event-Webhook-Signature", required = false)
          String signature,
      @RequestHeader(name = "X-Twilio-Email-Event-Webhook-Timestamp", required = false)
          String timestamp) {
    if (!verifier.sendgrid(signature, timestamp, body)) {
      registry.counter("notification.webhooks.rejected", "provider", "sendgrid").increment();
      return ResponseEntity.status(403).build();
    }
    for (Map<String, Object> event :
        json.readValue(new String(body, StandardCharsets.UTF_8), EVENTS)) {
      String status =
          switch (String.valueOf(event.get("event"))) {
            case "delivered" -> "delivered";
            case "bounce", "dropped" -> "bounced";
            default -> null;
          };
      if (status == null) {
        continue;
      }
      String messageId = String.valueOf(event.getOrDefault("sg_message_id", "")).split("\\.")[0];
      UUID deliveryId = uuid(event.get("delivery_id"));
      String reason =
          event.get("reason") == null
              ? null
              : "sendgrid " + event.get("event") + ": " + event.get("reason");
      record("sendgrid", repository.report("email", deliveryId, messageId, status, reason));
    }
    return ResponseEntity.noContent().build();
  }

  @PostMapping(path = "/twilio", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
  ResponseEntity<Void> twilio(
      HttpServletRequest request,
      @RequestParam(name = "MessageSid") String messageSid,
      @RequestParam(name = "MessageStatus") String messageStatus,
      @RequestParam(name = "ErrorCode", required = false) String errorCode,
      @RequestHeader(name = "X-Twilio-Signature", required = false) String signature) {
    Map<String, String> params = new TreeMap<>();
    request.getParameterMap().forEach((name, values) -> params.put(name, values[0]));
    if (!verifier.twilio(twilioUrl, params, signature)) {
      registry.counter("notification.webhooks.rejected", "provider", "twilio").increment();
      return ResponseEntity.status(403).build();
    }
    String status =
        switch (messageStatus) {
          case "delivered" -> "delivered";
          case "undelivered", "failed" -> "undelivered";
          default -> null;
        };
    if (status != null) {
      String error = errorCode == null ? null : "twilio " + messageStatus + " code " + errorCode;
      record("twilio", repository.report("sms", null, messageSid, status, error));
    }
    return ResponseEntity.noContent().build();
  }

  private void record(String provider, boolean matched) {
    registry
        .counter(
            "notification.webhooks.events",
            "provider",
            provider,
            "matched",
            String.valueOf(matched))
        .increment();
    if (!matched) {
      log.debug("{} status event for an unknown or not yet accepted message", provider);
    }
  }

  private static UUID uuid(Object value) {
    if (value == null) {
      return null;
    }
    try {
      return UUID.fromString(value.toString());
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
