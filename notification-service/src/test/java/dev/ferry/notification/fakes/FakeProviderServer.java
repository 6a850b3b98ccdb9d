package dev.ferry.notification.fakes;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.slf4j.LoggerFactory;

/**
 * A local HTTP server imitating one provider's API. Behaviour is scripted per recipient (a push
 * token, an email address, a phone number): {@link #script} queues answers for the next calls to
 * that recipient, {@link #delay} makes its calls slow; without a script the provider succeeds.
 * Every request is recorded, so tests assert on what the provider actually received.
 *
 * <p>Thread-safe: the server runs on a pool; scripts and records are concurrent collections.
 */
public abstract class FakeProviderServer implements AutoCloseable {

  /** A received request: the recipient it was for, its body, and its Authorization header. */
  public record Received(String recipient, String path, String body, String authorization) {}

  /** A scripted answer. */
  public record Answer(int status, Map<String, String> headers, String body) {}

  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(8);
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final Map<String, Deque<Answer>> scripts = new ConcurrentHashMap<>();
  private final Map<String, Long> delays = new ConcurrentHashMap<>();
  private final List<Consumer<Received>> listeners = new CopyOnWriteArrayList<>();

  protected FakeProviderServer() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 100);
    } catch (IOException e) {
      throw new IllegalStateException("fake provider did not start", e);
    }
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Queues {@code answers} for the next calls to {@code recipient}, then success again. */
  public void script(String recipient, Answer... answers) {
    scripts.computeIfAbsent(recipient, r -> new ArrayDeque<>()).addAll(List.of(answers));
  }

  /** Makes every call to recipients starting with {@code prefix} take {@code millis}. */
  public void delay(String prefix, long millis) {
    delays.put(prefix, millis);
  }

  /**
   * Calls {@code listener} on the server's thread as each send request arrives, before it is
   * answered; the benchmark takes its arrival times from here.
   */
  public void onReceive(Consumer<Received> listener) {
    listeners.add(listener);
  }

  /** Requests received for {@code recipient}, in arrival order. */
  public List<Received> receivedFor(String recipient) {
    return received.stream().filter(r -> recipient.equals(r.recipient())).toList();
  }

  public List<Received> received() {
    return List.copyOf(received);
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  /** Extracts the recipient of a request body, or null if the request is malformed. */
  protected abstract String recipient(HttpExchange exchange, String body);

  /** Whether this path is the provider's send endpoint. */
  protected abstract boolean isSendPath(String path);

  /** The success answer for {@code recipient}. */
  protected abstract Answer success(String recipient, String body);

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String body;
      try (InputStream in = exchange.getRequestBody()) {
        body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      String path = exchange.getRequestURI().getPath();
      if (!"POST".equals(exchange.getRequestMethod()) || !isSendPath(path)) {
        respond(exchange, new Answer(404, Map.of(), "{\"error\":\"not found\"}"));
        return;
      }
      String recipient = recipient(exchange, body);
      Received request =
          new Received(
              recipient, path, body, exchange.getRequestHeaders().getFirst("Authorization"));
      received.add(request);
      listeners.forEach(listener -> listener.accept(request));
      delays.forEach(
          (prefix, millis) -> {
            if (recipient != null && recipient.startsWith(prefix)) {
              try {
                Thread.sleep(millis);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            }
          });
      Deque<Answer> script = recipient == null ? null : scripts.get(recipient);
      Answer scripted = script == null ? null : script.poll();
      respond(exchange, scripted != null ? scripted : answer(recipient, body));
    }
  }

  /**
   * The success answer, or a 500 naming the fake's own failure: the JDK server would otherwise
   * close the connection without an answer, which the service counts as a provider outage and
   * retries a minute later, so that a bug in a fake looked like a flaky provider.
   */
  private Answer answer(String recipient, String body) {
    try {
      return success(recipient, body);
    } catch (RuntimeException e) {
      LoggerFactory.getLogger(getClass()).error("The fake failed to build its answer", e);
      return new Answer(500, Map.of(), "{\"error\":\"the fake failed: " + e + "\"}");
    }
  }

  private static void respond(HttpExchange exchange, Answer answer) throws IOException {
    answer.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
    if (!answer.headers().containsKey("Content-Type")) {
      exchange.getResponseHeaders().add("Content-Type", "application/json");
    }
    byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }
}
