package dev.ferry.broker.protocol;

import dev.ferry.broker.topic.TopicDescription;
import dev.ferry.broker.topic.TopicManager;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponsePartition;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponseTopic;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.MetadataRequest;

/**
 * Metadata: the single broker, and for each topic asked for (all when the list is null) its
 * partitions, all led by this node. Unknown topics are created when both the request and the broker
 * allow it; invalid names get {@code INVALID_TOPIC_EXCEPTION}.
 *
 * <p>Stateless and thread-safe.
 */
final class MetadataApi {

  private final AdvertisedEndpoint endpoint;
  private final TopicManager topics;

  MetadataApi(AdvertisedEndpoint endpoint, TopicManager topics) {
    this.endpoint = endpoint;
    this.topics = topics;
  }

  CompletableFuture<ApiMessage> metadata(RequestContext context, AbstractRequest request)
      throws IOException {
    MetadataRequestData data = ((MetadataRequest) request).data();
    short version = context.apiVersion();
    MetadataResponseData response =
        new MetadataResponseData()
            .setClusterId(endpoint.clusterId())
            .setControllerId(endpoint.nodeId())
            .setClusterAuthorizedOperations(Integer.MIN_VALUE);
    response
        .brokers()
        .add(
            new MetadataResponseData.MetadataResponseBroker()
                .setNodeId(endpoint.nodeId())
                .setHost(endpoint.host())
                .setPort(endpoint.port()));
    // Version 0 used an empty list to mean "all topics"; later versions use null.
    boolean allTopics = data.topics() == null || (version == 0 && data.topics().isEmpty());
    if (allTopics) {
      for (TopicDescription topic : topics.topics()) {
        response.topics().add(describe(topic, version));
      }
      return CompletableFuture.completedFuture(response);
    }
    boolean autoCreate = version < 4 || data.allowAutoTopicCreation();
    for (MetadataRequestData.MetadataRequestTopic requested : data.topics()) {
      response.topics().add(lookup(requested, autoCreate, version));
    }
    return CompletableFuture.completedFuture(response);
  }

  private MetadataResponseTopic lookup(
      MetadataRequestData.MetadataRequestTopic requested, boolean autoCreate, short version)
      throws IOException {
    if (requested.name() == null) {
      Uuid id = requested.topicId();
      return topics
          .topic(id)
          .map(topic -> describe(topic, version))
          .orElseGet(
              () ->
                  new MetadataResponseTopic()
                      .setTopicId(id)
                      .setErrorCode(Errors.UNKNOWN_TOPIC_ID.code()));
    }
    String name = requested.name();
    try {
      Topic.validate(name);
    } catch (InvalidTopicException e) {
      return new MetadataResponseTopic()
          .setName(name)
          .setErrorCode(Errors.INVALID_TOPIC_EXCEPTION.code());
    }
    Optional<TopicDescription> topic =
        autoCreate ? topics.getOrAutoCreate(name) : topics.topic(name);
    return topic
        .map(found -> describe(found, version))
        .orElseGet(
            () ->
                new MetadataResponseTopic()
                    .setName(name)
                    .setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code()));
  }

  private MetadataResponseTopic describe(TopicDescription topic, short version) {
    List<MetadataResponsePartition> partitions = new ArrayList<>();
    List<Integer> replicas = List.of(endpoint.nodeId());
    for (int partition = 0; partition < topic.partitions(); partition++) {
      partitions.add(
          new MetadataResponsePartition()
              .setPartitionIndex(partition)
              .setLeaderId(endpoint.nodeId())
              .setLeaderEpoch(0)
              .setReplicaNodes(replicas)
              .setIsrNodes(replicas)
              .setOfflineReplicas(List.of()));
    }
    return new MetadataResponseTopic()
        .setName(topic.name())
        .setTopicId(version >= 10 ? topic.id() : Uuid.ZERO_UUID)
        .setIsInternal(false)
        .setPartitions(partitions)
        .setTopicAuthorizedOperations(Integer.MIN_VALUE);
  }
}
