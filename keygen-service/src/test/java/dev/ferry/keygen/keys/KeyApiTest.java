package dev.ferry.keygen.keys;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.keygen.KeygenTestSupport;
import dev.ferry.testkit.EmbeddedPostgresServer;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.client.RestTestClient;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureRestTestClient
class KeyApiTest {

  private static final String CODE = "[0-9a-zA-Z]{7}";

  @Autowired RestTestClient client;

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) {
    EmbeddedPostgresServer.shared().registerDataSource(registry, "key_api");
    registry.add("ferry.keygen.secret-key", () -> KeygenTestSupport.TEST_KEY);
  }

  @Test
  void issuesTheRequestedNumberOfDistinctSevenCharacterCodes() {
    List<String> keys = issue(1000);

    assertThat(keys).hasSize(1000).allMatch(key -> key.matches(CODE));
    assertThat(new HashSet<>(keys)).hasSize(1000);
  }

  @Test
  void neverIssuesACodeTwiceAcrossRequests() {
    HashSet<String> seen = new HashSet<>();
    for (int i = 0; i < 30; i++) {
      for (String key : issue(10_000)) {
        assertThat(seen.add(key)).as("code %s issued twice", key).isTrue();
      }
    }
    assertThat(seen).hasSize(300_000);
  }

  @Test
  void consecutiveCodesDoNotRevealTheCounterOrder() {
    List<String> keys = issue(100);
    assertThat(keys).isNotEqualTo(keys.stream().sorted().toList());
  }

  @Test
  void statsReportIssuedCodesAndTheKeyspaceUsed() {
    long before = stats().issued();
    issue(250);

    KeyStatsResponse stats = stats();
    assertThat(stats.issued()).isEqualTo(before + 250);
    assertThat(stats.rangesClaimed()).isPositive();
    assertThat(stats.countersClaimed()).isGreaterThanOrEqualTo(stats.issued());
    assertThat(stats.keyspaceSize()).isEqualTo(3_521_614_606_208L);
    assertThat(stats.keyspaceUsedFraction())
        .isEqualTo((double) stats.countersClaimed() / stats.keyspaceSize());
  }

  @Test
  void statsUseSnakeCaseFieldNames() {
    Map<String, Object> body =
        client
            .get()
            .uri("/api/v1/keys/stats")
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(new ParameterizedTypeReference<Map<String, Object>>() {})
            .returnResult()
            .getResponseBody();
    assertThat(body)
        .containsKeys(
            "issued",
            "buffer_level",
            "ranges_claimed",
            "counters_claimed",
            "keyspace_size",
            "keyspace_used_fraction");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "count=0",
        "count=-1",
        "count=10001",
        "count=abc",
        "count=1.5",
        "count=99999999999999999999",
        "count=",
        "",
        "other=5",
        "count=%27%3B%20DROP%20TABLE%20keyspace%3B--"
      })
  void rejectsABadCountWithAProblemNamingTheParameterAndIssuesNothing(String query) {
    long before = stats().issued();

    client
        .post()
        .uri("/api/v1/keys?" + query)
        .exchange()
        .expectStatus()
        .isBadRequest()
        .expectHeader()
        .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody()
        .jsonPath("$.type")
        .isEqualTo("https://ferry.dev/problems/invalid-parameter")
        .jsonPath("$.status")
        .isEqualTo(400)
        .jsonPath("$.parameter")
        .isEqualTo("count")
        .jsonPath("$.detail")
        .value(detail -> assertThat((String) detail).contains("count"));

    assertThat(stats().issued()).isEqualTo(before);
  }

  @Test
  void unknownPathsAndMethodsAreProblemsToo() {
    client
        .delete()
        .uri("/api/v1/keys")
        .exchange()
        .expectStatus()
        .isEqualTo(405)
        .expectHeader()
        .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
  }

  private List<String> issue(int count) {
    return client
        .post()
        .uri("/api/v1/keys?count={count}", count)
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody(KeysResponse.class)
        .returnResult()
        .getResponseBody()
        .keys();
  }

  private KeyStatsResponse stats() {
    return client
        .get()
        .uri("/api/v1/keys/stats")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody(KeyStatsResponse.class)
        .returnResult()
        .getResponseBody();
  }
}
