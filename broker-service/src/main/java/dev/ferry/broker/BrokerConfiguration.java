package dev.ferry.broker;

import dev.ferry.broker.group.GroupCoordinator;
import dev.ferry.broker.group.OffsetStore;
import dev.ferry.broker.log.CleanupPolicy;
import dev.ferry.broker.log.DataDirectory;
import dev.ferry.broker.log.LogCleaner;
import dev.ferry.broker.log.LogConfig;
import dev.ferry.broker.partition.AppendWaiters;
import dev.ferry.broker.partition.LogMaintenance;
import dev.ferry.broker.partition.PartitionManager;
import dev.ferry.broker.producer.ProducerExpiration;
import dev.ferry.broker.producer.ProducerIdManager;
import dev.ferry.broker.protocol.AdvertisedEndpoint;
import dev.ferry.broker.topic.TopicConfigs;
import dev.ferry.broker.topic.TopicManager;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the broker's storage, topics, producer ids and group coordinator from {@link
 * BrokerProperties}.
 *
 * <p>Shutdown order matters and follows from the dependencies: Spring closes a bean before the
 * beans it depends on, so the listener stops, then the maintenance jobs, the coordinator and the
 * partition logs close, and only then does {@link DataDirectory#markCleanShutdown()} record that
 * the next start needs no recovery.
 */
@Configuration(proxyBeanMethods = false)
class BrokerConfiguration {

  private static final Logger log = LoggerFactory.getLogger(BrokerConfiguration.class);

  @Bean
  Clock brokerClock() {
    return Clock.systemUTC();
  }

  @Bean(destroyMethod = "shutdownNow")
  ScheduledExecutorService brokerScheduler() {
    return Executors.newScheduledThreadPool(2, daemonThreads("ferry-broker-scheduler-"));
  }

  /**
   * Request-handler threads (Kafka's {@code num.io.threads}). Produce handlers do not block on
   * fsync (group commit does it on the flush executor); the offsets log's small fsyncs still run
   * here.
   */
  @Bean(destroyMethod = "shutdownNow")
  ExecutorService requestExecutor() {
    return Executors.newFixedThreadPool(8, daemonThreads("ferry-broker-request-"));
  }

  /**
   * Group-commit fsyncs of all partitions. The threads mostly wait for the disk, not the CPU, so
   * there are enough for several partitions to flush at once (the file system can merge their
   * journal commits); each partition has at most one flush queued or running, however many produce
   * requests wait on it.
   */
  @Bean(destroyMethod = "shutdownNow")
  ExecutorService flushExecutor() {
    return Executors.newFixedThreadPool(8, daemonThreads("ferry-broker-flush-"));
  }

  @Bean(destroyMethod = "markCleanShutdown")
  DataDirectory dataDirectory(BrokerProperties properties) throws IOException {
    return new DataDirectory(properties.dataDir());
  }

  @Bean
  TopicConfigs topicConfigs(BrokerProperties properties) {
    BrokerProperties.Log log = properties.log();
    return new TopicConfigs(
        new LogConfig(
            log.segmentBytes(),
            log.segmentMs(),
            log.retentionBytes(),
            log.retentionMs(),
            log.indexIntervalBytes(),
            log.maxMessageBytes(),
            log.flushPolicy(),
            CleanupPolicy.DELETE,
            log.deleteRetentionMs()));
  }

  /**
   * The one log cleaner: its key map is allocated once, sized by {@code
   * log.cleaner-dedupe-buffer-bytes}, and shared by the partitions' and the offsets log's passes,
   * which it runs one at a time.
   */
  @Bean
  LogCleaner logCleaner(BrokerProperties properties) {
    return new LogCleaner(properties.log().cleanerDedupeBufferBytes());
  }

  @Bean
  AppendWaiters appendWaiters(
      ScheduledExecutorService brokerScheduler, ExecutorService requestExecutor) {
    return new AppendWaiters(brokerScheduler, requestExecutor);
  }

  @Bean
  PartitionManager partitionManager(
      DataDirectory dataDirectory,
      Clock brokerClock,
      AppendWaiters appendWaiters,
      ExecutorService flushExecutor,
      ExecutorService requestExecutor,
      LogCleaner logCleaner,
      MeterRegistry meterRegistry,
      BrokerProperties properties) {
    return new PartitionManager(
        dataDirectory,
        brokerClock,
        appendWaiters,
        flushExecutor,
        requestExecutor,
        new ProducerExpiration(brokerClock, properties.producers().idExpirationMs()),
        logCleaner,
        Timer.builder("ferry.broker.log.flush")
            .description("Duration of each group-commit fsync of a partition log")
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofNanos(10_000))
            .maximumExpectedValue(Duration.ofSeconds(30))
            .register(meterRegistry));
  }

  @Bean
  TopicManager topicManager(
      DataDirectory dataDirectory,
      PartitionManager partitionManager,
      TopicConfigs topicConfigs,
      BrokerProperties properties)
      throws IOException {
    return new TopicManager(
        dataDirectory.path(),
        partitionManager,
        topicConfigs,
        properties.topics().autoCreate(),
        properties.topics().defaultPartitions());
  }

  @Bean
  LogMaintenance logMaintenance(
      PartitionManager partitionManager,
      OffsetStore offsetStore,
      LogCleaner logCleaner,
      ScheduledExecutorService brokerScheduler,
      BrokerProperties properties) {
    return new LogMaintenance(
        partitionManager,
        brokerScheduler,
        properties.log().flushPolicy(),
        properties.log().flushIntervalMs(),
        properties.log().retentionCheckIntervalMs(),
        properties.producers().idExpirationCheckIntervalMs(),
        () -> {
          try {
            offsetStore.clean(logCleaner);
          } catch (IOException e) {
            log.error("Compacting the offsets log failed", e);
          }
        });
  }

  @Bean
  ProducerIdManager producerIdManager(DataDirectory dataDirectory) throws IOException {
    return new ProducerIdManager(dataDirectory.path());
  }

  /** The offsets log; its segments roll at {@code groups.offsets-segment-bytes}. */
  @Bean
  OffsetStore offsetStore(
      DataDirectory dataDirectory, Clock brokerClock, BrokerProperties properties)
      throws IOException {
    return OffsetStore.open(
        dataDirectory.path(),
        OffsetStore.logConfig(properties.groups().offsetsSegmentBytes()),
        brokerClock,
        dataDirectory.recoveryNeeded());
  }

  @Bean
  GroupCoordinator groupCoordinator(
      OffsetStore offsetStore,
      Clock brokerClock,
      ScheduledExecutorService brokerScheduler,
      BrokerProperties properties) {
    BrokerProperties.Groups groups = properties.groups();
    return new GroupCoordinator(
        offsetStore,
        brokerClock,
        brokerScheduler,
        new GroupCoordinator.GroupSettings(
            groups.initialRebalanceDelayMs(),
            groups.minSessionTimeoutMs(),
            groups.maxSessionTimeoutMs(),
            200));
  }

  @Bean
  AdvertisedEndpoint advertisedEndpoint(BrokerProperties properties, DataDirectory dataDirectory)
      throws IOException {
    return new AdvertisedEndpoint(
        properties.nodeId(), properties.listener().advertisedHost(), dataDirectory.clusterId());
  }

  private static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger counter = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, prefix + counter.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
