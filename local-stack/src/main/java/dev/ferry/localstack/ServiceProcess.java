package dev.ferry.localstack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One Ferry service running as a child JVM of the launcher, with its output in a log file.
 *
 * <p>Services run in their own processes, as they do in production, so each has its own class path
 * and its own Spring context, and one that crashes does not take the others with it.
 */
public final class ServiceProcess {

  private static final Duration STOP_GRACE = Duration.ofSeconds(20);

  private final ServiceSpec spec;
  private final Path log;
  private final Process process;

  private ServiceProcess(ServiceSpec spec, Path log, Process process) {
    this.spec = spec;
    this.log = log;
    this.process = process;
  }

  /** Starts {@code spec}'s jar, found under {@code root}, appending its output to {@code log}. */
  static ServiceProcess start(ServiceSpec spec, Path root, Path log) throws IOException {
    Path jar = root.resolve(spec.module()).resolve("target").resolve(spec.module() + ".jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          jar + " is missing: build it first with ./mvnw package -DskipTests");
    }
    Files.createDirectories(log.getParent());
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx512m");
    command.add("-jar");
    command.add(jar.toString());
    command.add("--server.port=" + spec.httpPort());
    command.addAll(spec.arguments());
    Process process =
        new ProcessBuilder(command)
            .directory(root.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    return new ServiceProcess(spec, log, process);
  }

  public ServiceSpec spec() {
    return spec;
  }

  public Path log() {
    return log;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /**
   * Waits until the service's readiness probe answers 200.
   *
   * @throws IllegalStateException if the process exits or is not ready within {@code timeout}
   */
  public void awaitReady(Duration timeout) throws InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    HttpRequest probe =
        HttpRequest.newBuilder(
                URI.create("http://localhost:" + spec.httpPort() + "/actuator/health/readiness"))
            .timeout(Duration.ofSeconds(2))
            .build();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            spec.module() + " exited with " + process.exitValue() + "; see " + log);
      }
      try {
        if (http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException notYetListening) {
        // The port is not open yet: keep polling until the deadline.
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException(
        spec.module() + " was not ready within " + timeout + "; see " + log);
  }

  /**
   * Kills the service at once (SIGKILL), as a crash or an OOM killer would: no graceful shutdown,
   * in-flight requests and unsent buffers are lost.
   */
  public void kill() throws InterruptedException {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
  }

  /** Asks the service to stop (SIGTERM, graceful shutdown) and kills it if it does not. */
  public void stop() throws InterruptedException {
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
    if (!process.waitFor(STOP_GRACE.toSeconds(), TimeUnit.SECONDS)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
  }
}
