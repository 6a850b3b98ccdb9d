package dev.ferry.testkit;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * A real Apache Kafka node in KRaft mode (broker and controller combined, no ZooKeeper), run
 * in-process through {@code kafka.server.KafkaRaftServer}, the class Kafka's own start script runs,
 * from the Kafka server artifacts.
 *
 * <p>Unlike the test-kit cluster behind {@code spring-kafka-test}, whose listeners are always bound
 * to random ports, this node listens where it is told and can keep its log in a directory of the
 * caller's, so the local stack can offer Kafka on {@code localhost:9092} and keep its topics across
 * restarts. A data directory is formatted on first use only.
 *
 * <p>{@link #shared()} starts once per JVM on a free port with a throw-away directory and stops
 * when the JVM exits. Thread-safe: lifecycle methods are synchronized.
 */
public final class EmbeddedKafkaServer implements AutoCloseable {

  private static final int NODE_ID = 1;
  private static final String CONTROLLER = "CONTROLLER";
  private static EmbeddedKafkaServer shared;

  private final int port;
  private final Path dataDirectory;
  private final boolean deleteOnClose;
  private final KafkaRaftServer server;
  private boolean closed;

  private EmbeddedKafkaServer(
      int port, Path dataDirectory, boolean deleteOnClose, KafkaRaftServer server) {
    this.port = port;
    this.dataDirectory = dataDirectory;
    this.deleteOnClose = deleteOnClose;
    this.server = server;
  }

  /** The broker shared by every test in this JVM, started on first use. */
  public static synchronized EmbeddedKafkaServer shared() {
    if (shared == null) {
      shared = start(FreePorts.find(), 3);
      Runtime.getRuntime().addShutdownHook(new Thread(shared::close, "embedded-kafka-stop"));
    }
    return shared;
  }

  /**
   * Starts a node listening on {@code port} with a throw-away log directory, whose auto-created
   * topics get {@code partitions} partitions.
   */
  public static EmbeddedKafkaServer start(int port, int partitions) {
    try {
      return start(port, partitions, Files.createTempDirectory("ferry-kafka"), true);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts a node on {@code port} whose log lives in {@code dataDirectory} and outlives it. */
  public static EmbeddedKafkaServer startPersistent(int port, int partitions, Path dataDirectory) {
    return start(port, partitions, dataDirectory, false);
  }

  private static EmbeddedKafkaServer start(
      int port, int partitions, Path dataDirectory, boolean deleteOnClose) {
    try {
      Files.createDirectories(dataDirectory);
      int controllerPort = FreePorts.find();
      Properties config = config(port, controllerPort, partitions, dataDirectory);
      format(dataDirectory);
      KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(config), Time.SYSTEM);
      server.startup();
      return new EmbeddedKafkaServer(port, dataDirectory, deleteOnClose, server);
    } catch (Exception e) {
      throw new IllegalStateException("embedded Kafka did not start on port " + port, e);
    }
  }

  private static Properties config(
      int port, int controllerPort, int partitions, Path dataDirectory) {
    Properties config = new Properties();
    config.put("process.roles", "broker,controller");
    config.put("node.id", String.valueOf(NODE_ID));
    config.put("controller.quorum.voters", NODE_ID + "@localhost:" + controllerPort);
    config.put(
        "listeners",
        "PLAINTEXT://localhost:" + port + "," + CONTROLLER + "://localhost:" + controllerPort);
    config.put("advertised.listeners", "PLAINTEXT://localhost:" + port);
    config.put("controller.listener.names", CONTROLLER);
    config.put(
        "listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER + ":PLAINTEXT");
    config.put("inter.broker.listener.name", "PLAINTEXT");
    config.put("log.dirs", dataDirectory.toString());
    config.put("num.partitions", String.valueOf(partitions));
    config.put("auto.create.topics.enable", "true");
    config.put("delete.topic.enable", "true");
    config.put("group.initial.rebalance.delay.ms", "0");
    config.put("offsets.topic.replication.factor", "1");
    config.put("offsets.topic.num.partitions", "5");
    config.put("transaction.state.log.replication.factor", "1");
    config.put("transaction.state.log.min.isr", "1");
    config.put("share.coordinator.state.topic.replication.factor", "1");
    config.put("share.coordinator.state.topic.min.isr", "1");
    return config;
  }

  /** Writes the KRaft meta.properties on first use; a formatted directory is left as it is. */
  private static void format(Path dataDirectory) throws Exception {
    if (Files.exists(dataDirectory.resolve("meta.properties"))) {
      return;
    }
    new Formatter()
        .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
        .setNodeId(NODE_ID)
        .setClusterId(Uuid.randomUuid().toString())
        .setDirectories(List.of(dataDirectory.toString()))
        .setMetadataLogDirectory(dataDirectory.toString())
        .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
        .setControllerListenerName(CONTROLLER)
        .setIgnoreFormatted(true)
        .run();
  }

  public int port() {
    return port;
  }

  /** The {@code bootstrap.servers} value clients use. */
  public String bootstrapServers() {
    return "localhost:" + port;
  }

  /** Points Spring Kafka's {@code spring.kafka.bootstrap-servers} at this broker. */
  public void registerProperties(DynamicPropertyRegistry registry) {
    registry.add("spring.kafka.bootstrap-servers", this::bootstrapServers);
  }

  /** Stops the node (a controlled shutdown) and deletes a throw-away log directory. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    server.shutdown();
    server.awaitShutdown();
    if (deleteOnClose) {
      try {
        Utils.delete(dataDirectory.toFile());
      } catch (IOException e) {
        throw new UncheckedIOException("could not delete " + dataDirectory, e);
      }
    }
  }
}
