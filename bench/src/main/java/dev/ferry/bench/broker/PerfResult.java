package dev.ferry.bench.broker;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one run of Kafka's {@code ProducerPerformance} or {@code ConsumerPerformance} printed.
 *
 * @param recordsPerSecond throughput in records
 * @param megabytesPerSecond throughput in MB (2^20 bytes)
 * @param p50Ms median latency (producer runs only, else NaN)
 * @param p99Ms 99th percentile latency (producer runs only, else NaN)
 * @param p999Ms 99.9th percentile latency (producer runs only, else NaN)
 */
record PerfResult(
    double recordsPerSecond, double megabytesPerSecond, double p50Ms, double p99Ms, double p999Ms) {

  private static final Pattern PRODUCER_SUMMARY =
      Pattern.compile(
          "(\\d+) records sent, ([0-9.]+) records/sec \\(([0-9.]+) MB/sec\\), [0-9.]+ ms avg latency,"
              + " [0-9.]+ ms max latency, (\\d+) ms 50th, \\d+ ms 95th, (\\d+) ms 99th, (\\d+) ms 99.9th");

  /** Parses the producer tool's last summary line. */
  static PerfResult ofProducer(String output) {
    Matcher summary = PRODUCER_SUMMARY.matcher(output);
    PerfResult last = null;
    while (summary.find()) {
      last =
          new PerfResult(
              Double.parseDouble(summary.group(2)),
              Double.parseDouble(summary.group(3)),
              Double.parseDouble(summary.group(4)),
              Double.parseDouble(summary.group(5)),
              Double.parseDouble(summary.group(6)));
    }
    if (last == null) {
      throw new IllegalStateException("no summary in ProducerPerformance's output:\n" + output);
    }
    return last;
  }

  /**
   * Parses the consumer tool's data line: {@code start.time, end.time, data.consumed.in.MB, MB.sec,
   * data.consumed.in.nMsg, nMsg.sec, ...}.
   */
  static PerfResult ofConsumer(String output) {
    for (String line : output.split("\n")) {
      String[] fields = line.split(",\\s*");
      if (fields.length >= 6 && fields[0].matches("\\d{4}-.*")) {
        return new PerfResult(
            Double.parseDouble(fields[5]),
            Double.parseDouble(fields[3]),
            Double.NaN,
            Double.NaN,
            Double.NaN);
      }
    }
    throw new IllegalStateException("no data line in ConsumerPerformance's output:\n" + output);
  }
}
