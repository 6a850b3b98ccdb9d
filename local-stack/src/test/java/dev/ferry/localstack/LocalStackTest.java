package dev.ferry.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher as a user runs it: a real process with all four services on broker-service, used,
 * stopped, and started again on the same data.
 */
class LocalStackTest {

  private static final int OFFSET = 10_000;
  private static final int SHORTENER = 8080 + OFFSET;
  private static final int KEYGEN = 8081 + OFFSET;
  private static final int NOTIFICATION = 8082 + OFFSET;
  private static final int BROKER = 8083 + OFFSET;
  private static final String DEV_API_KEY = "local-dev-key-0123456789";
  private static final Pattern RANGES = Pattern.compile("\"ranges_claimed\":(\\d+)");
  private static final Pattern SHORT_CODE = Pattern.compile("\"short_code\":\"([^\"]+)\"");

  private final HttpClient http = HttpClient.newHttpClient();

  @TempDir Path data;

  @Test
  void startsTheSuiteStopsEverythingOnInterruptAndKeepsDataForTheNextStart() throws Exception {
    long rangesAfterFirstRun;
    String code;
    Process first = launch();
    List<ProcessHandle> children;
    try {
      awaitBanner(first);
      children = stackProcesses(first);
      assertThat(children)
          .as("Postgres, Redis and the four services run as processes of their own")
          .hasSizeGreaterThanOrEqualTo(6);

      assertThat(send("POST", KEYGEN, "/api/v1/keys?count=5", null).body()).contains("\"keys\"");
      rangesAfterFirstRun = rangesClaimed();
      code = shorten("https://example.com/local-stack");
      assertRedirects(code, "https://example.com/local-stack");
      HttpResponse<String> notification =
          send(
              "POST",
              NOTIFICATION,
              "/api/v1/notifications",
              "{\"user_id\":\"u1\",\"type\":\"welcome\",\"priority\":\"normal\","
                  + "\"channels\":[\"email\"],\"title\":\"Hi\",\"body\":\"Welcome\"}");
      assertThat(notification.statusCode()).isEqualTo(202);
      assertThat(send("GET", BROKER, "/actuator/health", null).statusCode()).isEqualTo(200);
    } finally {
      first.destroy();
    }
    assertThat(first.waitFor(90, TimeUnit.SECONDS)).as("the launcher exits").isTrue();
    for (ProcessHandle child : children) {
      child.onExit().get(30, TimeUnit.SECONDS);
      assertThat(child.isAlive()).as("no orphan: %s", child.info().command()).isFalse();
    }

    Process second = launch();
    try {
      awaitBanner(second);
      assertRedirects(code, "https://example.com/local-stack");
      assertThat(rangesClaimed())
          .as("the second start finds the key ranges the first claimed")
          .isGreaterThan(rangesAfterFirstRun);
    } finally {
      second.destroy();
      second.waitFor(90, TimeUnit.SECONDS);
    }
  }

  @Test
  void rejectsAnUnknownOptionWithUsage() {
    assertThatThrownBy(() -> LocalStackOptions.parse("--bogus"))
        .hasMessageContaining("unknown option '--bogus'")
        .hasMessageContaining("usage");
    assertThatThrownBy(() -> LocalStackOptions.parse("--port-offset=x"))
        .hasMessageContaining("whole number");
    assertThatThrownBy(() -> LocalStackOptions.parse("--kafka=rabbit"))
        .hasMessageContaining("broker or apache");
    assertThatThrownBy(() -> LocalStackOptions.parse("--service-arg=shortener-service"))
        .hasMessageContaining("MODULE:--property=value");
  }

  @Test
  void collectsExtraArgumentsPerService() {
    LocalStackOptions options =
        LocalStackOptions.parse(
            "--service-arg=shortener-service:--ferry.shortener.links.keygen.capacity=40",
            "--service-arg=notification-service:--ferry.notification.channels.sms.primary=twilio",
            "--service-arg=shortener-service:--ferry.shortener.links.keygen.batch-size=20");

    assertThat(options.argumentsOf("shortener-service"))
        .containsExactly(
            "--ferry.shortener.links.keygen.capacity=40",
            "--ferry.shortener.links.keygen.batch-size=20");
    assertThat(options.argumentsOf("notification-service"))
        .containsExactly("--ferry.notification.channels.sms.primary=twilio");
    assertThat(options.argumentsOf("keygen-service")).isEmpty();
  }

  private String shorten(String longUrl) throws Exception {
    HttpResponse<String> created =
        send("POST", SHORTENER, "/api/v1/shorten", "{\"long_url\":\"" + longUrl + "\"}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    Matcher code = SHORT_CODE.matcher(created.body());
    assertThat(code.find()).isTrue();
    return code.group(1);
  }

  private void assertRedirects(String code, String longUrl) throws Exception {
    HttpResponse<String> redirect = send("GET", SHORTENER, "/" + code, null);
    assertThat(redirect.statusCode()).isEqualTo(301);
    assertThat(redirect.headers().firstValue("Location")).hasValue(longUrl);
  }

  private long rangesClaimed() throws Exception {
    Matcher ranges = RANGES.matcher(send("GET", KEYGEN, "/api/v1/keys/stats", null).body());
    assertThat(ranges.find()).isTrue();
    return Long.parseLong(ranges.group(1));
  }

  private HttpResponse<String> send(String method, int port, String path, String json)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
            .timeout(Duration.ofSeconds(30))
            .header("X-API-Key", DEV_API_KEY);
    if (json != null) {
      request.header("Content-Type", "application/json");
    }
    request.method(
        method,
        json == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(json));
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /**
   * The launcher's descendants (Redis, the services) and the Postgres server, which pg_ctl starts
   * detached from its parent and which is found by its data directory instead.
   */
  private List<ProcessHandle> stackProcesses(Process launcher) {
    String dataDirectory = data.toString();
    return Stream.concat(
            launcher.descendants(),
            ProcessHandle.allProcesses()
                .filter(process -> process.info().commandLine().orElse("").contains(dataDirectory)))
        .distinct()
        .toList();
  }

  private Process launch() throws IOException {
    return new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp",
            System.getProperty("java.class.path"),
            LocalStack.class.getName(),
            "--data-dir=" + data,
            "--port-offset=" + OFFSET)
        .directory(Path.of(System.getProperty("ferry.root")).toFile())
        .redirectErrorStream(true)
        .start();
  }

  /** Reads the launcher's output until its banner says the stack is up. */
  private static void awaitBanner(Process launcher) throws IOException {
    BufferedReader output =
        new BufferedReader(
            new InputStreamReader(launcher.getInputStream(), StandardCharsets.UTF_8));
    String line;
    StringBuilder seen = new StringBuilder();
    while ((line = output.readLine()) != null) {
      seen.append(line).append('\n');
      if (line.contains("Ferry is running locally.")) {
        Thread drain = new Thread(() -> output.lines().forEach(ignored -> {}));
        drain.setDaemon(true);
        drain.start();
        return;
      }
    }
    throw new AssertionError("the launcher exited before its banner:\n" + seen);
  }
}
