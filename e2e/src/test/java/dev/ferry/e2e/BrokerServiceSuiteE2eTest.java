package dev.ferry.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.infra.GrafanaDashboards;
import dev.ferry.localstack.LocalStack;
import dev.ferry.localstack.LocalStackOptions;
import dev.ferry.localstack.ServiceProcess;
import dev.ferry.testkit.FreePorts;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The suite on broker-service, Ferry's own Kafka-compatible broker (the local stack's default),
 * plus the load-balancer scenario: it does not depend on the Kafka flavour, so it runs once, here.
 */
class BrokerServiceSuiteE2eTest extends SuiteScenarios {

  /** Client threads of the load loop, each with one request in flight at a time. */
  private static final int CLIENTS = 4;

  @Override
  LocalStackOptions.Kafka kafka() {
    return LocalStackOptions.Kafka.BROKER;
  }

  @Test
  @Order(3)
  void twoShortenersBehindNginxShareLinksSurviveAnInstanceKillAndSeeUpdatesAtOnce()
      throws Exception {
    Optional<Path> nginxBinary = Nginx.binary();
    assumeThat(nginxBinary).as("nginx is installed (apt-get install nginx-light)").isPresent();
    int secondPort = FreePorts.find();
    ServiceProcess second = stack.services().startInstance(LocalStack.SHORTENER, secondPort);
    int firstPort = stack.services().httpPort(LocalStack.SHORTENER);
    int balancerPort = FreePorts.find();
    Path template =
        Path.of(System.getProperty("ferry.root"), "infra/nginx/shortener-lb.conf.template");
    String upstreamA = "127.0.0.1:" + firstPort;
    String upstreamB = "127.0.0.1:" + secondPort;
    try (Nginx nginx =
        Nginx.start(nginxBinary.get(), template, balancerPort, upstreamA, upstreamB)) {
      ShortenerClient a = stack.shortener();
      ShortenerClient b = new ShortenerClient(stack.http, secondPort);
      ShortenerClient balancer = new ShortenerClient(stack.http, balancerPort);

      String madeOnA = a.shorten("https://example.com/e2e/made-on-a");
      String madeOnB = b.shorten("https://example.com/e2e/made-on-b");
      assertRedirect(b.visit(madeOnA), "https://example.com/e2e/made-on-a");
      assertRedirect(a.visit(madeOnB), "https://example.com/e2e/made-on-b");
      assertRedirect(balancer.visit(madeOnA), "https://example.com/e2e/made-on-a");

      // B has the link in its local cache now; a change through A must evict it there too, well
      // before the 5-minute TTL of that cache would.
      assertThat(a.changeDestination(madeOnA, "https://example.com/e2e/changed").statusCode())
          .isEqualTo(200);
      await()
          .atMost(Duration.ofSeconds(5))
          .pollInterval(Duration.ofMillis(20))
          .untilAsserted(() -> assertRedirect(b.visit(madeOnA), "https://example.com/e2e/changed"));

      LoadResult load = visitThroughBalancerWhileKilling(balancer, madeOnB, second);
      assertThat(nginx.requestsAnsweredBy(upstreamB))
          .as("the killed instance took its share before the kill")
          .isGreaterThan(0);
      assertThat(nginx.requestsAnsweredBy(upstreamA)).isGreaterThan(0);
      assertThat(load.failed())
          .as(
              "failed of %d requests: %s; at most the %d in flight may fail",
              load.total(), load.failures(), CLIENTS)
          .isLessThanOrEqualTo(CLIENTS);
    } finally {
      second.kill();
    }
  }

  /**
   * Every metric a Grafana dashboard queries is one some service exports. Runs after the traffic of
   * the scenarios before it, since a meter with tags appears in a scrape only once used; on
   * broker-service, so that the broker dashboard's metrics are there too.
   */
  @Test
  @Order(4)
  void grafanaDashboardsQueryOnlyMetricsTheServicesExport() {
    Set<String> exported = new TreeSet<>();
    for (String service :
        List.of(LocalStack.SHORTENER, LocalStack.NOTIFICATION, LocalStack.BROKER)) {
      String url =
          "http://localhost:" + stack.services().httpPort(service) + "/actuator/prometheus";
      HttpResponse<String> scrape = stack.http.send("GET", url, Map.of(), null);
      assertThat(scrape.statusCode()).as(url).isEqualTo(200);
      scrape
          .body()
          .lines()
          .filter(line -> !line.isEmpty() && !line.startsWith("#"))
          .map(line -> line.split("[{ ]", 2)[0])
          .forEach(exported::add);
    }

    Map<String, String> queried = GrafanaDashboards.metricNames();
    assertThat(queried).isNotEmpty();
    assertThat(queried.keySet())
        .allSatisfy(
            metric ->
                assertThat(exported)
                    .as("%s, queried by %s", metric, queried.get(metric))
                    .contains(metric));
  }

  private record LoadResult(int succeeded, int failed, List<String> failures) {
    int total() {
      return succeeded + failed;
    }
  }

  /**
   * Runs {@link #CLIENTS} client loops of redirects through the balancer, SIGKILLs {@code victim}
   * once 100 have been served, and stops the loops 200 requests after the kill.
   */
  private LoadResult visitThroughBalancerWhileKilling(
      ShortenerClient balancer, String code, ServiceProcess victim) throws Exception {
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicInteger succeeded = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    List<String> failures = Collections.synchronizedList(new ArrayList<>());
    List<Thread> clients = new ArrayList<>();
    for (int i = 0; i < CLIENTS; i++) {
      Thread client =
          new Thread(
              () -> {
                while (running.get()) {
                  try {
                    HttpResponse<String> response = balancer.visit(code);
                    if (response.statusCode() == 301) {
                      succeeded.incrementAndGet();
                    } else {
                      failed.incrementAndGet();
                      failures.add(response.statusCode() + " " + response.body());
                    }
                  } catch (RuntimeException e) {
                    failed.incrementAndGet();
                    failures.add(e.toString());
                  }
                }
              },
              "e2e-client-" + i);
      client.start();
      clients.add(client);
    }
    try {
      await().atMost(Duration.ofSeconds(60)).until(() -> succeeded.get() >= 100);
      victim.kill();
      int atKill = succeeded.get() + failed.get();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> succeeded.get() + failed.get() >= atKill + 200);
    } finally {
      running.set(false);
      for (Thread client : clients) {
        client.join();
      }
    }
    return new LoadResult(succeeded.get(), failed.get(), List.copyOf(failures));
  }

  private static void assertRedirect(HttpResponse<String> response, String location) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(301);
    assertThat(response.headers().firstValue("Location")).hasValue(location);
  }
}
