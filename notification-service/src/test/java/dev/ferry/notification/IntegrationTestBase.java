package dev.ferry.notification;

import static org.awaitility.Awaitility.await;

import dev.ferry.notification.fakes.FakeFcm;
import dev.ferry.notification.fakes.FakeSendGrid;
import dev.ferry.notification.fakes.FakeTwilio;
import dev.ferry.testkit.EmbeddedKafkaServer;
import dev.ferry.testkit.EmbeddedPostgresServer;
import dev.ferry.testkit.EmbeddedRedisServer;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.bean.override.convention.TestBean;
import org.springframework.test.web.servlet.client.RestTestClient;

/**
 * One whole notification-service on real Postgres, Redis and Kafka, with FCM, SendGrid and Twilio
 * fakes behind the official SDKs. Every subclass shares the same application context (same
 * configuration), so the service starts once per test JVM; tests isolate themselves with fresh user
 * ids and recipients. Retries use 200 ms backoff so that retry paths finish in seconds.
 *
 * <p>Email and SMS each have a secondary provider (a second fake) for failover tests; push has FCM
 * only.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      // Breakers that never open, so that outages other tests provoke cannot trip them; a subclass
      // that tests the breaker declares its own (inlined properties lose to dynamic ones).
      "ferry.notification.circuit-breaker.minimum-calls=1000",
      "ferry.notification.circuit-breaker.sliding-window-size=1000"
    })
@AutoConfigureRestTestClient
public abstract class IntegrationTestBase {

  protected static final FakeFcm FCM = new FakeFcm();
  protected static final FakeSendGrid SENDGRID = new FakeSendGrid();
  protected static final FakeSendGrid SENDGRID_BACKUP = new FakeSendGrid();
  protected static final FakeTwilio TWILIO = new FakeTwilio();
  protected static final FakeTwilio TWILIO_BACKUP = new FakeTwilio();
  protected static final MutableClock CLOCK = new MutableClock();

  /**
   * The key pair SendGrid would sign Event Webhook requests with; its public half is configured.
   */
  protected static final KeyPair SENDGRID_WEBHOOK_KEYS = ecKeyPair();

  /** Twilio's auth token, which also signs status callbacks, and the URL Twilio calls back. */
  protected static final String TWILIO_AUTH_TOKEN = "secret";

  protected static final String PUBLIC_URL = "https://notify.example.com";

  protected static final ParameterizedTypeReference<Map<String, Object>> JSON =
      new ParameterizedTypeReference<>() {};

  @Autowired protected RestTestClient client;
  @Autowired protected JdbcClient jdbc;

  @TestBean(name = "clock", methodName = "dev.ferry.notification.IntegrationTestBase#testClock")
  Clock clock;

  static Clock testClock() {
    return CLOCK;
  }

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry registry) {
    EmbeddedPostgresServer.shared().registerDataSource(registry, "notification_it");
    EmbeddedRedisServer.shared().registerProperties(registry);
    EmbeddedKafkaServer.shared().registerProperties(registry);
    String run = UUID.randomUUID().toString().substring(0, 8);
    registry.add("ferry.notification.kafka.topic-prefix", () -> "it-" + run + ".notifications");
    registry.add("ferry.notification.kafka.dead-letter-topic", () -> "it-" + run + ".dead-letter");
    registry.add("ferry.notification.kafka.group-id", () -> "it-" + run);
    registry.add("ferry.notification.retry.initial-delay", () -> "200ms");
    registry.add("ferry.notification.retry.max-attempts", () -> "3");
    registry.add("ferry.notification.retry.jitter", () -> "0");
    registry.add("ferry.notification.scheduler.poll-interval", () -> "100ms");
    registry.add("ferry.notification.scheduler.sending-lease", () -> "30s");
    registry.add("ferry.notification.rate-limit.per-api-key", () -> "5");
    registry.add("ferry.notification.rate-limit.window", () -> "1h");
    registry.add("ferry.notification.channels.push.primary", () -> "fcm");
    registry.add("ferry.notification.channels.email.primary", () -> "sendgrid");
    registry.add("ferry.notification.channels.email.secondary", () -> "sendgrid-backup");
    registry.add("ferry.notification.channels.sms.primary", () -> "twilio");
    registry.add("ferry.notification.channels.sms.secondary", () -> "twilio-backup");
    registry.add("ferry.notification.providers.fcm.base-url", FCM::baseUrl);
    registry.add("ferry.notification.providers.fcm.project-id", () -> "ferry-test");
    registry.add("ferry.notification.providers.fcm.access-token", () -> "test-token");
    registry.add("ferry.notification.providers.sendgrid.base-url", SENDGRID::baseUrl);
    registry.add("ferry.notification.providers.sendgrid.api-key", () -> "SG.test");
    registry.add("ferry.notification.providers.sendgrid-backup.type", () -> "sendgrid");
    registry.add("ferry.notification.providers.sendgrid-backup.base-url", SENDGRID_BACKUP::baseUrl);
    registry.add("ferry.notification.providers.sendgrid-backup.api-key", () -> "SG.backup");
    registry.add("ferry.notification.providers.sendgrid-backup.from", () -> "backup@ferry.dev");
    registry.add("ferry.notification.providers.twilio.base-url", TWILIO::baseUrl);
    registry.add("ferry.notification.providers.twilio.account-sid", () -> "ACtest");
    registry.add("ferry.notification.providers.twilio.auth-token", () -> TWILIO_AUTH_TOKEN);
    registry.add("ferry.notification.webhooks.twilio-auth-token", () -> TWILIO_AUTH_TOKEN);
    registry.add("ferry.notification.webhooks.public-base-url", () -> PUBLIC_URL);
    registry.add(
        "ferry.notification.webhooks.sendgrid-verification-key",
        () -> Base64.getEncoder().encodeToString(SENDGRID_WEBHOOK_KEYS.getPublic().getEncoded()));
    registry.add("ferry.notification.providers.twilio-backup.type", () -> "twilio");
    registry.add("ferry.notification.providers.twilio-backup.base-url", TWILIO_BACKUP::baseUrl);
    registry.add("ferry.notification.providers.twilio-backup.account-sid", () -> "ACbackup");
    registry.add("ferry.notification.providers.twilio-backup.auth-token", () -> "secret");
    registry.add("ferry.notification.providers.twilio-backup.from", () -> "+15005550007");
  }

  private static KeyPair ecKeyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A user id no other test uses. */
  protected static String newUser() {
    return "user-" + UUID.randomUUID();
  }

  /** Registers a push device and returns its token ({@code prefix} + random). */
  protected String registerDevice(String user, String prefix) {
    String token = prefix + UUID.randomUUID();
    client
        .post()
        .uri("/api/v1/users/{id}/devices", user)
        .body(Map.of("token", token, "platform", "android"))
        .exchange()
        .expectStatus()
        .isCreated();
    return token;
  }

  /** Saves the user's email and phone. */
  protected void saveContacts(String user, String email, String phone) {
    client
        .put()
        .uri("/api/v1/users/{id}/contacts", user)
        .body(contacts(email, phone))
        .exchange()
        .expectStatus()
        .isOk();
  }

  private static Map<String, Object> contacts(String email, String phone) {
    HashMap<String, Object> body = new HashMap<>();
    body.put("email", email);
    body.put("phone", phone);
    return body;
  }

  /** A unique email address. */
  protected static String newEmail() {
    return "u" + UUID.randomUUID().toString().substring(0, 12) + "@example.com";
  }

  /** A unique E.164 number in the +1 555 range. */
  protected static String newPhone() {
    return "+1555" + String.format("%07d", (long) (Math.random() * 10_000_000));
  }

  /** POSTs a send request and returns the 202 body. */
  protected Map<String, Object> send(Map<String, Object> request) {
    return client
        .post()
        .uri("/api/v1/notifications")
        .body(request)
        .exchange()
        .expectStatus()
        .isAccepted()
        .expectBody(JSON)
        .returnResult()
        .getResponseBody();
  }

  /** POSTs a batch of send requests and returns the 202 body with its per-item results. */
  protected Map<String, Object> sendBatch(List<Map<String, Object>> items) {
    return client
        .post()
        .uri("/api/v1/notifications/batch")
        .body(Map.of("notifications", items))
        .exchange()
        .expectStatus()
        .isAccepted()
        .expectBody(JSON)
        .returnResult()
        .getResponseBody();
  }

  /** The per-item results of a batch (or topic fan-out) response, in item order. */
  @SuppressWarnings("unchecked")
  protected static List<Map<String, Object>> results(Map<String, Object> batchResponse) {
    return (List<Map<String, Object>>) batchResponse.get("results");
  }

  /** A new user with a fresh email address on file (and no phone); returns the user id. */
  protected String newUserWithEmail(String email) {
    String user = newUser();
    saveContacts(user, email, null);
    return user;
  }

  protected Map<String, Object> status(Object notificationId) {
    return client
        .get()
        .uri("/api/v1/notifications/{id}/status", notificationId)
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody(JSON)
        .returnResult()
        .getResponseBody();
  }

  /** The status of {@code channel} in the status response. */
  @SuppressWarnings("unchecked")
  protected Map<String, Object> channelStatus(Object notificationId, String channel) {
    return (Map<String, Object>)
        ((Map<String, Object>) status(notificationId).get("channels")).get(channel);
  }

  /** Waits until {@code channel} of the notification reaches {@code expected}; returns it. */
  protected Map<String, Object> awaitChannel(
      Object notificationId, String channel, String expected) {
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> expected.equals(channelStatus(notificationId, channel).get("status")));
    return channelStatus(notificationId, channel);
  }

  /** A minimal send request. */
  protected static Map<String, Object> request(
      String user, String priority, List<String> channels) {
    HashMap<String, Object> body = new HashMap<>();
    body.put("user_id", user);
    body.put("type", "order_update");
    body.put("priority", priority);
    body.put("channels", channels);
    body.put("title", "Your order shipped");
    body.put("body", "It arrives on Friday.");
    return body;
  }
}
