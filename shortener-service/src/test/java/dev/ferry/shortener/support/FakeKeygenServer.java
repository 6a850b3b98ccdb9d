package dev.ferry.shortener.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Imitates keygen-service's real API, {@code POST /api/v1/keys?count=N} answering {@code
 * {"keys":[...]}} with distinct 7-character base62 codes, including its failures: a 503 problem
 * while {@link #failing(boolean) failing}, and 400 for a count out of 1..10000.
 *
 * <p>Codes are a counter run through a bijective mix, so they look random and never repeat. Tests
 * can {@link #handOutNext queue} specific codes to be issued first, e.g. one equal to an existing
 * custom alias.
 */
public final class FakeKeygenServer implements AutoCloseable {

  private static final String BASE62 =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  private static final long KEYSPACE = 3_521_614_606_208L; // 62^7
  private static final Pattern COUNT = Pattern.compile("(?:^|&)count=([^&]*)");

  private final HttpServer server;
  private final AtomicLong counter = new AtomicLong(1);
  private final AtomicBoolean failing = new AtomicBoolean();
  private final Queue<String> forced = new ConcurrentLinkedQueue<>();
  private final Set<String> issued = ConcurrentHashMap.newKeySet();

  private FakeKeygenServer(HttpServer server) {
    this.server = server;
  }

  public static FakeKeygenServer start() {
    try {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      FakeKeygenServer fake = new FakeKeygenServer(server);
      server.createContext("/api/v1/keys", fake::handle);
      server.start();
      return fake;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** While true, every request gets 503 as when keygen's database is down. */
  public void failing(boolean failing) {
    this.failing.set(failing);
  }

  /** Issues {@code code} before any generated code. */
  public void handOutNext(String code) {
    forced.add(code);
  }

  public boolean hasIssued(String code) {
    return issued.contains(code);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!exchange.getRequestMethod().equals("POST")) {
        respond(exchange, 405, "{\"status\":405}");
        return;
      }
      if (failing.get()) {
        respond(
            exchange,
            503,
            "{\"type\":\"https://ferry.dev/problems/unavailable\",\"status\":503,"
                + "\"title\":\"Key ranges unavailable\"}");
        return;
      }
      String query = exchange.getRequestURI().getRawQuery();
      Matcher matcher = COUNT.matcher(query == null ? "" : query);
      int count;
      try {
        count = matcher.find() ? Integer.parseInt(matcher.group(1)) : -1;
      } catch (NumberFormatException e) {
        count = -1;
      }
      if (count < 1 || count > 10_000) {
        respond(exchange, 400, "{\"status\":400,\"title\":\"Invalid parameter\"}");
        return;
      }
      List<String> keys = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        String next = forced.poll();
        keys.add(next != null ? next : code(counter.getAndIncrement()));
      }
      issued.addAll(keys);
      StringBuilder body = new StringBuilder("{\"keys\":[");
      for (int i = 0; i < keys.size(); i++) {
        body.append(i == 0 ? "\"" : ",\"").append(keys.get(i)).append('"');
      }
      respond(exchange, 200, body.append("]}").toString());
    }
  }

  /**
   * Multiplication by a prime that shares no factor with 62^7 (= 2^7 * 31^7) permutes 0..62^7-1, so
   * distinct counters give distinct codes; counters stay far below the overflow bound.
   */
  private static String code(long n) {
    long value = Math.floorMod(n * 1_000_000_007L, KEYSPACE);
    char[] chars = new char[7];
    for (int i = 6; i >= 0; i--) {
      chars[i] = BASE62.charAt((int) (value % 62));
      value /= 62;
    }
    return new String(chars);
  }

  private static void respond(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange
        .getResponseHeaders()
        .set("Content-Type", status == 200 ? "application/json" : "application/problem+json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
