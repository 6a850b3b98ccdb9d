package dev.ferry.broker.lag;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gauge {@code ferry.broker.group.lag} (Prometheus: {@code ferry_broker_group_lag}), tagged
 * {@code group}, {@code topic} and {@code partition}: one row per partition a group committed an
 * offset for, whose value is the {@link ConsumerLag} computed when the registry reads it.
 *
 * <p>Values are always current; only the set of rows is refreshed, by {@link #refresh()} on a
 * schedule, because which groups committed where changes rarely while scrapes come often. A row
 * whose partition was deleted is dropped at the next refresh and reads {@code NaN} until then.
 *
 * <p>Thread-safety: {@link #refresh()} is called from one scheduler thread at a time; the registry
 * reads the rows from any thread.
 */
public final class GroupLagMetrics {

  public static final String NAME = "ferry.broker.group.lag";

  private static final Logger log = LoggerFactory.getLogger(GroupLagMetrics.class);

  private final ConsumerLag consumerLag;
  private final MultiGauge gauge;

  public GroupLagMetrics(ConsumerLag consumerLag, MeterRegistry registry) {
    this.consumerLag = consumerLag;
    this.gauge =
        MultiGauge.builder(NAME)
            .description("Records a consumer group has yet to consume: high watermark - committed")
            .register(registry);
  }

  /** Registers a row for every partition with a committed offset and a live partition. */
  public void refresh() {
    try {
      List<MultiGauge.Row<?>> rows = new ArrayList<>();
      for (String group : consumerLag.groups()) {
        for (PartitionLag lag : consumerLag.of(group)) {
          if (lag.highWatermark().isPresent()) {
            rows.add(row(group, lag.topicPartition()));
          }
        }
      }
      // Without overwrite, rows already registered stay untouched (a scrape never sees them
      // missing); only new rows are added and vanished ones removed.
      gauge.register(rows, false);
    } catch (RuntimeException e) {
      // A failure must not end the schedule: the next refresh tries again.
      log.warn("Refreshing the consumer lag gauge failed", e);
    }
  }

  private MultiGauge.Row<?> row(String group, TopicPartition topicPartition) {
    Tags tags =
        Tags.of(
            "group",
            group,
            "topic",
            topicPartition.topic(),
            "partition",
            Integer.toString(topicPartition.partition()));
    return MultiGauge.Row.of(tags, topicPartition, partition -> lag(group, partition));
  }

  private double lag(String group, TopicPartition topicPartition) {
    OptionalLong lag =
        consumerLag.of(group, topicPartition).map(PartitionLag::lag).orElse(OptionalLong.empty());
    return lag.isPresent() ? lag.getAsLong() : Double.NaN;
  }
}
