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
 * <p>broker-service runs twice: with its default durability (an {@code acks=all} produce is
 * answered once fsynced) and configured as Kafka runs by default ({@code acks=all} answered once
 * appended, fsync only on segment roll), so that the comparison with Kafka is shown both ways. Both
 * brokers get the same JVM settings. For the fixed-rate run it also prints each broker's GC pauses
 * and, from broker-service's own histograms, where its produce requests spent their time.
 *
 * <p>Each broker and each tool run is a process of its own. Run with {@code bench/broker.sh
 * [records]}; it prints Markdown tables.
 */
public final class BrokerBenchmark {

  private static final int RECORD_SIZE = 1024;
  private static final int PARTITIONS = 6;
  private static final int FIXED_RATE = 10_000;

  /**
   * Length of the fixed-rate run. A fresh producer waits about 350 ms for its first metadata on
   * either broker (the client's own start-up, measured with {@code --print-metrics}), and the
   * records queued meanwhile, a few thousand, all carry that wait. In a 10 s run they are more than
   * one per cent of the records, so the p99 measured that start-up, not the broker; at 60 s they
   * are fewer, so the p99 is the steady state and the p99.9 shows the start-up.
   */
  private static final int FIXED_RATE_SECONDS = 60;

  private BrokerBenchmark() {}

  /**
   * The JVM settings of both brokers: the heap and G1 settings Apache Kafka's start scripts use
   * ({@code kafka-server-start.sh}, {@code kafka-run-class.sh}), so neither broker gets a better
   * collector than the other; each logs its GC pauses to a file of its own.
   */
  private static final List<String> BROKER_JVM =
      List.of(
          "-Xms1g",
          "-Xmx1g",
          "-XX:+UseG1GC",
          "-XX:MaxGCPauseMillis=20",
          "-XX:InitiatingHeapOccupancyPercent=35",
          "-XX:+ExplicitGCInvokesConcurrent");

  /**
   * One broker under test: how to start it.
   *
   * @param port its Kafka listener
   * @param httpPort its Prometheus endpoint, for broker-service's per-stage request times; 0 = none
   * @param gcLog where its JVM logs GC pauses
   */
  private record Broker(String name, List<String> command, int port, int httpPort, Path gcLog) {}

  /** What one broker did: the tool results by run, and the fixed-rate run's latency breakdown. */
  private record Measured(Map<String, PerfResult> runs, List<String> breakdown) {}

  public static void main(String[] args) throws Exception {
    int records = args.length > 0 ? Integer.parseInt(args[0]) : 500_000;
    Path root = Path.of("").toAbsolutePath();
    Path jar = root.resolve("broker-service/target/broker-service.jar");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classPath = System.getProperty("java.class.path");

    List<Broker> brokers = new ArrayList<>();
    int kafkaPort = FreePorts.find();
    Path kafkaGc = Files.createTempFile("bench-gc-kafka", ".log");
    List<String> kafka = brokerJvm(java, kafkaGc);
    kafka.addAll(
        List.of("-cp", classPath, ApacheKafkaMain.class.getName(), String.valueOf(kafkaPort)));
    brokers.add(
        new Broker(
            "Apache Kafka " + org.apache.kafka.common.utils.AppInfoParser.getVersion(),
            kafka,
            kafkaPort,
            0,
            kafkaGc));
    if (Files.isRegularFile(jar)) {
      // Our default (fsync before answering acks=all, interval flush of the rest), and our broker
      // configured the way Kafka runs by default: no fsync before answering acks=all, fsync only
      // when a segment rolls. Only the first is the durability broker-service promises.
      brokers.add(ferry("broker-service (acks=all fsynced)", java, jar, List.of()));
      brokers.add(
          ferry(
              "broker-service (as Kafka: no fsync)",
              java,
              jar,
              List.of(
                  "--ferry.broker.log.acks-all-fsync=false",
                  "--ferry.broker.log.flush-policy=on-roll")));
    } else {
      System.err.println(jar + " is missing; measuring Apache Kafka only");
    }

    Map<String, Map<String, PerfResult>> results = new LinkedHashMap<>();
    List<String> breakdown = new ArrayList<>();
    for (Broker broker : brokers) {
      Measured measured = measure(broker, records, java, classPath);
      results.put(broker.name(), measured.runs());
      breakdown.addAll(measured.breakdown());
    }
    print(results, records);
    System.out.printf(
        Locale.ROOT,
        "%nfixed-rate run (%,d/s acks=all): GC pauses of each broker, and where broker-service's"
            + " produce requests spent their time (histogram bucket bounds)%n%n",
        FIXED_RATE);
    System.out.println("| broker | what | count | mean ms | p50 ms | p99 ms | max ms |");
    System.out.println("|---|---|---:|---:|---:|---:|---:|");
    breakdown.forEach(System.out::println);
  }

  /** {@code java} with the brokers' shared JVM settings, logging GC pauses to {@code gcLog}. */
  private static List<String> brokerJvm(String java, Path gcLog) {
    List<String> command = new ArrayList<>(List.of(java));
    command.addAll(BROKER_JVM);
    command.add("-Xlog:gc:file=" + gcLog);
    return command;
  }

  private static Broker ferry(String name, String java, Path jar, List<String> options)
      throws IOException {
    int port = FreePorts.find();
    int httpPort = FreePorts.find();
    Path dataDir = Files.createTempDirectory("bench-broker");
    Path gcLog = Files.createTempFile("bench-gc-ferry", ".log");
    List<String> command = brokerJvm(java, gcLog);
    command.addAll(
        List.of(
            "-jar",
            jar.toString(),
            "--server.port=" + httpPort,
            "--ferry.broker.listener.port=" + port,
            "--ferry.broker.data-dir=" + dataDir,
            "--logging.level.root=WARN"));
    command.addAll(options);
    return new Broker(name, command, port, httpPort, gcLog);
  }

  private static Measured measure(Broker broker, int records, String java, String classPath)
      throws Exception {
    int port = broker.port();
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
        run(
            runs,
            broker,
            "produce acks=" + acks,
            () ->
                PerfResult.ofProducer(
                    tool(
                        java,
                        classPath,
                        ProducerPerformance.class,
                        producerArgs(bootstrap, topic, records, -1, acks))));
        run(
            runs,
            broker,
            "consume (acks=" + acks + " topic)",
            () ->
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
      long gcLogStart = Files.size(broker.gcLog());
      Map<String, Double> metricsBefore = scrape(broker);
      run(
          runs,
          broker,
          "produce " + FIXED_RATE + "/s acks=all",
          () ->
              PerfResult.ofProducer(
                  tool(
                      java,
                      classPath,
                      ProducerPerformance.class,
                      producerArgs(
                          bootstrap,
                          "bench-fixed-rate",
                          FIXED_RATE * FIXED_RATE_SECONDS,
                          FIXED_RATE,
                          "all"))));
      List<String> breakdown = new ArrayList<>();
      breakdown.add(GcPauses.since(broker.gcLog(), gcLogStart).row(broker.name()));
      if (broker.httpPort() > 0) {
        breakdown.addAll(StageTimes.rows(broker.name(), metricsBefore, scrape(broker)));
      }
      return new Measured(runs, breakdown);
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

  /** broker-service's Prometheus samples, or none for a broker without that endpoint. */
  private static Map<String, Double> scrape(Broker broker)
      throws IOException, InterruptedException {
    return broker.httpPort() > 0 ? Prometheus.scrape(broker.httpPort()) : Map.of();
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
