package dev.ferry.broker.topic;

import dev.ferry.broker.log.AtomicFile;
import dev.ferry.broker.log.LogConfig;
import dev.ferry.broker.partition.PartitionManager;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.internals.Topic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates, deletes and looks up topics, and opens their partitions at start-up.
 *
 * <p>On-disk format: {@code <data-dir>/topics/<name>.properties}, written atomically, holds the
 * topic id, partition count and config overrides ({@code config.<key>=<value>}). The file is the
 * source of truth: it is written before partition directories are created and removed before they
 * are deleted, so a crash mid-way leaves either a topic whose missing partitions are created at
 * start, or orphan partition directories, which start-up removes.
 *
 * <p>Thread-safety: creation and deletion are synchronised; lookups read a concurrent map.
 */
public final class TopicManager {

  private static final Logger log = LoggerFactory.getLogger(TopicManager.class);

  private final Path topicsDir;
  private final Path dataDir;
  private final PartitionManager partitionManager;
  private final TopicConfigs topicConfigs;
  private final boolean autoCreate;
  private final int defaultPartitions;
  private final ConcurrentHashMap<String, TopicDescription> topics = new ConcurrentHashMap<>();

  public TopicManager(
      Path dataDir,
      PartitionManager partitionManager,
      TopicConfigs topicConfigs,
      boolean autoCreate,
      int defaultPartitions)
      throws IOException {
    this.dataDir = dataDir;
    this.topicsDir = dataDir.resolve("topics");
    this.partitionManager = partitionManager;
    this.topicConfigs = topicConfigs;
    this.autoCreate = autoCreate;
    this.defaultPartitions = defaultPartitions;
    Files.createDirectories(topicsDir);
    loadTopics();
  }

  private void loadTopics() throws IOException {
    try (Stream<Path> files = Files.list(topicsDir)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".properties")).toList()) {
        TopicDescription topic = read(file);
        for (int partition = 0; partition < topic.partitions(); partition++) {
          partitionManager.open(
              new TopicPartition(topic.name(), partition), topicConfigs.logConfig(topic.configs()));
        }
        topics.put(topic.name(), topic);
      }
    }
    removeOrphanPartitionDirectories();
    log.info(
        "Loaded {} topic(s) with {} partition(s)",
        topics.size(),
        partitionManager.partitions().size());
  }

  private void removeOrphanPartitionDirectories() throws IOException {
    List<Path> orphans = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(dataDir)) {
      dirs.filter(Files::isDirectory)
          .filter(dir -> isOrphanPartitionDirectory(dir.getFileName().toString()))
          .forEach(orphans::add);
    }
    for (Path orphan : orphans) {
      log.warn("Removing {}: its topic was deleted", orphan);
      try (Stream<Path> files = Files.list(orphan)) {
        for (Path file : files.toList()) {
          Files.deleteIfExists(file);
        }
      }
      Files.deleteIfExists(orphan);
    }
  }

  private boolean isOrphanPartitionDirectory(String name) {
    int dash = name.lastIndexOf('-');
    if (dash <= 0 || name.startsWith("__") || !name.substring(dash + 1).matches("\\d+")) {
      return false;
    }
    return !topics.containsKey(name.substring(0, dash));
  }

  /**
   * Creates a topic.
   *
   * @param partitions the partition count, or -1 for the broker default
   * @param replicationFactor -1 or 1: this broker is a single node
   * @param validateOnly check everything but create nothing
   */
  public synchronized TopicDescription create(
      String name,
      int partitions,
      short replicationFactor,
      Map<String, String> configs,
      boolean validateOnly)
      throws IOException {
    Topic.validate(name);
    if (Topic.isInternal(name)) {
      // The broker keeps its own state under these names; a user topic must not shadow it.
      throw new InvalidTopicException("Topic name " + name + " is reserved for internal use");
    }
    if (topics.containsKey(name)) {
      throw new TopicExistsException("Topic '" + name + "' already exists.");
    }
    int partitionCount = partitions == -1 ? defaultPartitions : partitions;
    if (partitionCount < 1) {
      throw new InvalidPartitionsException("Number of partitions must be larger than 0.");
    }
    if (replicationFactor != -1 && replicationFactor != 1) {
      throw new InvalidReplicationFactorException(
          "Replication factor " + replicationFactor + " is larger than the 1 available broker.");
    }
    LogConfig logConfig = topicConfigs.logConfig(configs);
    TopicDescription topic =
        new TopicDescription(name, Uuid.randomUuid(), partitionCount, new TreeMap<>(configs));
    if (validateOnly) {
      return topic;
    }
    write(topic);
    for (int partition = 0; partition < partitionCount; partition++) {
      partitionManager.open(new TopicPartition(name, partition), logConfig);
    }
    topics.put(name, topic);
    log.info("Created topic {} with {} partition(s)", name, partitionCount);
    return topic;
  }

  /**
   * Deletes a topic and its data.
   *
   * @throws UnknownTopicOrPartitionException when there is no such topic
   */
  public synchronized void delete(String name) throws IOException {
    TopicDescription topic = topics.remove(name);
    if (topic == null) {
      throw new UnknownTopicOrPartitionException("This server does not host this topic.");
    }
    Files.deleteIfExists(topicsDir.resolve(name + ".properties"));
    AtomicFile.fsyncDirectory(topicsDir);
    for (int partition = 0; partition < topic.partitions(); partition++) {
      partitionManager.delete(new TopicPartition(name, partition));
    }
    log.info("Deleted topic {}", name);
  }

  public Optional<TopicDescription> topic(String name) {
    return Optional.ofNullable(topics.get(name));
  }

  public Optional<TopicDescription> topic(Uuid topicId) {
    return topics.values().stream().filter(topic -> topic.id().equals(topicId)).findFirst();
  }

  /**
   * Returns the topic, creating it with the default partition count when auto-creation is on and
   * the name is valid; empty otherwise.
   */
  public Optional<TopicDescription> getOrAutoCreate(String name) throws IOException {
    TopicDescription existing = topics.get(name);
    if (existing != null || !autoCreate || Topic.isInternal(name)) {
      return Optional.ofNullable(existing);
    }
    synchronized (this) {
      existing = topics.get(name);
      if (existing != null) {
        return Optional.of(existing);
      }
      return Optional.of(create(name, defaultPartitions, (short) -1, Map.of(), false));
    }
  }

  public Collection<TopicDescription> topics() {
    return List.copyOf(topics.values());
  }

  /** The effective log settings of a topic: its overrides merged over the broker defaults. */
  public LogConfig logConfig(TopicDescription topic) {
    return topicConfigs.logConfig(topic.configs());
  }

  public TopicConfigs topicConfigs() {
    return topicConfigs;
  }

  private void write(TopicDescription topic) throws IOException {
    Properties properties = new Properties();
    properties.setProperty("topic.id", topic.id().toString());
    properties.setProperty("partitions", Integer.toString(topic.partitions()));
    topic.configs().forEach((key, value) -> properties.setProperty("config." + key, value));
    StringWriter text = new StringWriter();
    properties.store(text, null);
    AtomicFile.write(
        topicsDir.resolve(topic.name() + ".properties"),
        text.toString().getBytes(StandardCharsets.ISO_8859_1));
  }

  private static TopicDescription read(Path file) throws IOException {
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
      properties.load(reader);
    }
    String fileName = file.getFileName().toString();
    Map<String, String> configs = new TreeMap<>();
    for (String key : properties.stringPropertyNames()) {
      if (key.startsWith("config.")) {
        configs.put(key.substring("config.".length()), properties.getProperty(key));
      }
    }
    return new TopicDescription(
        fileName.substring(0, fileName.length() - ".properties".length()),
        Uuid.fromString(properties.getProperty("topic.id")),
        Integer.parseInt(properties.getProperty("partitions")),
        configs);
  }
}
