package dev.ferry.infra;

import static dev.ferry.infra.YamlFiles.list;
import static dev.ferry.infra.YamlFiles.map;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The files of infra/k8s themselves: references that resolve, and no secret values. */
class KustomizeTreeTest {

  private static final Path K8S = RepositoryRoot.resolve("infra/k8s");

  @Test
  void everyResourceAndPatchAKustomizationNamesExists() throws IOException {
    List<Path> kustomizations = files("kustomization.yaml");
    assertThat(kustomizations).hasSize(3);
    for (Path kustomization : kustomizations) {
      Map<String, Object> content = YamlFiles.loadMap(kustomization);
      Path directory = kustomization.getParent();
      for (Object resource : list(content.get("resources"))) {
        assertThat(directory.resolve(resource.toString()))
            .as(kustomization + ": " + resource)
            .exists();
      }
      for (Object patch : list(content.get("patches"))) {
        assertThat(directory.resolve(map(patch).get("path").toString()))
            .as(kustomization + ": " + patch)
            .isRegularFile();
      }
    }
  }

  @Test
  void noManifestCarriesASecretValue() throws IOException {
    for (Path file : files(".yaml")) {
      String name = file.getFileName().toString();
      if (name.equals("kustomization.yaml")) {
        assertThat(YamlFiles.loadMap(file))
            .as(file.toString())
            .doesNotContainKey("secretGenerator");
      } else if (!name.equals("ingress-host.yaml")) {
        assertThat(YamlFiles.loadAll(file))
            .as(file.toString())
            .noneMatch(document -> "Secret".equals(document.get("kind")));
      }
    }
  }

  @Test
  void devPostgresCreatesTheSameDatabasesAsCompose() {
    Map<String, Object> init =
        Kustomize.find(
            YamlFiles.loadAll(K8S.resolve("overlays/dev/dev-infra.yaml")),
            "ConfigMap",
            "postgres-init");
    String sql = map(init.get("data")).get("01-databases.sql").toString();
    assertThat(PostgresInitScript.databasesIn(sql))
        .containsExactlyElementsOf(PostgresInitScript.databases());
  }

  private static List<Path> files(String suffix) throws IOException {
    try (Stream<Path> paths = Files.walk(K8S)) {
      return paths.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
    }
  }
}
