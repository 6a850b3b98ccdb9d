package dev.ferry.keygen.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.keygen.KeygenApplication;
import dev.ferry.keygen.KeygenTestSupport;
import dev.ferry.testkit.FreePorts;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.web.client.RestClient;

/** keygen-service as a real process, killed with SIGKILL in the middle of a range. */
class CrashRecoveryTest {

  private record Keys(List<String> keys) {}

  @Test
  void aProcessKilledMidRangeAndRestartedNeverReissuesACode() throws Exception {
    String database = KeygenTestSupport.freshDatabase("crash");
    int port = FreePorts.find();

    Set<String> beforeCrash = new HashSet<>();
    Process first = start(database, port, "first");
    try {
      RestClient http = awaitReady(port);
      for (int i = 0; i < 5; i++) {
        beforeCrash.addAll(issue(http, 7_000));
      }
    } finally {
      first.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
    assertThat(first.exitValue()).as("killed by SIGKILL").isEqualTo(137);

    Process second = start(database, port, "second");
    try {
      RestClient http = awaitReady(port);
      for (int i = 0; i < 5; i++) {
        for (String key : issue(http, 7_000)) {
          assertThat(beforeCrash).as("code %s issued before the crash", key).doesNotContain(key);
        }
      }
    } finally {
      second.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
    assertThat(beforeCrash).hasSize(35_000);
  }

  private static Process start(String database, int port, String name) throws IOException {
    Path log = Path.of("target", "crash-recovery-" + name + ".log");
    return new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx256m",
            "-cp",
            System.getProperty("java.class.path"),
            KeygenApplication.class.getName(),
            "--server.port=" + port,
            "--spring.datasource.url=" + database,
            "--ferry.keygen.secret-key=" + KeygenTestSupport.TEST_KEY,
            "--ferry.keygen.range.size=10000",
            "--ferry.keygen.buffer.capacity=20000",
            "--ferry.keygen.buffer.low-watermark=5000")
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .directory(new File("."))
        .start();
  }

  private static RestClient awaitReady(int port) {
    RestClient http = RestClient.create("http://localhost:" + port);
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(250))
        .ignoreExceptions()
        .until(
            () ->
                http.get()
                    .uri("/actuator/health/readiness")
                    .retrieve()
                    .toBodilessEntity()
                    .getStatusCode()
                    .is2xxSuccessful());
    return http;
  }

  private static List<String> issue(RestClient http, int count) {
    return http.post().uri("/api/v1/keys?count=" + count).retrieve().body(Keys.class).keys();
  }
}
