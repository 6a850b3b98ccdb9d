package dev.ferry.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator metrics the Grafana dashboard queries, read from a real {@code /actuator/prometheus}
 * scrape after kafka-clients produced and consumed.
 */
class BrokerMetricsTest {

  static TestBroker broker;

  @BeforeAll
  static void startBroker() {
    broker = SharedBroker.get();
  }

  @Test
  void publishesRequestHistogramsPerTopicBytesAndGroupLag() throws Exception {
    broker.produce("metrics-topic", 10, 0);
    try (KafkaConsumer<String, String> consumer = broker.consumer("metrics-group")) {
      consumer.subscribe(List.of("metrics-topic"));
      TestBroker.poll(consumer, 10);
      TopicPartition partition = new TopicPartition("metrics-topic", 0);
      consumer.commitSync(Map.of(partition, new OffsetAndMetadata(4)));

      String lag =
          "ferry_broker_group_lag{group=\"metrics-group\",partition=\"0\",topic=\"metrics-topic\"}";
      await().atMost(Duration.ofSeconds(60)).until(() -> sample(scrape(), lag) == 6.0);

      broker.produce("metrics-topic", 5, 10);
      assertThat(sample(scrape(), lag)).as("read live at scrape time").isEqualTo(11.0);
      consumer.commitSync(Map.of(partition, new OffsetAndMetadata(15)));
      assertThat(sample(scrape(), lag)).isEqualTo(0.0);
    }

    String scrape = scrape();
    assertThat(scrape)
        .contains(
            "ferry_broker_requests_seconds_bucket{api=\"Produce\",error=\"none\",le=",
            "ferry_broker_requests_seconds_bucket{api=\"Fetch\",error=\"none\",le=\"+Inf\"}",
            "ferry_broker_requests_seconds_count{api=\"OffsetCommit\",error=\"none\"}");
    assertThat(sample(scrape, "ferry_broker_produce_bytes_total{topic=\"metrics-topic\"}"))
        .isPositive();
    assertThat(sample(scrape, "ferry_broker_fetch_bytes_total{topic=\"metrics-topic\"}"))
        .isPositive();
  }

  /**
   * The latency breakdown the benchmark reads: every produce request records its four stages, and
   * an {@code acks=all} produce (the kafka-clients default) waits for group-commit fsyncs, which
   * are timed too.
   */
  @Test
  void timesEveryStageOfAProduceRequestAndTheFsyncsAcksAllWaitsFor() throws Exception {
    String fsyncs = "ferry_broker_log_flush_seconds_count";
    double fsyncsBefore = countOrZero(scrape(), fsyncs);
    broker.produce("staged-topic", 3, 0);
    String scrape = scrape();
    assertThat(sample(scrape, fsyncs)).isGreaterThan(fsyncsBefore);
    for (String stage : List.of("queue", "local", "remote", "response-queue")) {
      assertThat(
              sample(
                  scrape,
                  "ferry_broker_request_stage_seconds_count{api=\"Produce\",stage=\""
                      + stage
                      + "\"}"))
          .as(stage)
          .isGreaterThanOrEqualTo(3);
    }
  }

  /**
   * With {@code log.acks-all-fsync=false} and the on-roll flush policy, the configuration the
   * benchmark uses to compare with Kafka's default, an {@code acks=all} produce is acknowledged
   * without any fsync, and its records are there to read.
   */
  @Test
  void acksAllWithoutFsyncIsAcknowledgedWithoutAnyFsync(@TempDir Path dataDir) throws Exception {
    try (TestBroker likeKafka =
        TestBroker.start(
            dataDir,
            Map.of(
                "ferry.broker.log.acks-all-fsync",
                false,
                "ferry.broker.log.flush-policy",
                "on-roll"))) {
      likeKafka.produce("unsynced", 5, 0);
      HttpResponse<String> metrics = likeKafka.http("GET", "/actuator/prometheus", null);
      assertThat(sample(metrics.body(), "ferry_broker_log_flush_seconds_count")).isZero();
      try (KafkaConsumer<String, String> consumer = likeKafka.consumer("unsynced-readers")) {
        consumer.subscribe(List.of("unsynced"));
        assertThat(TestBroker.pollValues(consumer, 5))
            .containsExactly("v0", "v1", "v2", "v3", "v4");
      }
    }
  }

  private static double countOrZero(String scrape, String series) {
    double value = sample(scrape, series);
    return Double.isNaN(value) ? 0 : value;
  }

  /** The value of one sample line of the scrape, or NaN when the series is absent. */
  static double sample(String scrape, String series) {
    Matcher matcher = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(scrape);
    return matcher.find() ? Double.parseDouble(matcher.group(1)) : Double.NaN;
  }

  static String scrape() throws IOException, InterruptedException {
    HttpResponse<String> response = broker.http("GET", "/actuator/prometheus", null);
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body();
  }
}
