package dev.ferry.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.test.context.DynamicPropertyRegistry;
import redis.embedded.RedisServer;

/**
 * A real {@code redis-server} started from the binary that {@code
 * com.github.codemonstur:embedded-redis} ships in a Maven artifact.
 *
 * <p>{@link #shared()} starts once per JVM and stops when it exits; {@link #start()} gives a
 * private server, for tests that stop and restart Redis to show that a service survives it.
 * Thread-safe: lifecycle methods are synchronized.
 */
public final class EmbeddedRedisServer implements AutoCloseable {

  private static EmbeddedRedisServer shared;

  private final int port;
  private final RedisServer server;
  private boolean running;

  private EmbeddedRedisServer(int port, RedisServer server) {
    this.port = port;
    this.server = server;
  }

  /** The server shared by every test in this JVM, started on first use. */
  public static synchronized EmbeddedRedisServer shared() {
    if (shared == null) {
      shared = start();
      Runtime.getRuntime().addShutdownHook(new Thread(shared::close, "embedded-redis-stop"));
    }
    return shared;
  }

  /** Starts a new in-memory server (no persistence) on a free port. */
  public static EmbeddedRedisServer start() {
    try {
      int port = FreePorts.find();
      return started(
          port,
          RedisServer.newRedisServer()
              .port(port)
              .bind("127.0.0.1")
              .setting("save \"\"")
              .setting("appendonly no")
              .build());
    } catch (IOException e) {
      throw new UncheckedIOException("embedded Redis did not start", e);
    }
  }

  /**
   * Starts a server on a fixed port that keeps its data in {@code dataDirectory} with an
   * append-only file, so that the local stack's caches and counters survive a restart.
   */
  public static EmbeddedRedisServer startPersistent(int port, Path dataDirectory) {
    try {
      Files.createDirectories(dataDirectory);
      return started(
          port,
          RedisServer.newRedisServer()
              .port(port)
              .bind("127.0.0.1")
              .setting("dir " + dataDirectory.toAbsolutePath())
              .setting("appendonly yes")
              .build());
    } catch (IOException e) {
      throw new UncheckedIOException("embedded Redis did not start", e);
    }
  }

  private static EmbeddedRedisServer started(int port, RedisServer server) throws IOException {
    EmbeddedRedisServer redis = new EmbeddedRedisServer(port, server);
    redis.restart();
    return redis;
  }

  public int port() {
    return port;
  }

  public String url() {
    return "redis://127.0.0.1:" + port;
  }

  /** Points Spring's {@code spring.data.redis.*} at this server. */
  public void registerProperties(DynamicPropertyRegistry registry) {
    registry.add("spring.data.redis.host", () -> "127.0.0.1");
    registry.add("spring.data.redis.port", this::port);
  }

  /** Stops the server, keeping the object so that {@link #restart()} can start it again. */
  public synchronized void stop() {
    if (running) {
      try {
        server.stop();
      } catch (IOException e) {
        throw new UncheckedIOException("embedded Redis did not stop cleanly", e);
      }
      running = false;
    }
  }

  /** Starts the server again on the same port after {@link #stop()}. */
  public synchronized void restart() throws IOException {
    if (!running) {
      server.start();
      running = true;
    }
  }

  @Override
  public void close() {
    stop();
  }
}
