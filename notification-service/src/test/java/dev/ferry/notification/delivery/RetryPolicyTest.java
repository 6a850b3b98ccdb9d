package dev.ferry.notification.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.notification.NotificationProperties;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RetryPolicyTest {

  private static final NotificationProperties.Retry DESIGN =
      new NotificationProperties.Retry(4, Duration.ofSeconds(60), 2.0, Duration.ofMinutes(10), 0.2);

  @ParameterizedTest(name = "after attempt {0} with random {1} and Retry-After {2}s → {3}s")
  @CsvSource({
    "1, 0.5, , 60",
    "2, 0.5, , 120",
    "3, 0.5, , 240",
    "4, 0.5, , 480",
    "5, 0.5, , 600",
    "1, 0.0, , 48",
    "1, 0.9999999, , 72",
    "1, 0.5, 90, 90",
    "3, 0.5, 90, 240"
  })
  void backoffDoublesWithJitterAndNeverUndercutsRetryAfter(
      int attempt, double random, Long retryAfterSeconds, long expectedSeconds) {
    RetryPolicy policy = new RetryPolicy(DESIGN, () -> random);
    Duration retryAfter = retryAfterSeconds == null ? null : Duration.ofSeconds(retryAfterSeconds);

    assertThat(policy.delayAfter(attempt, retryAfter).toSeconds()).isEqualTo(expectedSeconds);
  }

  @ParameterizedTest(name = "attempt {0} of {1} may retry: {2}")
  @CsvSource({"1, 4, true", "3, 4, true", "4, 4, false", "5, 4, false"})
  void retriesStopAtTheAttemptLimit(int attempt, int limit, boolean mayRetry) {
    assertThat(new RetryPolicy(DESIGN, () -> 0.5).mayRetry(attempt, limit)).isEqualTo(mayRetry);
  }
}
