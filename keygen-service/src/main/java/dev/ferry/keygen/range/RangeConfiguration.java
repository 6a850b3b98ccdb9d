package dev.ferry.keygen.range;

import dev.ferry.common.concurrent.DaemonExecutors;
import dev.ferry.keygen.KeygenProperties;
import dev.ferry.keygen.code.KeyFingerprint;
import dev.ferry.keygen.code.ShortCodeCipher;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.ExecutorService;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

@Configuration(proxyBeanMethods = false)
class RangeConfiguration {

  @Bean(destroyMethod = "shutdownNow")
  ExecutorService rangePrefetcher() {
    return DaemonExecutors.singleThread("keygen-range-prefetch");
  }

  @Bean
  SegmentedCounter segmentedCounter(
      JdbcClient jdbc,
      TransactionTemplate transactions,
      KeygenProperties properties,
      ExecutorService rangePrefetcher,
      MeterRegistry registry) {
    CounterRangeRepository repository = new CounterRangeRepository(jdbc, transactions);
    repository.initialise(ShortCodeCipher.KEYSPACE, KeyFingerprint.of(properties.secretKeyBytes()));
    return new SegmentedCounter(
        repository,
        properties.range().size(),
        properties.range().prefetchThreshold(),
        properties.instanceId(),
        rangePrefetcher,
        registry);
  }
}
