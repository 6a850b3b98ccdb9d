package dev.ferry.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs the {@code wrk} HTTP load generator (a separate C process, so the load costs the services
 * little CPU) and reads its summary: requests/s, median and 99th percentile latency, and errors
 * (answers that were neither 2xx nor 3xx, plus connect, read, write and timeout errors).
 */
public final class Wrk {

  private static final Pattern REQUESTS_PER_SECOND = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
  private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses:\\s+(\\d+)");
  private static final Pattern SOCKET_ERRORS =
      Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");

  /**
   * One wrk run's summary.
   *
   * @param errors answers that were neither 2xx nor 3xx, plus socket errors
   * @param raw wrk's own output
   */
  public record Result(
      double requestsPerSecond, double p50Millis, double p99Millis, long errors, String raw) {}

  private Wrk() {}

  /** POSTs to {@code url} with {@code connections} connections on {@code threads} threads. */
  static Result post(String url, int threads, int connections, Duration duration)
      throws IOException, InterruptedException {
    return run(url, "wrk.method = \"POST\"\n", threads, connections, duration);
  }

  /**
   * Runs wrk with the Lua {@code script}, which sets the method, headers and body or builds each
   * request; any answer that is neither 2xx nor 3xx fails the run.
   */
  public static Result run(
      String url, String luaScript, int threads, int connections, Duration duration)
      throws IOException, InterruptedException {
    Path script = Files.createTempFile("wrk", ".lua");
    Files.writeString(script, luaScript);
    Result result = wrk(url, script, List.of(), threads, connections, duration);
    Matcher errors = NON_2XX.matcher(result.raw());
    if (errors.find() && Long.parseLong(errors.group(1)) > 0) {
      throw new IllegalStateException("the server answered errors under load:\n" + result.raw());
    }
    return result;
  }

  /**
   * A warm-up run whose figures are thrown away, then the measured run, both with the Lua {@code
   * script} given {@code scriptArguments}; errors are counted in the result, not thrown, so that a
   * comparison can show them.
   */
  public static Result measure(
      String url,
      Path script,
      List<String> scriptArguments,
      int threads,
      int connections,
      Duration warmUp,
      Duration duration)
      throws IOException, InterruptedException {
    wrk(url, script, scriptArguments, threads, connections, warmUp);
    return wrk(url, script, scriptArguments, threads, connections, duration);
  }

  private static Result wrk(
      String url,
      Path script,
      List<String> scriptArguments,
      int threads,
      int connections,
      Duration duration)
      throws IOException, InterruptedException {
    List<String> command =
        new ArrayList<>(
            List.of(
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
                url));
    if (!scriptArguments.isEmpty()) {
      command.add("--");
      command.addAll(scriptArguments);
    }
    Process wrk = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (wrk.waitFor() != 0) {
      throw new IllegalStateException("wrk failed:\n" + output);
    }
    Matcher rps = REQUESTS_PER_SECOND.matcher(output);
    if (!rps.find()) {
      throw new IllegalStateException("no Requests/sec in wrk's output:\n" + output);
    }
    long errors = 0;
    Matcher http = NON_2XX.matcher(output);
    if (http.find()) {
      errors += Long.parseLong(http.group(1));
    }
    Matcher socket = SOCKET_ERRORS.matcher(output);
    if (socket.find()) {
      for (int group = 1; group <= 4; group++) {
        errors += Long.parseLong(socket.group(group));
      }
    }
    return new Result(
        Double.parseDouble(rps.group(1)),
        percentileMillis(output, "50%"),
        percentileMillis(output, "99%"),
        errors,
        output);
  }

  private static double percentileMillis(String output, String percentile) {
    Matcher matcher =
        Pattern.compile("\\s" + Pattern.quote(percentile) + "\\s+([0-9.]+)(us|ms|s)\\b")
            .matcher(output);
    if (!matcher.find()) {
      return Double.NaN;
    }
    double value = Double.parseDouble(matcher.group(1));
    return switch (matcher.group(2)) {
      case "us" -> value / 1000;
      case "s" -> value * 1000;
      default -> value;
    };
  }
}
