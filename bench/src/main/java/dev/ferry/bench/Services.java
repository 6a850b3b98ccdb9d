package dev.ferry.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Starts Spring Boot services as child processes and waits for them. {@code
 * BENCH_SERVICE_JAVA_OPTS} adds JVM options to every service, e.g. a flight recording to profile it
 * under the benchmark's load.
 */
public final class Services {

  private static final Duration START_TIMEOUT = Duration.ofMinutes(3);

  private Services() {}

  /** Runs the packaged {@code jar} on {@code port}, logging to {@code <logs>/<port>.log}. */
  public static Process launch(Path logs, Path jar, int port, String... arguments)
      throws IOException {
    return launch(logs, List.of("-jar", jar.toString()), port, arguments);
  }

  /**
   * Runs {@code program} ({@code -jar app.jar}, or {@code -cp path main.Class}) on {@code port},
   * logging to {@code <logs>/<port>.log}.
   */
  public static Process launch(Path logs, List<String> program, int port, String... arguments)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of("-Xmx1g", "-XX:+UseParallelGC"));
    String extra = System.getenv().getOrDefault("BENCH_SERVICE_JAVA_OPTS", "").trim();
    if (!extra.isEmpty()) {
      command.addAll(List.of(extra.split("\\s+")));
    }
    command.addAll(program);
    command.add("--server.port=" + port);
    command.add("--logging.level.root=WARN");
    command.addAll(List.of(arguments));
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(logs.resolve(port + ".log").toFile())
        .start();
  }

  /** Waits until {@code /actuator/health} on {@code port} answers 200. */
  public static void awaitReady(int port) throws InterruptedException {
    awaitReady(port, () -> true);
  }

  /**
   * Waits until {@code /actuator/health} on {@code port} answers 200; gives up at once if {@code
   * service}, the process that should answer, has exited.
   */
  public static void awaitReady(int port, Process service) throws InterruptedException {
    awaitReady(port, service::isAlive);
  }

  private static void awaitReady(int port, BooleanSupplier alive) throws InterruptedException {
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest probe =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health")).build();
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline && alive.getAsBoolean()) {
      try {
        if (http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException notYetListening) {
        // Not listening yet: poll again.
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException("the service on port " + port + " did not become ready");
  }

  /** Waits until something accepts connections on {@code port}. */
  public static void awaitListening(int port) throws InterruptedException {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
        return;
      } catch (IOException notYetListening) {
        Thread.sleep(100);
      }
    }
    throw new IllegalStateException("nothing listens on port " + port);
  }
}
