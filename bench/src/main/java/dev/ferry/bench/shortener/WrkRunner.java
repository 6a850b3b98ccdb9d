package dev.ferry.bench.shortener;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs {@code wrk} (a separate C process, so the load costs the measured services little CPU) with
 * one thread and fixed connections: a warm-up run whose figures are thrown away, then the measured
 * run, whose requests/s, median and 99th percentile latency and error count it reads.
 */
final class WrkRunner {

  private static final Pattern REQUESTS_PER_SECOND = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
  private static final Pattern ERRORS = Pattern.compile("Non-2xx or 3xx responses:\\s+(\\d+)");
  private static final Pattern SOCKET_ERRORS =
      Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");

  /**
   * One measured run.
   *
   * @param errors responses that were neither 2xx nor 3xx, plus socket errors
   */
  record Result(double requestsPerSecond, double p50Millis, double p99Millis, long errors) {}

  private final int connections;
  private final Duration warmUp;
  private final Duration duration;

  WrkRunner(int connections, Duration warmUp, Duration duration) {
    this.connections = connections;
    this.warmUp = warmUp;
    this.duration = duration;
  }

  /** Loads {@code url}, with a Lua {@code script} given {@code scriptArgument} if not null. */
  Result run(String url, Path script, Path scriptArgument)
      throws IOException, InterruptedException {
    wrk(url, script, scriptArgument, warmUp);
    String output = wrk(url, script, scriptArgument, duration);
    Matcher rps = REQUESTS_PER_SECOND.matcher(output);
    if (!rps.find()) {
      throw new IllegalStateException("no Requests/sec in wrk's output:\n" + output);
    }
    long errors = 0;
    Matcher http = ERRORS.matcher(output);
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
        errors);
  }

  private String wrk(String url, Path script, Path scriptArgument, Duration length)
      throws IOException, InterruptedException {
    List<String> command =
        new ArrayList<>(
            List.of(
                "wrk", "-t1", "-c" + connections, "-d" + length.toSeconds() + "s", "--latency"));
    if (script != null) {
      command.addAll(List.of("-s", script.toString()));
    }
    command.add(url);
    if (scriptArgument != null) {
      command.addAll(List.of("--", scriptArgument.toString()));
    }
    Process wrk = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (wrk.waitFor() != 0) {
      throw new IllegalStateException("wrk failed:\n" + output);
    }
    return output;
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
