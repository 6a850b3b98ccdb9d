package dev.ferry.broker.protocol;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One byte counter per topic under a single name (tag {@code topic}), e.g. {@code
 * ferry.broker.produce.bytes}. The counters are cached because a registry lookup builds tags and an
 * id on every call, which would cost every partition of every produce and fetch.
 *
 * <p>Counters of a deleted topic stay registered (a counter's history is what a rate needs) until
 * the broker restarts; topic counts are small, so this bounds nothing that matters.
 *
 * <p>Thread-safety: safe for concurrent use.
 */
final class TopicByteCounters {

  private final MeterRegistry registry;
  private final String name;
  private final String description;
  private final Map<String, Counter> byTopic = new ConcurrentHashMap<>();

  TopicByteCounters(MeterRegistry registry, String name, String description) {
    this.registry = registry;
    this.name = name;
    this.description = description;
  }

  void add(String topic, long bytes) {
    if (bytes > 0) {
      byTopic.computeIfAbsent(topic, this::register).increment(bytes);
    }
  }

  private Counter register(String topic) {
    return Counter.builder(name).description(description).tag("topic", topic).register(registry);
  }
}
