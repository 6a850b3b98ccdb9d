package dev.ferry.bench.shortener;

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

/** Starts Spring Boot services from their packaged jars as child processes and waits for them. */
final class Services {

  private static final Duration START_TIMEOUT = Duration.ofMinutes(3);

  private Services() {}

  /** Runs {@code jar} on {@code port}, logging to {@code <work>/<port>.log}. */
  static Process launch(Path work, Path jar, int port, String... arguments) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of("-Xmx1g", "-XX:+UseParallelGC", "-jar", jar.toString()));
    command.add("--server.port=" + port);
    command.add("--logging.level.root=WARN");
    command.addAll(List.of(arguments));
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(work.resolve(port + ".log").toFile())
        .start();
  }

  /** Waits until {@code /actuator/health} on {@code port} answers 200. */
  static void awaitReady(int port) throws InterruptedException {
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest probe =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health")).build();
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
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
  static void awaitListening(int port) throws InterruptedException {
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
