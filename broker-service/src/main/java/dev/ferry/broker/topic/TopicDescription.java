package dev.ferry.broker.topic;

import java.util.Map;
import org.apache.kafka.common.Uuid;

/**
 * A topic as this broker knows it.
 *
 * @param name the topic name, valid per Kafka's rules
 * @param id the topic id returned in Metadata, stable across restarts
 * @param partitions the number of partitions, numbered from 0
 * @param configs the overrides given at creation, by Kafka config name
 */
public record TopicDescription(String name, Uuid id, int partitions, Map<String, String> configs) {

  public TopicDescription {
    configs = Map.copyOf(configs);
  }
}
