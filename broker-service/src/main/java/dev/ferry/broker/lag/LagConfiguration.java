package dev.ferry.broker.lag;

import dev.ferry.broker.BrokerProperties;
import dev.ferry.broker.group.GroupCoordinator;
import dev.ferry.broker.partition.PartitionManager;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Consumer lag for the admin API and the lag gauge, whose rows refresh on the broker scheduler. */
@Configuration(proxyBeanMethods = false)
class LagConfiguration {

  @Bean
  ConsumerLag consumerLag(GroupCoordinator coordinator, PartitionManager partitions) {
    return new ConsumerLag(coordinator, partitions);
  }

  @Bean
  GroupLagMetrics groupLagMetrics(ConsumerLag consumerLag, MeterRegistry meterRegistry) {
    return new GroupLagMetrics(consumerLag, meterRegistry);
  }

  @Bean(destroyMethod = "cancel")
  LagRefresh lagRefresh(
      GroupLagMetrics metrics,
      ScheduledExecutorService brokerScheduler,
      BrokerProperties properties) {
    long periodMs = properties.groups().lagMetricsRefreshMs();
    return new LagRefresh(
        brokerScheduler.scheduleWithFixedDelay(
            metrics::refresh, 0, periodMs, TimeUnit.MILLISECONDS));
  }

  /** The scheduled refresh, cancelled before the scheduler and the partitions shut down. */
  record LagRefresh(ScheduledFuture<?> job) {

    void cancel() {
      job.cancel(false);
    }
  }
}
