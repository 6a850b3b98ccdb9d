package dev.ferry.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.localstack.LocalStack;
import dev.ferry.localstack.LocalStackOptions;
import dev.ferry.notification.fakes.FakeProviderServer;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;

/**
 * The scenarios every Kafka flavour of the suite must pass, run against one stack started once per
 * class (a start takes a minute or more on a busy machine). The destructive scenarios (a service
 * stopped, the broker restarted) come last and leave the stack running again.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class SuiteScenarios {

  private static final List<String> COUNTRIES = List.of("DE", "US", "FR", "JP", "BR");
  private static final Duration EVENTUALLY = Duration.ofSeconds(60);

  protected FerryStack stack;
  private final String run = UUID.randomUUID().toString().substring(0, 8);

  abstract LocalStackOptions.Kafka kafka();

  @BeforeAll
  void startTheSuite() throws Exception {
    stack = FerryStack.start(kafka());
  }

  @AfterAll
  void stopTheSuite() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  @Order(1)
  void fiftyVisitsFromSeveralBrowsersAndCountriesShowInAnalytics() {
    ShortenerClient shortener = stack.shortener();
    String code = shortener.shorten("https://example.com/e2e/analytics/" + run);

    Map<String, Integer> byCountry = new HashMap<>();
    Map<String, Integer> byDevice = new HashMap<>();
    Map<String, Integer> byBrowser = new HashMap<>();
    for (int visit = 0; visit < 50; visit++) {
      Browsers.Browser browser = Browsers.ALL.get(visit % Browsers.ALL.size());
      String country = COUNTRIES.get(visit % COUNTRIES.size());
      HttpResponse<String> redirect = shortener.visit(code, browser.userAgent(), country);
      assertThat(redirect.statusCode()).isEqualTo(301);
      assertThat(redirect.headers().firstValue("Location"))
          .hasValue("https://example.com/e2e/analytics/" + run);
      byCountry.merge(country, 1, Integer::sum);
      byDevice.merge(browser.device(), 1, Integer::sum);
      byBrowser.merge(browser.family(), 1, Integer::sum);
    }

    await()
        .atMost(EVENTUALLY)
        .untilAsserted(
            () -> {
              JsonNode analytics = shortener.analytics(code);
              assertThat(analytics.get("total_clicks").asLong()).isEqualTo(50);
              assertThat(counts(analytics.get("clicks_by_country"))).isEqualTo(byCountry);
              assertThat(counts(analytics.get("clicks_by_device"))).isEqualTo(byDevice);
              assertThat(counts(analytics.get("clicks_by_browser"))).isEqualTo(byBrowser);
            });
  }

  @Test
  @Order(2)
  void notificationReachesPushEmailAndSmsProvidersAndAnOptOutIsHonoured() {
    NotificationClient notifications = stack.notifications();
    Recipient ada = recipient("ada");
    ada.register(notifications);
    Recipient bob = recipient("bob");
    bob.register(notifications);
    notifications.optOut(bob.user(), "sms");

    JsonNode toAda =
        notifications.send(ada.user(), List.of("push", "email", "sms"), "Hello", "Hi Ada " + run);
    JsonNode toBob =
        notifications.send(bob.user(), List.of("push", "email", "sms"), "Hello", "Hi Bob " + run);

    assertThat(toBob.get("channels").get("sms").asString()).isEqualTo("opted_out");
    await()
        .atMost(EVENTUALLY)
        .untilAsserted(
            () -> {
              JsonNode adaStatus = notifications.status(toAda.get("notification_id").asString());
              JsonNode bobStatus = notifications.status(toBob.get("notification_id").asString());
              String states = "Ada: " + adaStatus + "\nBob: " + bobStatus;
              assertThat(stack.fcm.receivedFor(ada.pushToken())).as(states).hasSize(1);
              assertThat(stack.sendGrid.receivedFor(ada.email())).as(states).hasSize(1);
              assertThat(stack.twilio.receivedFor(ada.phone())).as(states).hasSize(1);
              assertThat(stack.fcm.receivedFor(bob.pushToken())).as(states).hasSize(1);
              assertThat(stack.sendGrid.receivedFor(bob.email())).as(states).hasSize(1);
              assertDelivered(adaStatus);
              assertDelivered(bobStatus);
            });
    assertThat(stack.sendGrid.receivedFor(ada.email()).get(0).body()).contains("Hi Ada " + run);
    assertThat(stack.twilio.receivedFor(ada.phone()).get(0).body()).contains("Hi+Ada+" + run);
    assertThat(stack.twilio.receivedFor(bob.phone())).as("Bob opted out of SMS").isEmpty();
  }

  /** Names the channel that is not there yet, with its attempts and last error, on a timeout. */
  private static void assertDelivered(JsonNode status) {
    assertThat(status.get("status").asString()).as(status.toString()).isEqualTo("delivered");
  }

  @Test
  @Order(10)
  void shortenerShortensFromItsBufferWhileKeygenIsDownThenAnswers503WithRetryAfter()
      throws Exception {
    ShortenerClient shortener = stack.shortener();
    stack.services().stopService(LocalStack.KEYGEN);
    try {
      List<String> madeWhileDown = new ArrayList<>();
      HttpResponse<String> refused = null;
      for (int attempt = 0;
          attempt <= FerryStack.KEYGEN_BUFFER_CAPACITY && refused == null;
          attempt++) {
        HttpResponse<String> response =
            shortener.tryShorten("https://example.com/e2e/keygen-down/" + attempt);
        if (response.statusCode() == 201) {
          madeWhileDown.add(Http.json(response).get("short_code").asString());
        } else {
          refused = response;
        }
      }

      assertThat(madeWhileDown).as("links made from the buffer while keygen is down").isNotEmpty();
      assertThat(refused).as("the buffer runs dry within its capacity").isNotNull();
      assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
      assertThat(refused.headers().firstValue("Retry-After")).isPresent();
      assertThat(shortener.visit(madeWhileDown.get(0)).statusCode()).isEqualTo(301);
    } finally {
      stack.services().startService(LocalStack.KEYGEN);
    }
    assertThat(shortener.tryShorten("https://example.com/e2e/keygen-back").statusCode())
        .as("shortening works again once keygen is back")
        .isEqualTo(201);
  }

  /**
   * Notifications go through a transactional outbox; clicks Kafka does not take while it restarts
   * wait in the shortener and are offered again (for up to ten minutes by default). So after a
   * restart under traffic every notification is sent and every visit is counted, and no click is
   * reported dropped.
   */
  @Test
  @Order(11)
  void noNotificationAndNoClickIsLostWhenKafkaRestartsMidRun() throws Exception {
    ShortenerClient shortener = stack.shortener();
    NotificationClient notifications = stack.notifications();
    String code = shortener.shorten("https://example.com/e2e/kafka-restart/" + run);
    Recipient carol = recipient("carol");
    carol.register(notifications);
    long droppedBefore = shortener.clicksDropped();

    AtomicBoolean running = new AtomicBoolean(true);
    AtomicInteger visits = new AtomicInteger();
    List<String> sent = new CopyOnWriteArrayList<>();
    AtomicReference<Throwable> trafficFailure = new AtomicReference<>();
    Thread traffic =
        new Thread(
            () -> {
              for (int i = 0; running.get(); i++) {
                if (shortener.visit(code).statusCode() == 301) {
                  visits.incrementAndGet();
                }
                if (i % 5 == 0) {
                  String body = "tick " + i + " " + run;
                  notifications.send(carol.user(), List.of("email"), "Tick", body);
                  sent.add(body);
                }
                pause(50);
              }
            },
            "e2e-traffic");
    traffic.setUncaughtExceptionHandler((thread, failure) -> trafficFailure.set(failure));
    traffic.start();
    try {
      await().atMost(EVENTUALLY).until(() -> trafficFailure.get() != null || visits.get() >= 20);
      stack.services().restartKafka();
      int afterRestart = visits.get();
      await()
          .atMost(EVENTUALLY)
          .until(() -> trafficFailure.get() != null || visits.get() >= afterRestart + 20);
    } finally {
      running.set(false);
      traffic.join();
    }
    assertThat(trafficFailure.get()).as("the client's own requests during the restart").isNull();

    int visited = visits.get();
    await()
        .atMost(Duration.ofMinutes(2))
        .untilAsserted(
            () -> {
              List<String> emailed =
                  stack.sendGrid.receivedFor(carol.email()).stream()
                      .map(FakeProviderServer.Received::body)
                      .toList();
              for (String body : sent) {
                assertThat(emailed).as("an email with '%s'", body).anyMatch(b -> b.contains(body));
              }
              assertThat(shortener.analytics(code).get("total_clicks").asLong())
                  .as("clicks counted of %d visits", visited)
                  .isEqualTo(visited);
            });
    assertThat(shortener.clicksDropped() - droppedBefore).as("clicks dropped").isZero();
  }

  private Recipient recipient(String name) {
    long number =
        Math.floorMod(UUID.randomUUID().getLeastSignificantBits(), 9_000_000L) + 1_000_000L;
    return new Recipient(
        name + "-" + run,
        name + "-" + run + "@example.com",
        "+1415" + number,
        "fcm-token-" + name + "-" + run);
  }

  /** A user with a contact email and phone and one registered push device. */
  private record Recipient(String user, String email, String phone, String pushToken) {
    void register(NotificationClient notifications) {
      notifications.setContacts(user, email, phone);
      notifications.addDevice(user, pushToken);
    }
  }

  private static Map<String, Integer> counts(JsonNode object) {
    Map<String, Integer> counts = new HashMap<>();
    object.properties().forEach(entry -> counts.put(entry.getKey(), entry.getValue().asInt()));
    return counts;
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
