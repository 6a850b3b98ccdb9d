package dev.ferry.bench.broker;

import dev.ferry.testkit.FreePorts;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.tools.ConsumerPerformance;
import org.apache.kafka.tools.ProducerPerformance;

/**
 * Apache Kafka and broker-service, one after the other in one run, driven by Kafka's own {@code
 * ProducerPerformance} and {@code ConsumerPerformance} with identical arguments: 1 KiB records, 6
 * partitions, acks=1 and acks=all unthrottled, and a fixed-rate run for latency.
 *
 * <p>Each broker and each tool run is a process of its own. Run with {@code bench/broker.sh
 * [records]}; it prints a Markdown table.
 */
public final class BrokerBenchmark {

  private static final int RECORD_SIZE = 1024;
  private static final int PARTITIONS = 6;
  private static final int FIXED_RATE = 10_000;

  private BrokerBenchmark() {}

  /** One broker under test: how to start it. */
  private record Broker(String name, List<String> command) {}

  public static void main(String[] args) throws Exception {
    int records = args.length > 0 ? Integer.parseInt(args[0]) : 500_000;
    Path root = Path.of("").toAbsolutePath();
    Path jar = root.resolve("broker-service/target/broker-service.jar");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classPath = System.getProperty("java.class.path");

    int kafkaPort = FreePorts.find();
    int ferryPort = FreePorts.find();
    Path ferryData = Files.createTempDirectory("bench-broker");
    List<Broker> brokers = new ArrayList<>();
    brokers.add(
        new Broker(
            "Apache Kafka " + org.apache.kafka.common.utils.AppInfoParser.getVersion(),
            List.of(
                java,
                "-Xmx1g",
                "-cp",
                classPath,
                ApacheKafkaMain.class.getName(),
                String.valueOf(kafkaPort))));
    if (Files.isRegularFile(jar)) {
      brokers.add(
          new Broker(
              "broker-service",
              List.of(
                  java,
                  "-Xmx1g",
                  "-jar",
                  jar.toString(),
                  "--server.port=" + FreePorts.find(),
                  "--ferry.broker.listener.port=" + ferryPort,
                  "--ferry.broker.data-dir=" + ferryData,
                  "--logging.level.root=WARN")));
    } else {
      System.err.println(jar + " is missing; measuring Apache Kafka only");
    }

    Map<String, Map<String, PerfResult>> results = new LinkedHashMap<>();
    for (Broker broker : brokers) {
      int port = broker.name().equals("broker-service") ? ferryPort : kafkaPort;
      results.put(broker.name(), measure(broker, port, records, java, classPath));
    }
    print(results, records);
  }

  private static Map<String, PerfResult> measure(
      Broker broker, int port, int records, String java, String classPath) throws Exception {
    Path log = Files.createTempFile("bench-broker", ".log");
    Process process =
        new ProcessBuilder(broker.command())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    try {
      awaitPort(port, process, log);
      String bootstrap = "localhost:" + port;
      Map<String, PerfResult> runs = new LinkedHashMap<>();
      for (String acks : List.of("1", "all")) {
        String topic = "bench-acks-" + acks;
        createTopic(bootstrap, topic);
        runs.put(
            "produce acks=" + acks,
            PerfResult.ofProducer(
                tool(
                    java,
                    classPath,
                    ProducerPerformance.class,
                    producerArgs(bootstrap, topic, records, -1, acks))));
        runs.put(
            "consume (acks=" + acks + " topic)",
            PerfResult.ofConsumer(
                tool(
                    java,
                    classPath,
                    ConsumerPerformance.class,
                    List.of(
                        "--bootstrap-server",
                        bootstrap,
                        "--topic",
                        topic,
                        "--messages",
                        String.valueOf(records),
                        "--group",
                        "bench-" + acks,
                        "--timeout",
                        "60000"))));
      }
      createTopic(bootstrap, "bench-fixed-rate");
      runs.put(
          "produce " + FIXED_RATE + "/s acks=all",
          PerfResult.ofProducer(
              tool(
                  java,
                  classPath,
                  ProducerPerformance.class,
                  producerArgs(
                      bootstrap, "bench-fixed-rate", FIXED_RATE * 10, FIXED_RATE, "all"))));
      return runs;
    } finally {
      process.destroy();
      process.waitFor(30, TimeUnit.SECONDS);
    }
  }

  /** A benchmark run that may fail without spoiling the others. */
  private interface Run {
    PerfResult measure() throws Exception;
  }

  private static void run(Map<String, PerfResult> runs, Broker broker, String name, Run run) {
    System.err.println("[bench] " + broker.name() + ": " + name);
    try {
      runs.put(name, run.measure());
    } catch (Exception e) {
      String reason =
          e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
      System.err.println("[bench] " + broker.name() + ": " + name + " failed: " + reason);
    }
  }

  private static List<String> producerArgs(
      String bootstrap, String topic, int records, int throughput, String acks) {
    return List.of(
        "--topic",
        topic,
        "--num-records",
        String.valueOf(records),
        "--record-size",
        String.valueOf(RECORD_SIZE),
        "--throughput",
        String.valueOf(throughput),
        "--producer-props",
        "bootstrap.servers=" + bootstrap,
        "acks=" + acks);
  }

  private static void createTopic(String bootstrap, String topic) throws Exception {
    Properties config = new Properties();
    config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    try (Admin admin = Admin.create(config)) {
      admin
          .createTopics(List.of(new NewTopic(topic, PARTITIONS, (short) 1)))
          .all()
          .get(60, TimeUnit.SECONDS);
    }
  }

  private static String tool(String java, String classPath, Class<?> main, List<String> args)
      throws IOException, InterruptedException {
    List<String> command =
        new ArrayList<>(List.of(java, "-Xmx1g", "-cp", classPath, main.getName()));
    command.addAll(args);
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (process.waitFor() != 0) {
      throw new IllegalStateException(main.getSimpleName() + " failed:\n" + output);
    }
    return output;
  }

  private static void awaitPort(int port, Process process, Path log) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("the broker exited; see " + log);
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("localhost", port), 500);
        return;
      } catch (IOException notYetListening) {
        Thread.sleep(250);
      }
    }
    throw new IllegalStateException("the broker did not listen on " + port + "; see " + log);
  }

  private static void print(Map<String, Map<String, PerfResult>> results, int records) {
    List<String> names = new ArrayList<>(results.keySet());
    System.out.printf(
        Locale.ROOT,
        "%nbroker benchmark: %,d records of %d B, %d partitions, %d cores%n%n",
        records,
        RECORD_SIZE,
        PARTITIONS,
        Runtime.getRuntime().availableProcessors());
    StringBuilder header =
        new StringBuilder(
            "| run | broker | records/s | MB/s | p50 ms | p99 ms | p99.9 ms | ratio to Kafka |");
    System.out.println(header);
    System.out.println("|---|---|---:|---:|---:|---:|---:|---:|");
    Map<String, PerfResult> reference = results.get(names.get(0));
    for (String run : reference.keySet()) {
      for (String name : names) {
        PerfResult result = results.get(name).get(run);
        if (result == null) {
          System.out.printf(Locale.ROOT, "| %s | %s | failed | | | | | |%n", run, name);
          continue;
        }
        System.out.printf(
            Locale.ROOT,
            "| %s | %s | %,.0f | %.1f | %s | %s | %s | %.2fx |%n",
            run,
            name,
            result.recordsPerSecond(),
            result.megabytesPerSecond(),
            ms(result.p50Ms()),
            ms(result.p99Ms()),
            ms(result.p999Ms()),
            result.recordsPerSecond() / reference.get(run).recordsPerSecond());
      }
    }
  }

  private static String ms(double value) {
    return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.0f", value);
  }
}
