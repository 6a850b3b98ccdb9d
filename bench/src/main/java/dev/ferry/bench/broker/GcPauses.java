package dev.ferry.bench.broker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The stop-the-world pauses a broker's JVM logged ({@code -Xlog:gc}) from a position of its GC log
 * on: every {@code Pause ...} line ends with the pause in ms.
 *
 * @param pausesMs the pauses, in log order
 */
record GcPauses(List<Double> pausesMs) {

  private static final Pattern PAUSE = Pattern.compile("Pause .* ([0-9]+\\.[0-9]+)ms$");

  static GcPauses since(Path gcLog, long position) throws IOException {
    byte[] bytes = Files.readAllBytes(gcLog);
    String text =
        new String(
            bytes,
            (int) Math.min(position, bytes.length),
            (int) Math.max(0, bytes.length - position),
            StandardCharsets.UTF_8);
    List<Double> pauses = new ArrayList<>();
    for (String line : text.split("\n")) {
      Matcher matcher = PAUSE.matcher(line.strip());
      if (matcher.find()) {
        pauses.add(Double.parseDouble(matcher.group(1)));
      }
    }
    return new GcPauses(pauses);
  }

  String row(String broker) {
    if (pausesMs.isEmpty()) {
      return String.format(Locale.ROOT, "| %s | GC pauses | 0 | | | | |", broker);
    }
    double[] sorted = pausesMs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return String.format(
        Locale.ROOT,
        "| %s | GC pauses | %d | %.2f | %.2f | %.2f | %.2f |",
        broker,
        sorted.length,
        Arrays.stream(sorted).average().orElse(0),
        sorted[(int) Math.floor(0.5 * (sorted.length - 1))],
        sorted[(int) Math.floor(0.99 * (sorted.length - 1))],
        sorted[sorted.length - 1]);
  }
}
