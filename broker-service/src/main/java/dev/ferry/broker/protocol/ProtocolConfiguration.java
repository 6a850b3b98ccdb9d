package dev.ferry.broker.protocol;

import dev.ferry.broker.BrokerProperties;
import dev.ferry.broker.group.GroupCoordinator;
import dev.ferry.broker.partition.AppendWaiters;
import dev.ferry.broker.partition.PartitionManager;
import dev.ferry.broker.producer.ProducerIdManager;
import dev.ferry.broker.topic.TopicManager;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import org.apache.kafka.common.protocol.ApiKeys;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Maps every API in {@link SupportedApis} to its handler. */
@Configuration(proxyBeanMethods = false)
class ProtocolConfiguration {

  @Bean
  RequestDispatcher requestDispatcher(
      AdvertisedEndpoint endpoint,
      TopicManager topics,
      PartitionManager partitions,
      AppendWaiters appendWaiters,
      GroupCoordinator coordinator,
      ProducerIdManager producerIds,
      Clock brokerClock,
      ExecutorService requestExecutor,
      MeterRegistry meterRegistry,
      BrokerProperties properties) {
    ClusterApis cluster = new ClusterApis(endpoint, producerIds);
    MetadataApi metadata = new MetadataApi(endpoint, topics);
    ProduceApi produce = new ProduceApi(partitions, meterRegistry, properties.log().acksAllFsync());
    FetchApi fetch = new FetchApi(partitions, appendWaiters, brokerClock, meterRegistry);
    ListOffsetsApi listOffsets = new ListOffsetsApi(partitions);
    TopicApis topicApis = new TopicApis(topics, endpoint);
    GroupApis groups = new GroupApis(coordinator, endpoint, brokerClock);

    Map<ApiKeys, ApiHandler> handlers = new EnumMap<>(ApiKeys.class);
    handlers.put(ApiKeys.API_VERSIONS, cluster::apiVersions);
    handlers.put(ApiKeys.DESCRIBE_CLUSTER, cluster::describeCluster);
    handlers.put(ApiKeys.INIT_PRODUCER_ID, cluster::initProducerId);
    handlers.put(ApiKeys.METADATA, metadata::metadata);
    handlers.put(ApiKeys.PRODUCE, produce::produce);
    handlers.put(ApiKeys.FETCH, fetch::fetch);
    handlers.put(ApiKeys.LIST_OFFSETS, listOffsets::listOffsets);
    handlers.put(ApiKeys.CREATE_TOPICS, topicApis::createTopics);
    handlers.put(ApiKeys.DELETE_TOPICS, topicApis::deleteTopics);
    handlers.put(ApiKeys.DESCRIBE_CONFIGS, topicApis::describeConfigs);
    handlers.put(ApiKeys.FIND_COORDINATOR, groups::findCoordinator);
    handlers.put(ApiKeys.JOIN_GROUP, groups::joinGroup);
    handlers.put(ApiKeys.SYNC_GROUP, groups::syncGroup);
    handlers.put(ApiKeys.HEARTBEAT, groups::heartbeat);
    handlers.put(ApiKeys.LEAVE_GROUP, groups::leaveGroup);
    handlers.put(ApiKeys.OFFSET_COMMIT, groups::offsetCommit);
    handlers.put(ApiKeys.OFFSET_FETCH, groups::offsetFetch);
    handlers.put(ApiKeys.DESCRIBE_GROUPS, groups::describeGroups);
    handlers.put(ApiKeys.LIST_GROUPS, groups::listGroups);
    if (!handlers.keySet().equals(SupportedApis.all().keySet())) {
      throw new IllegalStateException("Every advertised API needs a handler and vice versa");
    }
    return new RequestDispatcher(handlers, requestExecutor, meterRegistry);
  }
}
