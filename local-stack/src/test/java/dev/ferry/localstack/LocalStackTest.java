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

/** The launcher as a user runs it: a real process, started, used, stopped, started again. */
class LocalStackTest {

  private static final int OFFSET = 10_000;
  private static final Pattern RANGES = Pattern.compile("\"ranges_claimed\":(\\d+)");

  @TempDir Path data;

  @Test
  void startsTheSuiteStopsEverythingOnInterruptAndKeepsDataForTheNextStart() throws Exception {
    long rangesAfterFirstRun;
    Process first = launch();
    List<ProcessHandle> children;
    try {
      awaitBanner(first);
      children = stackProcesses(first);
      assertThat(children)
          .as("Postgres, Redis and keygen-service run as processes of their own")
          .hasSizeGreaterThanOrEqualTo(3);
      assertThat(post("/api/v1/keys?count=5")).contains("\"keys\"");
      rangesAfterFirstRun = rangesClaimed();
    } finally {
      first.destroy();
    }
    assertThat(first.waitFor(60, TimeUnit.SECONDS)).as("the launcher exits").isTrue();
    for (ProcessHandle child : children) {
      child.onExit().get(30, TimeUnit.SECONDS);
      assertThat(child.isAlive()).as("no orphan: %s", child.info().command()).isFalse();
    }

    Process second = launch();
    try {
      awaitBanner(second);
      assertThat(rangesClaimed())
          .as("the second start finds the key ranges the first claimed")
          .isGreaterThan(rangesAfterFirstRun);
    } finally {
      second.destroy();
      second.waitFor(60, TimeUnit.SECONDS);
    }
  }

  @Test
  void rejectsAnUnknownOptionWithUsage() {
    assertThatThrownBy(() -> LocalStackOptions.parse("--bogus"))
        .hasMessageContaining("unknown option '--bogus'")
        .hasMessageContaining("usage");
    assertThatThrownBy(() -> LocalStackOptions.parse("--port-offset=x"))
        .hasMessageContaining("whole number");
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
    while ((line = output.readLine()) != null) {
      if (line.contains("Ferry is running locally.")) {
        Thread drain = new Thread(() -> output.lines().forEach(ignored -> {}));
        drain.setDaemon(true);
        drain.start();
        return;
      }
    }
    throw new AssertionError("the launcher exited before its banner");
  }

  private static long rangesClaimed() throws Exception {
    Matcher ranges = RANGES.matcher(get("/api/v1/keys/stats"));
    assertThat(ranges.find()).isTrue();
    return Long.parseLong(ranges.group(1));
  }

  private static String post(String path) throws Exception {
    return send(HttpRequest.newBuilder(keygen(path)).POST(HttpRequest.BodyPublishers.noBody()));
  }

  private static String get(String path) throws Exception {
    return send(HttpRequest.newBuilder(keygen(path)));
  }

  private static URI keygen(String path) {
    return URI.create("http://localhost:" + (8081 + OFFSET) + path);
  }

  private static String send(HttpRequest.Builder request) throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                request.timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body();
  }
}
