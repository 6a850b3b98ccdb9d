package dev.ferry.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * librdkafka, through the {@code kcat} command-line client, as a second independent client
 * implementation. Skipped where kcat is not installed ({@code apt-get install kcat}).
 */
class KcatCompatibilityTest {

  static String bootstrap;

  @BeforeAll
  static void requireKcat() {
    assumeTrue(
        Arrays.stream(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
            .anyMatch(dir -> new File(dir, "kcat").canExecute()),
        "kcat is not installed");
    bootstrap = SharedBroker.get().bootstrapServers();
  }

  static List<String> kcat(String stdin, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("kcat", "-b", bootstrap));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(false).start();
    process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
    process.getOutputStream().close();
    if (!process.waitFor(90, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("kcat " + command + " did not finish");
    }
    String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.exitValue()).as("kcat exit status; stderr: %s", stderr).isZero();
    return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
        .lines()
        .toList();
  }

  @Test
  void kcatListsMetadataProducesAndConsumesInAGroup() throws Exception {
    kcat("one\ntwo\nthree\n", "-P", "-t", "kcat-topic");

    assertThat(String.join("\n", kcat("", "-L")))
        .contains("1 brokers", "topic \"kcat-topic\" with 1 partitions");
    assertThat(kcat("", "-C", "-t", "kcat-topic", "-o", "beginning", "-e", "-q"))
        .containsExactly("one", "two", "three");
    assertThat(kcat("", "-G", "kcat-group", "kcat-topic", "-o", "beginning", "-c", "3", "-q"))
        .containsExactly("one", "two", "three");
  }
}
