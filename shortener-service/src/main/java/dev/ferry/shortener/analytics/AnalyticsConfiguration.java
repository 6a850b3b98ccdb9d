package dev.ferry.shortener.analytics;

import static dev.ferry.shortener.shard.ShardedDatabases.sql;

import dev.ferry.common.shard.ShardLocation;
import dev.ferry.shortener.shard.ShardedDatabases;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.apache.kafka.clients.admin.NewTopic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.util.backoff.ExponentialBackOff;
import tools.jackson.databind.json.JsonMapper;

@Configuration(proxyBeanMethods = false)
@EnableScheduling
class AnalyticsConfiguration {

  private static final Logger log = LoggerFactory.getLogger(AnalyticsConfiguration.class);

  private final ShardedDatabases databases;
  private final AnalyticsProperties properties;

  AnalyticsConfiguration(ShardedDatabases databases, AnalyticsProperties properties) {
    this.databases = databases;
    this.properties = properties;
  }

  @Bean
  NewTopic clickTopic() {
    return TopicBuilder.name(properties.topic()).partitions(properties.partitions()).build();
  }

  @Bean(destroyMethod = "close")
  ClickRecorder clickRecorder(
      KafkaTemplate<String, String> kafka, JsonMapper json, Clock clock, MeterRegistry registry) {
    return new ClickRecorder(kafka, json, properties, clock, registry);
  }

  /**
   * Opens the GeoIP database, if one is configured, when the context starts: a wrong path fails
   * start-up with {@link GeoIpDatabaseException} rather than leaving every country unknown.
   */
  @Bean(destroyMethod = "close")
  ClickCountries clickCountries(MeterRegistry registry) {
    GeoIpCountries database =
        properties.geoipDatabase() == null ? null : GeoIpCountries.open(properties.geoipDatabase());
    if (database != null) {
      log.info("Click countries without an edge header come from {}", properties.geoipDatabase());
    }
    return new ClickCountries(database, registry);
  }

  @Bean
  ClickConsumer clickConsumer(
      ClickCountries clickCountries, JsonMapper json, MeterRegistry registry) {
    return new ClickConsumer(
        new RollupWriter(databases, new UserAgentClassifier(), clickCountries), json, registry);
  }

  @Bean
  AnalyticsService analyticsService() {
    return new AnalyticsService(databases);
  }

  /**
   * Retries a batch that could not be written (a shard down) with back-off for as long as it takes,
   * rather than skipping it after a few attempts: skipping would lose clicks, and a retry cannot
   * double count.
   */
  @Bean
  CommonErrorHandler clickErrorHandler() {
    ExponentialBackOff backOff = new ExponentialBackOff(500, 2);
    backOff.setMaxInterval(30_000);
    return new DefaultErrorHandler(backOff);
  }

  /** Forgets counted click batch ids past the retention, so the replay guard stays small. */
  @Scheduled(fixedDelayString = "PT1H", initialDelayString = "PT5M")
  void pruneSeenBatches() {
    int pruned = 0;
    for (ShardLocation shard : databases.allShards()) {
      pruned +=
          databases
              .jdbc(shard)
              .update(
                  sql(
                      "DELETE FROM $shard.click_batches_seen"
                          + " WHERE seen_at < now() - make_interval(days => ?)",
                      shard),
                  properties.dedupRetentionDays());
    }
    log.info(
        "Pruned {} counted click batch ids older than {} days",
        pruned,
        properties.dedupRetentionDays());
  }
}
