package dev.ferry.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The HTTP admin API and the operational endpoints, over real HTTP. */
class AdminHttpTest {

  static TestBroker broker;
  static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void startBroker() {
    broker = SharedBroker.get();
  }

  static HttpResponse<String> call(String method, String path, String json)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://localhost:" + broker.httpPort() + path))
            .header("Content-Type", "application/json");
    request.method(
        method,
        json == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(json));
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
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
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class))) {
      for (int i = 0; i < 5; i++) {
        producer.send(new ProducerRecord<>("lagging", "v" + i)).get();
      }
    }
    Properties config = new Properties();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    config.put(ConsumerConfig.GROUP_ID_CONFIG, "http-group");
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 3);
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
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
