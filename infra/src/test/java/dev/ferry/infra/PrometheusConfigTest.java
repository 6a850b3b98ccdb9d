package dev.ferry.infra;

import static dev.ferry.infra.YamlFiles.list;
import static dev.ferry.infra.YamlFiles.map;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** infra/prometheus/prometheus.yml scrapes every service where compose runs it. */
class PrometheusConfigTest {

  private static final List<Map<String, Object>> JOBS =
      list(
              YamlFiles.loadMap(RepositoryRoot.resolve("infra/prometheus/prometheus.yml"))
                  .get("scrape_configs"))
          .stream()
          .map(YamlFiles::map)
          .toList();

  static Set<String> jobNames() {
    return JOBS.stream().map(job -> job.get("job_name").toString()).collect(Collectors.toSet());
  }

  @ParameterizedTest
  @EnumSource(FerryService.class)
  void scrapesTheActuatorEndpointOnTheServicesHttpPort(FerryService service) {
    Map<String, Object> job =
        JOBS.stream()
            .filter(j -> service.module().equals(j.get("job_name")))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no scrape job for " + service.module()));

    assertThat(job.get("metrics_path")).isEqualTo("/actuator/prometheus");
    List<Object> targets = list(map(list(job.get("static_configs")).get(0)).get("targets"));
    // The compose service name: Prometheus runs in the same compose network.
    assertThat(targets)
        .containsExactly(service.module() + ":" + service.configuration().serverPort());
  }
}
