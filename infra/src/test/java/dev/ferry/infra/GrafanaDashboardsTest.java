package dev.ferry.infra;

import static dev.ferry.infra.YamlFiles.list;
import static dev.ferry.infra.YamlFiles.map;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * infra/grafana offline: Grafana finds the data source and the dashboards where compose mounts
 * them, and every panel queries that data source for jobs Prometheus really scrapes. Whether the
 * metric names exist is checked against live services by the end-to-end tests.
 */
class GrafanaDashboardsTest {

  private static final Pattern JOB = Pattern.compile("job=\"([^\"]+)\"");

  static List<Path> dashboards() {
    return GrafanaDashboards.files();
  }

  @Test
  void thereIsADashboardForRedirectsNotificationsAndTheBroker() {
    assertThat(dashboards())
        .extracting(f -> f.getFileName().toString())
        .containsExactlyInAnyOrder("redirects.json", "notifications.json", "broker.json");
  }

  @Test
  void theDataSourceIsComposesPrometheus() {
    Map<String, Object> datasource =
        map(
            list(GrafanaDashboards.provisioning("datasources/prometheus.yml").get("datasources"))
                .get(0));

    assertThat(datasource).containsEntry("type", "prometheus").containsEntry("uid", "prometheus");
    assertThat(datasource.get("url")).isEqualTo("http://prometheus:9090");
  }

  @Test
  void theDashboardProviderReadsTheDirectoryComposeMountsTheDashboardsAt() {
    Map<String, Object> provider =
        map(list(GrafanaDashboards.provisioning("dashboards/ferry.yml").get("providers")).get(0));

    assertThat(ComposeFileTest.bindMounts("grafana"))
        .containsEntry("./infra/grafana/dashboards", YamlFiles.string(provider, "options", "path"))
        .containsEntry("./infra/grafana/provisioning", "/etc/grafana/provisioning");
  }

  @ParameterizedTest
  @MethodSource("dashboards")
  void everyPanelQueriesPrometheusForScrapedJobs(Path file) {
    Map<String, Object> dashboard = GrafanaDashboards.load(file);
    Set<String> jobs = PrometheusConfigTest.jobNames();

    assertThat(GrafanaDashboards.panels(dashboard)).isNotEmpty();
    for (Map<String, Object> panel : GrafanaDashboards.panels(dashboard)) {
      assertThat(YamlFiles.string(panel, "datasource", "uid")).isEqualTo("prometheus");
      assertThat(GrafanaDashboards.targets(panel)).as(panel.get("title").toString()).isNotEmpty();
      for (Map<String, Object> target : GrafanaDashboards.targets(panel)) {
        String expression = (String) target.get("expr");
        assertThat(PromQl.metricNames(expression)).as(expression).isNotEmpty();
        Matcher job = JOB.matcher(expression);
        while (job.find()) {
          assertThat(jobs).as(expression).contains(job.group(1));
        }
      }
    }
  }

  @Test
  void dashboardUidsAreUnique() {
    List<Object> uids =
        dashboards().stream().map(f -> GrafanaDashboards.load(f).get("uid")).toList();
    assertThat(uids).doesNotHaveDuplicates().doesNotContainNull();
  }

  @ParameterizedTest
  @MethodSource("dashboards")
  void panelsDoNotOverlap(Path file) {
    List<String> cells = new ArrayList<>();
    for (Map<String, Object> panel : GrafanaDashboards.panels(GrafanaDashboards.load(file))) {
      Map<String, Object> grid = map(panel.get("gridPos"));
      int x = (Integer) grid.get("x");
      int y = (Integer) grid.get("y");
      for (int column = x; column < x + (Integer) grid.get("w"); column++) {
        for (int row = y; row < y + (Integer) grid.get("h"); row++) {
          cells.add(column + "," + row);
        }
      }
    }
    assertThat(cells).doesNotHaveDuplicates();
  }
}
