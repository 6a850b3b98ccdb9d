package dev.ferry.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.protocol.ApiKeys;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The HTTP admin API and the operational endpoints, over real HTTP. */
class AdminHttpTest {

  static TestBroker broker;

  @BeforeAll
  static void startBroker() {
    broker = SharedBroker.get();
  }

  static HttpResponse<String> call(String method, String path, String json)
      throws IOException, InterruptedException {
    return broker.http(method, path, json);
  }

  @Test
  void createsDescribesListsAndDeletesATopic() throws Exception {
    HttpResponse<String> created =
        call(
            "POST",
            "/api/v1/topics",
            "{\"name\":\"http-topic\",\"partitions\":2,\"configs\":{\"retention.ms\":\"60000\"}}");
    assertThat(created.statusCode()).isEqualTo(201);
    assertThat(created.headers().firstValue("Location")).contains("/api/v1/topics/http-topic");
    assertThat(created.body()).contains("\"topic_id\"", "\"high_watermark\":0");

    HttpResponse<String> described = call("GET", "/api/v1/topics/http-topic", null);
    assertThat(described.statusCode()).isEqualTo(200);
    assertThat(described.body())
        .contains("\"partition\":1", "\"role\":\"LEADER\"", "\"retention.ms\":\"60000\"");
    assertThat(call("GET", "/api/v1/topics", null).body()).contains("\"name\":\"http-topic\"");

    assertThat(call("DELETE", "/api/v1/topics/http-topic", null).statusCode()).isEqualTo(204);
    assertThat(call("GET", "/api/v1/topics/http-topic", null).statusCode()).isEqualTo(404);
  }

  @Test
  void badTopicRequestsGetProblemResponses() throws Exception {
    call("POST", "/api/v1/topics", "{\"name\":\"twice\"}");
    HttpResponse<String> duplicate = call("POST", "/api/v1/topics", "{\"name\":\"twice\"}");
    assertThat(duplicate.statusCode()).isEqualTo(409);
    assertThat(duplicate.headers().firstValue("Content-Type")).contains("application/problem+json");
    assertThat(duplicate.body()).contains("problems/broker/topic-exists");

    HttpResponse<String> invalid = call("POST", "/api/v1/topics", "{\"name\":\"no spaces\"}");
    assertThat(invalid.statusCode()).isEqualTo(400);
    assertThat(invalid.body()).contains("problems/broker/invalid-topic-name");

    HttpResponse<String> blank = call("POST", "/api/v1/topics", "{\"name\":\"\"}");
    assertThat(blank.statusCode()).isEqualTo(400);

    HttpResponse<String> shredded =
        call(
            "POST",
            "/api/v1/topics",
            "{\"name\":\"shred-me\",\"configs\":{\"cleanup.policy\":\"shred\"}}");
    assertThat(shredded.statusCode()).isEqualTo(400);
    assertThat(shredded.body()).contains("invalid-topic-settings");

    assertThat(call("GET", "/api/v1/topics/missing", null).body()).contains("topic-not-found");
    assertThat(call("GET", "/api/v1/groups/missing", null).statusCode()).isEqualTo(404);
  }

  @Test
  void describesAGroupWithCommittedOffsetsAndLag() throws Exception {
    broker.produce("lagging", 5, 0);
    try (KafkaConsumer<String, String> consumer =
        broker.consumer("http-group", Map.of(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 3))) {
      consumer.subscribe(List.of("lagging"));
      TestBroker.poll(consumer, 1);
      consumer.commitSync();
      HttpResponse<String> group = call("GET", "/api/v1/groups/http-group", null);
      assertThat(group.statusCode()).isEqualTo(200);
      assertThat(group.body())
          .contains(
              "\"state\":\"Stable\"",
              "\"committed_offset\":3",
              "\"high_watermark\":5",
              "\"lag\":2");
      assertThat(call("GET", "/api/v1/groups", null).body())
          .contains("\"group_id\":\"http-group\"");
    }
  }

  @Test
  void exposesPrometheusMetricsAndHealthProbes() throws Exception {
    call("GET", "/api/v1/topics", null);
    try (RawKafkaClient client = new RawKafkaClient(broker.bootstrapServers())) {
      ProtocolConformanceTest.createTopic(client, "metered");
    }
    try (RawKafkaClient client = new RawKafkaClient(broker.bootstrapServers())) {
      client.send(
          ApiKeys.PRODUCE,
          (short) 9,
          ProtocolConformanceTest.produce(
              "metered", 7, ProtocolConformanceTest.records("x"), (short) 1));
    }
    HttpResponse<String> metrics = call("GET", "/actuator/prometheus", null);
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.body())
        .contains(
            "ferry_broker_requests_seconds_count{api=\"Metadata\"",
            "ferry_broker_network_bytes",
            "ferry_broker_partition_errors_total{api=\"Produce\",error=\"UNKNOWN_TOPIC_OR_PARTITION\"");
    assertThat(call("GET", "/actuator/health/readiness", null).body()).contains("UP");
    assertThat(call("GET", "/actuator/health/liveness", null).body()).contains("UP");
  }
}
