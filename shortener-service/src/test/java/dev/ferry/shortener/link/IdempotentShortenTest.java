package dev.ferry.shortener.link;

import static dev.ferry.shortener.support.ShortenerInfrastructure.ALICE_KEY;
import static dev.ferry.shortener.support.ShortenerInfrastructure.BOB_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.shortener.support.Http;
import dev.ferry.shortener.support.ShortenerIntegrationTest;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class IdempotentShortenTest extends ShortenerIntegrationTest {

  @Test
  void replayWithTheSameBodyReturnsTheOriginalLink() {
    String key = UUID.randomUUID().toString();
    String body = "{\"long_url\": \"https://example.com/once\", \"tags\": [\"retry\"]}";

    Http.Response first = shortenWithKey(ALICE_KEY, key, body);
    Http.Response replay =
        shortenWithKey(
            ALICE_KEY, key, "{\"tags\":[\"retry\"],\"long_url\":\"https://example.com/once\"}");

    assertThat(first.status()).as(first.body()).isEqualTo(201);
    assertThat(first.header("Idempotent-Replayed")).isEmpty();
    assertThat(replay.status()).as(replay.body()).isEqualTo(201);
    assertThat(replay.header("Idempotent-Replayed")).contains("true");
    assertThat(replay.json())
        .containsEntry("short_code", first.json().get("short_code"))
        .containsEntry("long_url", "https://example.com/once")
        .containsEntry("created_at", first.json().get("created_at"));
    assertThat(replay.header("Location")).isEqualTo(first.header("Location"));
  }

  @Test
  void sameKeyWithAnotherBodyGets422AndMakesNothing() {
    String key = UUID.randomUUID().toString();
    Http.Response first =
        shortenWithKey(ALICE_KEY, key, "{\"long_url\": \"https://example.com/first\"}");

    Http.Response other =
        shortenWithKey(ALICE_KEY, key, "{\"long_url\": \"https://example.com/second\"}");

    assertThat(first.status()).isEqualTo(201);
    assertThat(other.status()).as(other.body()).isEqualTo(422);
    assertThat(other.header("Content-Type")).contains("application/problem+json");
    assertThat(other.json())
        .containsEntry("type", "https://ferry.dev/problems/idempotency-key-reused")
        .containsEntry("parameter", "Idempotency-Key");
  }

  @Test
  void keysAreScopedToTheCaller() {
    String key = UUID.randomUUID().toString();
    String body = "{\"long_url\": \"https://example.com/shared-key\"}";

    Http.Response alice = shortenWithKey(ALICE_KEY, key, body);
    Http.Response bob = shortenWithKey(BOB_KEY, key, body);

    assertThat(alice.status()).isEqualTo(201);
    assertThat(bob.status()).isEqualTo(201);
    assertThat(bob.header("Idempotent-Replayed")).isEmpty();
    assertThat(bob.json().get("short_code")).isNotEqualTo(alice.json().get("short_code"));
  }

  @Test
  void concurrentReplaysMakeOneLink() throws Exception {
    String key = UUID.randomUUID().toString();
    String body = "{\"long_url\": \"https://example.com/concurrent\"}";
    int requests = 8;
    ExecutorService pool = Executors.newFixedThreadPool(requests);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<Http.Response>> responses = new ArrayList<>();
      for (int i = 0; i < requests; i++) {
        responses.add(
            pool.submit(
                () -> {
                  start.await(30, TimeUnit.SECONDS);
                  return shortenWithKey(ALICE_KEY, key, body);
                }));
      }
      start.countDown();

      List<Object> codes = new ArrayList<>();
      int originals = 0;
      for (Future<Http.Response> future : responses) {
        Http.Response response = future.get(60, TimeUnit.SECONDS);
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        codes.add(response.json().get("short_code"));
        originals += response.header("Idempotent-Replayed").isEmpty() ? 1 : 0;
      }
      assertThat(codes).hasSize(requests).containsOnly(codes.get(0));
      assertThat(originals).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void malformedKeyGets400NamingTheHeader() {
    Http.Response response =
        shortenWithKey(
            ALICE_KEY, "x".repeat(256), "{\"long_url\": \"https://example.com/bad-key\"}");

    assertThat(response.status()).isEqualTo(400);
    assertThat(blamedFields(response)).containsExactly("Idempotency-Key");
  }

  private Http.Response shortenWithKey(String apiKey, String idempotencyKey, String body) {
    return http.post(
        "/api/v1/shorten", body, "X-API-Key", apiKey, "Idempotency-Key", idempotencyKey);
  }
}
