package dev.ferry.infra;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PromQlTest {

  @Test
  void findsTheMetricsOfARatioOfAggregatedRates() {
    assertThat(
            PromQl.metricNames(
                "sum by (level) (rate(cache_lookups_total{result=\"hit\"}[5m]))"
                    + " / sum by (level) (rate(cache_lookups_total[5m]))"))
        .containsExactly("cache_lookups_total");
  }

  @Test
  void ignoresFunctionsLabelListsStringsDurationsAndNumbers() {
    assertThat(
            PromQl.metricNames(
                "histogram_quantile(0.99, sum by (le, priority) "
                    + "(rate(latency_seconds_bucket{uri=~\"/\\\\{code.*\",job=\"x\"}[1m])))"))
        .containsExactly("latency_seconds_bucket");
  }

  @Test
  void findsEveryOperandOfABinaryExpression() {
    assertThat(
            PromQl.metricNames(
                "max by (job, client_id) (lag_max) or on (job) up * 2 + bool queue_size offset 5m"))
        .containsExactlyInAnyOrder("lag_max", "up", "queue_size");
  }

  @Test
  void aBareMetricIsItsOwnName() {
    assertThat(PromQl.metricNames("notification_queue_size"))
        .containsExactly("notification_queue_size");
  }
}
