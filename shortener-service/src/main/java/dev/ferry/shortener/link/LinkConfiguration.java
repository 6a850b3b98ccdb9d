package dev.ferry.shortener.link;

import dev.ferry.common.keygen.KeygenClient;
import dev.ferry.common.keygen.KeygenClientProperties;
import dev.ferry.shortener.shard.ShardedDatabases;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.validation.Validator;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.json.JsonMapper;

@Configuration(proxyBeanMethods = false)
class LinkConfiguration {

  @Bean(destroyMethod = "close")
  KeygenClient keygenClient(LinkProperties properties, MeterRegistry registry) {
    LinkProperties.Keygen keygen = properties.keygen();
    return new KeygenClient(
        new KeygenClientProperties(
            keygen.baseUrl(),
            keygen.batchSize(),
            keygen.lowWatermark(),
            keygen.capacity(),
            Duration.ofMillis(keygen.timeoutMs())),
        RestClient.builder(),
        registry);
  }

  /** Runs the per-database queries of a scatter-gather listing in parallel. */
  @Bean(destroyMethod = "shutdownNow")
  ExecutorService shardQueryExecutor(ShardedDatabases databases) {
    return Executors.newFixedThreadPool(
        Math.max(2, 2 * databases.physicalDatabases().size()),
        runnable -> {
          Thread thread = new Thread(runnable, "shard-query");
          thread.setDaemon(true);
          return thread;
        });
  }

  @Bean
  IdempotentShortener idempotentShortener(
      LinkService linkService,
      ShardedDatabases databases,
      JsonMapper json,
      LinkProperties properties,
      Clock clock) {
    return new IdempotentShortener(
        linkService,
        new LinkRepository(databases),
        new IdempotencyRepository(databases),
        json,
        properties,
        clock);
  }

  @Bean
  LinkService linkService(
      ShardedDatabases databases,
      LinkProperties properties,
      KeygenClient keygenClient,
      ApplicationEventPublisher events,
      Clock clock,
      ExecutorService shardQueryExecutor,
      MeterRegistry registry) {
    return new LinkService(
        new LinkRepository(databases),
        new LinkValidator(properties, clock),
        keygenClient,
        events,
        clock,
        shardQueryExecutor,
        databases.physicalDatabases(),
        registry);
  }

  @Bean
  BatchShortener batchShortener(
      LinkService linkService, Validator validator, LinkProperties properties) {
    return new BatchShortener(linkService, validator, properties);
  }

  /** Fills the code buffer once the service is up, so the first requests find codes ready. */
  @EventListener(ApplicationReadyEvent.class)
  void warmUpKeygenBuffer(ApplicationReadyEvent event) {
    event.getApplicationContext().getBean(KeygenClient.class).refillInBackground();
  }
}
