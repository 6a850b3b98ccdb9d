package dev.ferry.bench.broker;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * broker-service's latency breakdown over one run: the difference of two scrapes of its request
 * stage histograms ({@code ferry.broker.request.stage}, see {@code RequestTimes}) and its fsync
 * histogram ({@code ferry.broker.log.flush}). Quantiles are the upper bounds of the histogram
 * buckets they fall in, so they read as "at most".
 */
final class StageTimes {

  private static final List<String> STAGES = List.of("queue", "local", "remote", "response-queue");

  private StageTimes() {}

  static List<String> rows(String broker, Map<String, Double> before, Map<String, Double> after) {
    List<String> rows = new ArrayList<>();
    for (String stage : STAGES) {
      rows.add(
          histogram(
                  before,
                  after,
                  "ferry_broker_request_stage_seconds",
                  Map.of("api", "Produce", "stage", stage))
              .row(broker, "Produce " + stage));
    }
    rows.add(
        histogram(before, after, "ferry_broker_log_flush_seconds", Map.of()).row(broker, "fsync"));
    return rows;
  }

  /** The buckets, count and sum of one histogram series that arrived between the two scrapes. */
  private static Histogram histogram(
      Map<String, Double> before,
      Map<String, Double> after,
      String name,
      Map<String, String> tags) {
    TreeMap<Double, Double> buckets = new TreeMap<>();
    double count = 0;
    double sum = 0;
    for (Map.Entry<String, Double> sample : after.entrySet()) {
      String series = sample.getKey();
      Map<String, String> labels = Prometheus.labels(series);
      if (!labels.entrySet().containsAll(tags.entrySet())) {
        continue;
      }
      double delta = sample.getValue() - before.getOrDefault(series, 0.0);
      String metric = Prometheus.name(series);
      if (metric.equals(name + "_bucket")) {
        String le = labels.get("le");
        buckets.merge(
            le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le),
            delta,
            Double::sum);
      } else if (metric.equals(name + "_count")) {
        count += delta;
      } else if (metric.equals(name + "_sum")) {
        sum += delta;
      }
    }
    return new Histogram(buckets, count, sum);
  }

  /** Cumulative bucket counts by upper bound in seconds. */
  private record Histogram(TreeMap<Double, Double> buckets, double count, double sumSeconds) {

    /** The upper bound of the bucket holding quantile {@code q}, in ms. */
    double quantileMs(double q) {
      for (Map.Entry<Double, Double> bucket : buckets.entrySet()) {
        if (bucket.getValue() >= q * count) {
          return bucket.getKey() * 1000;
        }
      }
      return Double.NaN;
    }

    String row(String broker, String what) {
      if (count == 0) {
        return String.format(Locale.ROOT, "| %s | %s | 0 | | | | |", broker, what);
      }
      return String.format(
          Locale.ROOT,
          "| %s | %s | %,.0f | %.2f | ≤ %.2f | ≤ %.2f | ≤ %.2f |",
          broker,
          what,
          count,
          sumSeconds * 1000 / count,
          quantileMs(0.5),
          quantileMs(0.99),
          quantileMs(1.0));
    }
  }
}
