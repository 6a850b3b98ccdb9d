package dev.ferry.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs the {@code wrk} HTTP load generator (a separate C process, so the load costs the services
 * little CPU) and reads its summary.
 */
public final class Wrk {

  private static final Pattern REQUESTS_PER_SECOND = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
  private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses:\\s+(\\d+)");
  private static final Pattern LATENCY_P99 = Pattern.compile("\\s99%\\s+([0-9.]+)(us|ms|s)");

  /** One wrk run's summary. */
  public record Result(double requestsPerSecond, double p99Millis, String raw) {}

  private Wrk() {}

  /** POSTs to {@code url} with {@code connections} connections on {@code threads} threads. */
  static Result post(String url, int threads, int connections, Duration duration)
      throws IOException, InterruptedException {
    return run(url, "wrk.method = \"POST\"\n", threads, connections, duration);
  }

  /**
   * Runs wrk with the Lua {@code script}, which sets the method, headers and body or builds each
   * request; any non-2xx answer fails the run.
   */
  public static Result run(
      String url, String luaScript, int threads, int connections, Duration duration)
      throws IOException, InterruptedException {
    Path script = Files.createTempFile("wrk", ".lua");
    Files.writeString(script, luaScript);
    Process wrk =
        new ProcessBuilder(
                "wrk",
                "-t" + threads,
                "-c" + connections,
                "-d" + duration.toSeconds() + "s",
                "--latency",
                // wrk's default of 2 s would count a slow batch as a socket error, not a request.
                "--timeout",
                "10s",
                "-s",
                script.toString(),
                url)
            .redirectErrorStream(true)
            .start();
    String output = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (wrk.waitFor() != 0) {
      throw new IllegalStateException("wrk failed:\n" + output);
    }
    Matcher errors = NON_2XX.matcher(output);
    if (errors.find() && Long.parseLong(errors.group(1)) > 0) {
      throw new IllegalStateException("the server answered errors under load:\n" + output);
    }
    Matcher rps = REQUESTS_PER_SECOND.matcher(output);
    if (!rps.find()) {
      throw new IllegalStateException("no Requests/sec in wrk's output:\n" + output);
    }
    return new Result(Double.parseDouble(rps.group(1)), p99Millis(output), output);
  }

  private static double p99Millis(String output) {
    Matcher p99 = LATENCY_P99.matcher(output);
    if (!p99.find()) {
      return Double.NaN;
    }
    double value = Double.parseDouble(p99.group(1));
    return switch (p99.group(2)) {
      case "us" -> value / 1000;
      case "s" -> value * 1000;
      default -> value;
    };
  }
}
