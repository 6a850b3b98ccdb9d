package dev.ferry.keygen.keys;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.keygen.KeygenTestSupport;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.client.RestTestClient;

class KeyspaceExhaustionTest {

  @Test
  void answersServiceUnavailableOnceEveryCodeIsIssuedAndNeverRepeatsOne() {
    String database = KeygenTestSupport.freshDatabase("exhaustion");
    try (ConfigurableApplicationContext keygen =
        KeygenTestSupport.startInstance(
            database,
            "ferry.keygen.range.size=100",
            "ferry.keygen.buffer.capacity=1000",
            "ferry.keygen.buffer.low-watermark=0",
            "ferry.keygen.buffer.chunk=100")) {
      JdbcClient.create(keygen.getBean(javax.sql.DataSource.class))
          .sql("UPDATE keyspace SET next_counter = keyspace_size - 500")
          .update();
      RestTestClient client =
          RestTestClient.bindToServer().baseUrl(KeygenTestSupport.baseUrl(keygen)).build();

      Set<String> issued = new HashSet<>();
      int status = 200;
      for (int i = 0; i < 100 && status == 200; i++) {
        var result =
            client.post().uri("/api/v1/keys?count=50").exchange().returnResult(KeysResponse.class);
        status = result.getStatus().value();
        if (status == 200) {
          for (String key : result.getResponseBody().keys()) {
            assertThat(issued.add(key)).as("code %s issued twice", key).isTrue();
          }
        }
      }

      assertThat(status).isEqualTo(503);
      assertThat(issued.size())
          .as("every code left was issued before refusing")
          .isGreaterThanOrEqualTo(500);
      client
          .post()
          .uri("/api/v1/keys?count=1")
          .exchange()
          .expectStatus()
          .isEqualTo(503)
          .expectHeader()
          .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
          .expectBody()
          .jsonPath("$.type")
          .isEqualTo("https://ferry.dev/problems/keyspace-exhausted");
    }
  }
}
