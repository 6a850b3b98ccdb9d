package dev.ferry.localstack;

import dev.ferry.testkit.EmbeddedKafkaServer;
import dev.ferry.testkit.EmbeddedPostgresServer;
import dev.ferry.testkit.EmbeddedRedisServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
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
    say(
        "Starting Postgres on localhost:"
            + options.port(POSTGRES_PORT)
            + " (data in "
            + data.resolve("postgres")
            + ")");
    EmbeddedPostgresServer postgres =
        EmbeddedPostgresServer.startPersistent(
            options.port(POSTGRES_PORT), data.resolve("postgres"));
    started.push(postgres);
    for (String database : List.of("keygen")) {
      postgres.createDatabaseIfMissing(database);
    }

    say(
        "Starting Redis on localhost:"
            + options.port(REDIS_PORT)
            + " (data in "
            + data.resolve("redis")
            + ")");
    started.push(
        EmbeddedRedisServer.startPersistent(options.port(REDIS_PORT), data.resolve("redis")));

    say(
        "Starting Apache Kafka (KRaft) on localhost:"
            + options.port(KAFKA_PORT)
            + " (data in "
            + data.resolve("kafka")
            + ")");
    started.push(
        EmbeddedKafkaServer.startPersistent(options.port(KAFKA_PORT), 3, data.resolve("kafka")));

    List<ServiceSpec> services = services(postgres);
    for (ServiceSpec spec : services) {
      say("Starting " + spec.module() + " on http://localhost:" + spec.httpPort());
      ServiceProcess process = ServiceProcess.start(spec, root, logs());
      started.push(
          () -> {
            say("Stopping " + spec.module());
            process.stop();
          });
      process.awaitReady(READY_TIMEOUT);
    }
    banner(services);
  }

  private List<ServiceSpec> services(EmbeddedPostgresServer postgres) {
    return List.of(
        new ServiceSpec(
            "keygen-service",
            options.port(8081),
            List.of(
                "--spring.profiles.active=local",
                "--spring.datasource.url=" + postgres.jdbcUrl("keygen")),
            "curl -X POST 'http://localhost:" + options.port(8081) + "/api/v1/keys?count=5'"));
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
        "Kafka (Apache, KRaft)",
        "localhost:" + options.port(KAFKA_PORT),
        "data: " + relative(data.resolve("kafka")));
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
