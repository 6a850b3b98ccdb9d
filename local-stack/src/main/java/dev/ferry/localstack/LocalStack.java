package dev.ferry.localstack;

import dev.ferry.testkit.EmbeddedKafkaServer;
import dev.ferry.testkit.EmbeddedPostgresServer;
import dev.ferry.testkit.EmbeddedRedisServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * The README's "run it locally" command: real Postgres, Redis and Kafka started from Maven
 * artifacts, then every Ferry service as a child process on its fixed port, until Ctrl-C.
 *
 * <p>Postgres, Redis and Kafka keep their data under {@code .ferry/} in the working directory (or
 * {@code --data-dir}), so a second start finds what the first one made. On Ctrl-C (or any normal
 * JVM exit) a shutdown hook stops the services first, gracefully, then the infrastructure, so
 * nothing is left running.
 */
public final class LocalStack {

  static final int POSTGRES_PORT = 15432;
  static final int REDIS_PORT = 16379;
  static final int KAFKA_PORT = 9092;
  private static final Duration READY_TIMEOUT = Duration.ofMinutes(3);
  private static final List<String> DATABASES =
      List.of("keygen", "shortener_a", "shortener_b", "notification");

  private final Path root;
  private final LocalStackOptions options;
  private final Path data;
  private final Deque<AutoCloseable> started = new ArrayDeque<>();

  LocalStack(Path root, LocalStackOptions options) {
    this.root = root;
    this.options = options;
    this.data = options.dataDirectory();
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
                  stack.stop();
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

  void start() throws Exception {
    say("Starting Postgres on localhost:" + options.port(POSTGRES_PORT) + where("postgres"));
    EmbeddedPostgresServer postgres =
        EmbeddedPostgresServer.startPersistent(
            options.port(POSTGRES_PORT), data.resolve("postgres"));
    started.push(postgres);
    for (String database : DATABASES) {
      postgres.createDatabaseIfMissing(database);
    }

    say("Starting Redis on localhost:" + options.port(REDIS_PORT) + where("redis"));
    started.push(
        EmbeddedRedisServer.startPersistent(options.port(REDIS_PORT), data.resolve("redis")));

    if (options.kafka() == LocalStackOptions.Kafka.APACHE) {
      say(
          "Starting Apache Kafka (KRaft) on localhost:"
              + options.port(KAFKA_PORT)
              + where("kafka"));
      started.push(
          EmbeddedKafkaServer.startPersistent(options.port(KAFKA_PORT), 3, data.resolve("kafka")));
    }

    List<ServiceSpec> services = services(postgres);
    List<ServiceProcess> processes = new ArrayList<>();
    for (ServiceSpec spec : services) {
      say("Starting " + spec.module() + " on http://localhost:" + spec.httpPort());
      ServiceProcess process = ServiceProcess.start(spec, root, logs());
      processes.add(process);
      started.push(
          () -> {
            say("Stopping " + spec.module());
            process.stop();
          });
    }
    // Started together and awaited together: each service retries its connections to the others,
    // and on two cores a serial start would take minutes.
    for (ServiceProcess process : processes) {
      process.awaitReady(READY_TIMEOUT);
      say(process.spec().module() + " is ready");
    }
    banner(services);
  }

  private String where(String directory) {
    return " (data in " + relative(data.resolve(directory)) + ")";
  }

  /**
   * The services of the stack: the broker (unless Apache Kafka stands in), keygen, shortener,
   * notifications.
   */
  private List<ServiceSpec> services(EmbeddedPostgresServer postgres) {
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

  private Path relative(Path path) {
    return path.startsWith(root) ? root.relativize(path) : path;
  }

  /** Stops what {@link #start} started, newest first; safe to call more than once. */
  synchronized void stop() {
    while (!started.isEmpty()) {
      try {
        started.pop().close();
      } catch (Exception e) {
        System.err.println("While stopping: " + e);
      }
    }
  }

  private static void say(String message) {
    System.out.println("[ferry] " + message);
  }
}
