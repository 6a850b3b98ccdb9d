package dev.ferry.e2e;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real nginx (the Debian package) running {@code infra/nginx/shortener-lb.conf.template} as a
 * load balancer in front of two shortener instances. It runs in the foreground as a child process
 * with everything (configuration, pid, logs, temporary files) in a directory of its own, so it
 * needs no root and touches nothing of a system nginx.
 */
final class Nginx implements AutoCloseable {

  private static final List<Path> LOCATIONS =
      List.of(Path.of("/usr/sbin/nginx"), Path.of("/usr/local/sbin/nginx"));

  private final Process process;
  private final Path directory;

  private Nginx(Process process, Path directory) {
    this.process = process;
    this.directory = directory;
  }

  /** The nginx binary, if one is installed. */
  static Optional<Path> binary() {
    Stream<Path> onPath =
        Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
            .filter(entry -> !entry.isBlank())
            .map(entry -> Path.of(entry, "nginx"));
    return Stream.concat(onPath, LOCATIONS.stream()).filter(Files::isExecutable).findFirst();
  }

  /**
   * Renders the load-balancer template with {@code upstreamA} and {@code upstreamB} (host:port),
   * starts nginx listening on {@code port} and waits until it accepts connections.
   */
  static Nginx start(Path binary, Path template, int port, String upstreamA, String upstreamB)
      throws IOException, InterruptedException {
    Path directory = Files.createTempDirectory("ferry-e2e-nginx");
    String loadBalancer =
        Files.readString(template)
            .replace("${LISTEN_PORT}", String.valueOf(port))
            .replace("${SHORTENER_A}", upstreamA)
            .replace("${SHORTENER_B}", upstreamB);
    Files.writeString(directory.resolve("shortener-lb.conf"), loadBalancer);
    Files.writeString(
        directory.resolve("nginx.conf"),
        """
        daemon off;
        worker_processes 1;
        pid %1$s/nginx.pid;
        error_log %1$s/error.log warn;
        events { worker_connections 512; }
        http {
            log_format upstreams '$upstream_addr $status';
            access_log %1$s/access.log upstreams;
            client_body_temp_path %1$s/client_body;
            proxy_temp_path %1$s/proxy;
            fastcgi_temp_path %1$s/fastcgi;
            uwsgi_temp_path %1$s/uwsgi;
            scgi_temp_path %1$s/scgi;
            include %1$s/shortener-lb.conf;
        }
        """
            .formatted(directory));
    Process process =
        new ProcessBuilder(binary.toString(), "-p", directory.toString(), "-c", "nginx.conf")
            .redirectErrorStream(true)
            .redirectOutput(directory.resolve("stdout.log").toFile())
            .start();
    Nginx nginx = new Nginx(process, directory);
    nginx.awaitListening(port, Duration.ofSeconds(30));
    return nginx;
  }

  /**
   * How many requests {@code upstream} (host:port) answered, from the access log: the last address
   * of a request's {@code $upstream_addr}, which lists every instance tried, in order.
   */
  long requestsAnsweredBy(String upstream) throws IOException {
    try (Stream<String> lines = Files.lines(directory.resolve("access.log"))) {
      return lines
          .map(line -> line.substring(0, line.lastIndexOf(' ')))
          .map(addresses -> addresses.substring(addresses.lastIndexOf(' ') + 1))
          .filter(upstream::equals)
          .count();
    }
  }

  private void awaitListening(int port, Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        close();
        throw new IllegalStateException(
            "nginx exited: " + Files.readString(directory.resolve("stdout.log")));
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("localhost", port), 500);
        return;
      } catch (IOException notYet) {
        Thread.sleep(100);
      }
    }
    close();
    throw new IllegalStateException("nginx did not listen on " + port + " within " + timeout);
  }

  /**
   * Stops nginx (SIGTERM, a fast shutdown of master and workers), kills what is left and deletes
   * its directory.
   */
  @Override
  public void close() {
    List<ProcessHandle> workers = process.descendants().toList();
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    workers.forEach(ProcessHandle::destroyForcibly);
    try (Stream<Path> paths = Files.walk(directory)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      System.err.println("Could not delete " + directory + ": " + e);
    }
  }
}
