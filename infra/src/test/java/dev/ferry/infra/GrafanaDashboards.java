package dev.ferry.infra;

import static dev.ferry.infra.YamlFiles.list;
import static dev.ferry.infra.YamlFiles.map;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The dashboards of infra/grafana/dashboards and the Prometheus queries their panels run. Public
 * because the end-to-end tests check these queries' metric names against a scrape of the running
 * services.
 */
public final class GrafanaDashboards {

  static final Path DIRECTORY = RepositoryRoot.resolve("infra/grafana/dashboards");

  private GrafanaDashboards() {}

  static List<Path> files() {
    try (Stream<Path> files = Files.list(DIRECTORY)) {
      return files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Map<String, Object> load(Path file) {
    // JSON is YAML as far as these files go; one parser for all of infra's configuration.
    return YamlFiles.loadMap(file);
  }

  static List<Map<String, Object>> panels(Map<String, Object> dashboard) {
    return list(dashboard.get("panels")).stream().map(YamlFiles::map).toList();
  }

  static List<Map<String, Object>> targets(Map<String, Object> panel) {
    return list(panel.get("targets")).stream().map(YamlFiles::map).toList();
  }

  static List<String> expressions(Map<String, Object> dashboard) {
    return panels(dashboard).stream()
        .flatMap(panel -> targets(panel).stream())
        .map(target -> (String) target.get("expr"))
        .toList();
  }

  /**
   * Every metric name some panel of some dashboard queries, with the dashboard file it first
   * appears in (for a failure message that says where to look).
   */
  public static Map<String, String> metricNames() {
    Map<String, String> sources = new TreeMap<>();
    for (Path file : files()) {
      for (String expression : expressions(load(file))) {
        PromQl.metricNames(expression)
            .forEach(name -> sources.putIfAbsent(name, file.getFileName().toString()));
      }
    }
    return sources;
  }

  static Map<String, Object> provisioning(String relativePath) {
    return map(
        YamlFiles.load(RepositoryRoot.resolve("infra/grafana/provisioning/" + relativePath)));
  }
}
