package dev.ferry.localstack;

import dev.ferry.testkit.EmbeddedKafkaServer;
import dev.ferry.testkit.EmbeddedPostgresServer;
import dev.ferry.testkit.EmbeddedRedisServer;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The README's "run it locally" command: real Postgres, Redis and Kafka started from Maven
 * artifacts, then every Ferry service as a child process on its fixed port, until Ctrl-C.
 *
 * <p>Postgres, Redis and Kafka keep their data under {@code .ferry/} in the working directory (or
 * {@code --data-dir}), so a second start finds what the first one made. On Ctrl-C (or any normal
 * JVM exit) a shutdown hook stops the services first, gracefully, then the infrastructure, so
 * nothing is left running.
 *
 * <p>The end-to-end tests drive the same class: besides starting and stopping the whole stack, it
 * stops and starts single services, restarts the Kafka broker on its port and data, and runs extra
 * instances of a service beside the stack's own (for the load-balancer test). Thread-safety: the
 * lifecycle methods are synchronized.
 */
public final class LocalStack implements AutoCloseable {

  public static final String BROKER = "broker-service";
  public static final String KEYGEN = "keygen-service";
  public static final String SHORTENER = "shortener-service";
  public static final String NOTIFICATION = "notification-service";

  static final int POSTGRES_PORT = 15432;
  static final int REDIS_PORT = 16379;
  static final int KAFKA_PORT = 9092;
  private static final List<Integer> HTTP_PORTS = List.of(8080, 8081, 8082, 8083);
  private static final Duration READY_TIMEOUT = Duration.ofMinutes(3);
  private static final List<String> DATABASES =
      List.of("keygen", "shortener_a", "shortener_b", "notification");

  private final Path root;
  private final LocalStackOptions options;
  private final Path data;
  private final Map<String, ServiceSpec> specs = new LinkedHashMap<>();
  private final Map<String, ServiceProcess> services = new LinkedHashMap<>();
  private final List<ServiceProcess> extraInstances = new ArrayList<>();
  private EmbeddedPostgresServer postgres;
  private EmbeddedRedisServer redis;
  private EmbeddedKafkaServer apacheKafka;

  /**
   * A stack whose service jars are found under {@code root} ({@code <module>/target/<module>.jar})
   * and which is configured by {@code options}. Nothing runs before {@link #start}.
   */
  public LocalStack(Path root, LocalStackOptions options) {
    this.root = root;
    this.options = options;
    this.data = options.dataDirectory();
  }

  /** The default ports the stack listens on, before {@code --port-offset} moves them. */
  public static List<Integer> defaultPorts() {
    List<Integer> ports = new ArrayList<>(List.of(POSTGRES_PORT, REDIS_PORT, KAFKA_PORT));
    ports.addAll(HTTP_PORTS);
    return List.copyOf(ports);
  }

  public static void main(String[] args) throws Exception {
    LocalStackOptions options;
    try {
      options = LocalStackOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    // Read by logback.xml; set before the first logger exists.
    System.setProperty("ferry.logs", options.dataDirectory().resolve("logs").toString());
    LocalStack stack = new LocalStack(Path.of("").toAbsolutePath(), options);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  stack.close();
                  stopped.countDown();
                },
                "local-stack-stop"));
    try {
      stack.start();
    } catch (Exception e) {
      System.err.println("The local stack did not start: " + e.getMessage());
      System.exit(1);
    }
    stopped.await();
  }

  /**
   * Starts the infrastructure and every service, waits until all are ready and prints the banner.
   * If anything fails to start, what did start is still stopped by {@link #close}.
   */
  public synchronized void start() throws Exception {
    say("Starting Postgres on localhost:" + options.port(POSTGRES_PORT) + where("postgres"));
    postgres =
        EmbeddedPostgresServer.startPersistent(
            options.port(POSTGRES_PORT), data.resolve("postgres"));
    for (String database : DATABASES) {
      postgres.createDatabaseIfMissing(database);
    }

    say("Starting Redis on localhost:" + options.port(REDIS_PORT) + where("redis"));
    redis = EmbeddedRedisServer.startPersistent(options.port(REDIS_PORT), data.resolve("redis"));

    if (options.kafka() == LocalStackOptions.Kafka.APACHE) {
      startApacheKafka();
    }

    for (ServiceSpec spec : serviceSpecs(postgres)) {
      specs.put(spec.module(), spec.withArguments(options.argumentsOf(spec.module())));
    }
    List<String> unknown =
        options.serviceArguments().keySet().stream()
            .filter(module -> !specs.containsKey(module))
            .toList();
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException(
          "--service-arg names no service of this stack: "
              + unknown
              + "; services: "
              + specs.keySet());
    }
    for (ServiceSpec spec : specs.values()) {
      say("Starting " + spec.module() + " on http://localhost:" + spec.httpPort());
      services.put(spec.module(), launch(spec, logOf(spec.module())));
    }
    // Started together and awaited together: each service retries its connections to the others,
    // and on two cores a serial start would take minutes.
    for (ServiceProcess process : services.values()) {
      process.awaitReady(READY_TIMEOUT);
      say(process.spec().module() + " is ready");
    }
    banner(List.copyOf(specs.values()));
  }

  /** The HTTP port {@code module} listens on in this stack. */
  public synchronized int httpPort(String module) {
    return spec(module).httpPort();
  }

  /** The {@code bootstrap.servers} of the stack's Kafka, whichever broker serves it. */
  public String kafkaBootstrapServers() {
    return "localhost:" + options.port(KAFKA_PORT);
  }

  /** Stops {@code module} gracefully (SIGTERM); {@link #startService} brings it back. */
  public synchronized void stopService(String module) throws InterruptedException {
    ServiceProcess process = services.remove(spec(module).module());
    if (process != null) {
      say("Stopping " + module);
      process.stop();
    }
  }

  /** Starts {@code module} again, as the stack first started it, and waits until it is ready. */
  public synchronized void startService(String module) throws IOException, InterruptedException {
    if (services.containsKey(module)) {
      throw new IllegalStateException(module + " is already running");
    }
    ServiceSpec spec = spec(module);
    say("Starting " + module + " on http://localhost:" + spec.httpPort());
    ServiceProcess process = launch(spec, logOf(module));
    services.put(module, process);
    process.awaitReady(READY_TIMEOUT);
  }

  /**
   * Restarts the stack's Kafka broker, broker-service or Apache Kafka, on the same port and data
   * directory: a graceful stop, then a start that waits until it serves again.
   */
  public synchronized void restartKafka() throws IOException, InterruptedException {
    if (options.kafka() == LocalStackOptions.Kafka.APACHE) {
      say("Stopping Apache Kafka");
      apacheKafka.close();
      apacheKafka = null;
      startApacheKafka();
    } else {
      stopService(BROKER);
      startService(BROKER);
    }
  }

  /**
   * Starts one more instance of {@code module} on {@code httpPort}, sharing the stack's
   * infrastructure and services, and waits until it is ready. It is stopped with the stack, unless
   * the caller stops or kills it first.
   */
  public synchronized ServiceProcess startInstance(String module, int httpPort)
      throws IOException, InterruptedException {
    ServiceSpec spec = spec(module).onPort(httpPort);
    say("Starting another " + module + " on http://localhost:" + httpPort);
    ServiceProcess process = launch(spec, logs().resolve(module + "-" + httpPort + ".log"));
    extraInstances.add(process);
    process.awaitReady(READY_TIMEOUT);
    return process;
  }

  private ServiceSpec spec(String module) {
    ServiceSpec spec = specs.get(module);
    if (spec == null) {
      throw new IllegalArgumentException(
          module + " is not a service of this stack; services: " + specs.keySet());
    }
    return spec;
  }

  private ServiceProcess launch(ServiceSpec spec, Path log) throws IOException {
    return ServiceProcess.start(spec, root, log);
  }

  private void startApacheKafka() {
    say("Starting Apache Kafka (KRaft) on localhost:" + options.port(KAFKA_PORT) + where("kafka"));
    apacheKafka =
        EmbeddedKafkaServer.startPersistent(options.port(KAFKA_PORT), 3, data.resolve("kafka"));
  }

  private String where(String directory) {
    return " (data in " + relative(data.resolve(directory)) + ")";
  }

  /**
   * The services of the stack: the broker (unless Apache Kafka stands in), keygen, shortener,
   * notifications.
   */
  private List<ServiceSpec> serviceSpecs(EmbeddedPostgresServer postgres) {
    String kafka = "localhost:" + options.port(KAFKA_PORT);
    String redisPort = String.valueOf(options.port(REDIS_PORT));
    int shortener = options.port(8080);
    int keygen = options.port(8081);
    int notification = options.port(8082);
    int broker = options.port(8083);
    List<ServiceSpec> services = new ArrayList<>();
    if (options.kafka() == LocalStackOptions.Kafka.BROKER) {
      services.add(
          new ServiceSpec(
              "broker-service",
              broker,
              List.of(
                  "--ferry.broker.listener.port=" + options.port(KAFKA_PORT),
                  "--ferry.broker.data-dir=" + data.resolve("broker")),
              "curl http://localhost:" + broker + "/api/v1/topics"));
    }
    services.add(
        new ServiceSpec(
            "keygen-service",
            keygen,
            List.of(
                "--spring.profiles.active=local",
                "--spring.datasource.url=" + postgres.jdbcUrl("keygen")),
            "curl -X POST 'http://localhost:" + keygen + "/api/v1/keys?count=5'"));
    services.add(
        new ServiceSpec(
            "shortener-service",
            shortener,
            List.of(
                "--spring.profiles.active=local",
                "--ferry.shortener.sharding.databases.main.url=" + postgres.jdbcUrl("shortener_a"),
                "--ferry.shortener.sharding.databases.main.shards=0-7",
                "--ferry.shortener.sharding.databases.second.url="
                    + postgres.jdbcUrl("shortener_b"),
                "--ferry.shortener.sharding.databases.second.username=postgres",
                "--ferry.shortener.sharding.databases.second.password=postgres",
                "--ferry.shortener.sharding.databases.second.shards=8-15",
                "--ferry.shortener.links.public-base-url=http://localhost:" + shortener,
                "--ferry.shortener.links.keygen.base-url=http://localhost:" + keygen,
                "--spring.data.redis.port=" + redisPort,
                "--spring.kafka.bootstrap-servers=" + kafka),
            "curl -X POST http://localhost:"
                + shortener
                + "/api/v1/shorten -H 'X-API-Key: local-dev-key-0123456789'"
                + " -H 'Content-Type: application/json' -d '{\"long_url\":\"https://example.com\"}'"));
    services.add(
        new ServiceSpec(
            "notification-service",
            notification,
            List.of(
                "--spring.profiles.active=local",
                "--spring.datasource.url=" + postgres.jdbcUrl("notification"),
                "--spring.data.redis.port=" + redisPort,
                "--spring.kafka.bootstrap-servers=" + kafka),
            "curl -X POST http://localhost:"
                + notification
                + "/api/v1/notifications -H 'Content-Type: application/json'"
                + " -d '{\"user_id\":\"u1\",\"type\":\"welcome\",\"priority\":\"normal\","
                + "\"channels\":[\"email\"],\"title\":\"Hi\",\"body\":\"Welcome\"}'"));
    return services;
  }

  private void banner(List<ServiceSpec> services) {
    StringBuilder text = new StringBuilder("\nFerry is running locally.\n\n");
    for (ServiceSpec spec : services) {
      line(
          text,
          spec.module(),
          "http://localhost:" + spec.httpPort(),
          "logs: " + relative(logs().resolve(spec.module() + ".log")));
    }
    line(
        text,
        "Postgres",
        "localhost:" + options.port(POSTGRES_PORT) + " (user postgres)",
        "data: " + relative(data.resolve("postgres")));
    line(
        text,
        "Redis",
        "localhost:" + options.port(REDIS_PORT),
        "data: " + relative(data.resolve("redis")));
    line(
        text,
        options.kafka() == LocalStackOptions.Kafka.APACHE
            ? "Kafka (Apache, KRaft)"
            : "Kafka (broker-service)",
        "localhost:" + options.port(KAFKA_PORT),
        "data: "
            + relative(
                data.resolve(
                    options.kafka() == LocalStackOptions.Kafka.APACHE ? "kafka" : "broker")));
    text.append("\nTry:\n");
    services.forEach(spec -> text.append("  ").append(spec.tryFirst()).append('\n'));
    text.append("\nCtrl-C stops everything.\n");
    System.out.println(text);
  }

  private static void line(StringBuilder text, String name, String address, String where) {
    text.append(String.format("  %-22s %-32s %s%n", name, address, where));
  }

  private Path logs() {
    return data.resolve("logs");
  }

  private Path logOf(String module) {
    return logs().resolve(module + ".log");
  }

  private Path relative(Path path) {
    return path.startsWith(root) ? root.relativize(path) : path;
  }

  /**
   * Stops everything that runs, services first (extra instances, then the stack's, newest first)
   * and the infrastructure last; safe to call more than once and after a failed start.
   */
  @Override
  public synchronized void close() {
    List<ServiceProcess> running = new ArrayList<>(extraInstances);
    List<ServiceProcess> stackServices = new ArrayList<>(services.values());
    Collections.reverse(stackServices);
    running.addAll(stackServices);
    extraInstances.clear();
    services.clear();
    for (ServiceProcess process : running) {
      quietly("Stopping " + process.spec().module(), process::stop);
    }
    if (apacheKafka != null) {
      quietly("Stopping Apache Kafka", apacheKafka::close);
      apacheKafka = null;
    }
    if (redis != null) {
      quietly("Stopping Redis", redis::close);
      redis = null;
    }
    if (postgres != null) {
      quietly("Stopping Postgres", postgres::close);
      postgres = null;
    }
  }

  private static void quietly(String what, AutoCloseable action) {
    say(what);
    try {
      action.close();
    } catch (Exception e) {
      System.err.println("While stopping: " + e);
    }
  }

  private static void say(String message) {
    System.out.println("[ferry] " + message);
  }
}
