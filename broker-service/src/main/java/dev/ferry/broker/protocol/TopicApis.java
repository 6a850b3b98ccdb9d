package dev.ferry.broker.protocol;

import dev.ferry.broker.log.LogConfig;
import dev.ferry.broker.topic.TopicConfigs;
import dev.ferry.broker.topic.TopicDescription;
import dev.ferry.broker.topic.TopicManager;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.CreateTopicsRequestData.CreatableTopic;
import org.apache.kafka.common.message.CreateTopicsResponseData;
import org.apache.kafka.common.message.CreateTopicsResponseData.CreatableTopicConfigs;
import org.apache.kafka.common.message.CreateTopicsResponseData.CreatableTopicResult;
import org.apache.kafka.common.message.DeleteTopicsRequestData;
import org.apache.kafka.common.message.DeleteTopicsResponseData;
import org.apache.kafka.common.message.DeleteTopicsResponseData.DeletableTopicResult;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.DescribeConfigsResponseData;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsResourceResult;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsResult;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.CreateTopicsRequest;
import org.apache.kafka.common.requests.DeleteTopicsRequest;
import org.apache.kafka.common.requests.DescribeConfigsRequest;
import org.apache.kafka.common.requests.DescribeConfigsResponse;

/**
 * CreateTopics, DeleteTopics and DescribeConfigs. Each topic or resource succeeds or fails on its
 * own with the Kafka error for its cause (invalid name, already exists, invalid config, ...).
 * Manual replica assignments are refused: there is one node and it leads every partition.
 *
 * <p>Stateless and thread-safe.
 */
final class TopicApis {

  private final TopicManager topics;
  private final AdvertisedEndpoint endpoint;

  TopicApis(TopicManager topics, AdvertisedEndpoint endpoint) {
    this.topics = topics;
    this.endpoint = endpoint;
  }

  CompletableFuture<ApiMessage> createTopics(RequestContext context, AbstractRequest request) {
    CreateTopicsRequestData data = ((CreateTopicsRequest) request).data();
    CreateTopicsResponseData response = new CreateTopicsResponseData();
    for (CreatableTopic topic : data.topics()) {
      response.topics().add(create(topic, data.validateOnly()));
    }
    return CompletableFuture.completedFuture(response);
  }

  private CreatableTopicResult create(CreatableTopic topic, boolean validateOnly) {
    CreatableTopicResult result = new CreatableTopicResult().setName(topic.name());
    if (!topic.assignments().isEmpty()) {
      return result
          .setErrorCode(Errors.INVALID_REQUEST.code())
          .setErrorMessage("Manual partition assignment is not supported by a single node");
    }
    Map<String, String> configs = new HashMap<>();
    topic.configs().forEach(config -> configs.put(config.name(), config.value()));
    try {
      TopicDescription created =
          topics.create(
              topic.name(),
              topic.numPartitions(),
              topic.replicationFactor(),
              configs,
              validateOnly);
      result
          .setTopicId(created.id())
          .setNumPartitions(created.partitions())
          .setReplicationFactor((short) 1);
      LogConfig logConfig = topics.topicConfigs().logConfig(created.configs());
      TopicConfigs.effective(logConfig)
          .forEach(
              (name, value) ->
                  result
                      .configs()
                      .add(
                          new CreatableTopicConfigs()
                              .setName(name)
                              .setValue(value)
                              .setConfigSource(source(created.configs(), name).id())));
      return result;
    } catch (ApiException e) {
      return result.setErrorCode(Errors.forException(e).code()).setErrorMessage(e.getMessage());
    } catch (Exception e) {
      return result.setErrorCode(Errors.KAFKA_STORAGE_ERROR.code()).setErrorMessage(e.getMessage());
    }
  }

  CompletableFuture<ApiMessage> deleteTopics(RequestContext context, AbstractRequest request) {
    DeleteTopicsRequestData data = ((DeleteTopicsRequest) request).data();
    DeleteTopicsResponseData response = new DeleteTopicsResponseData();
    if (context.apiVersion() >= 6) {
      for (DeleteTopicsRequestData.DeleteTopicState state : data.topics()) {
        Optional<TopicDescription> topic =
            state.name() != null ? topics.topic(state.name()) : topics.topic(state.topicId());
        response.responses().add(delete(topic, state.name(), state.topicId()));
      }
    } else {
      for (String name : data.topicNames()) {
        response.responses().add(delete(topics.topic(name), name, Uuid.ZERO_UUID));
      }
    }
    return CompletableFuture.completedFuture(response);
  }

  private DeletableTopicResult delete(Optional<TopicDescription> topic, String name, Uuid id) {
    DeletableTopicResult result = new DeletableTopicResult().setName(name).setTopicId(id);
    if (topic.isEmpty()) {
      return result.setErrorCode(
          (name == null ? Errors.UNKNOWN_TOPIC_ID : Errors.UNKNOWN_TOPIC_OR_PARTITION).code());
    }
    result.setName(topic.get().name()).setTopicId(topic.get().id());
    try {
      topics.delete(topic.get().name());
      return result;
    } catch (ApiException e) {
      return result.setErrorCode(Errors.forException(e).code()).setErrorMessage(e.getMessage());
    } catch (Exception e) {
      return result.setErrorCode(Errors.KAFKA_STORAGE_ERROR.code()).setErrorMessage(e.getMessage());
    }
  }

  CompletableFuture<ApiMessage> describeConfigs(RequestContext context, AbstractRequest request) {
    DescribeConfigsRequestData data = ((DescribeConfigsRequest) request).data();
    DescribeConfigsResponseData response = new DescribeConfigsResponseData();
    for (DescribeConfigsRequestData.DescribeConfigsResource resource : data.resources()) {
      response.results().add(describe(resource));
    }
    return CompletableFuture.completedFuture(response);
  }

  private DescribeConfigsResult describe(DescribeConfigsRequestData.DescribeConfigsResource res) {
    DescribeConfigsResult result =
        new DescribeConfigsResult()
            .setResourceType(res.resourceType())
            .setResourceName(res.resourceName());
    Map<String, String> overrides;
    Map<String, String> values;
    if (res.resourceType() == ConfigResource.Type.TOPIC.id()) {
      Optional<TopicDescription> topic = topics.topic(res.resourceName());
      if (topic.isEmpty()) {
        return result
            .setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code())
            .setErrorMessage("Topic " + res.resourceName() + " does not exist");
      }
      overrides = topic.get().configs();
      values = TopicConfigs.effective(topics.logConfig(topic.get()));
    } else if (res.resourceType() == ConfigResource.Type.BROKER.id()
        && (res.resourceName().isEmpty()
            || res.resourceName().equals(Integer.toString(endpoint.nodeId())))) {
      overrides = Map.of();
      values = TopicConfigs.effective(topics.topicConfigs().defaults());
    } else {
      return result
          .setErrorCode(Errors.INVALID_REQUEST.code())
          .setErrorMessage("Unsupported config resource " + res.resourceName());
    }
    List<String> keys = res.configurationKeys();
    values.forEach(
        (name, value) -> {
          if (keys == null || keys.contains(name)) {
            result
                .configs()
                .add(
                    new DescribeConfigsResourceResult()
                        .setName(name)
                        .setValue(value)
                        .setReadOnly(res.resourceType() == ConfigResource.Type.BROKER.id())
                        .setConfigSource(source(overrides, name).id())
                        .setIsSensitive(false));
          }
        });
    return result;
  }

  private static DescribeConfigsResponse.ConfigSource source(
      Map<String, String> overrides, String name) {
    return overrides.containsKey(name)
        ? DescribeConfigsResponse.ConfigSource.TOPIC_CONFIG
        : DescribeConfigsResponse.ConfigSource.DEFAULT_CONFIG;
  }
}
