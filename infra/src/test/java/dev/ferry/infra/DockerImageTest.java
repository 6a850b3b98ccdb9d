package dev.ferry.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * infra/docker/Dockerfile read as text: the properties of the image that nothing would notice until
 * it runs in a cluster (root user, heap sized for the host, a health check calling a missing tool).
 */
class DockerImageTest {

  private static final String DOCKERFILE =
      YamlFiles.read(RepositoryRoot.resolve("infra/docker/Dockerfile"));
  private static final List<String> LINES = DOCKERFILE.lines().map(String::strip).toList();

  @Test
  void extractsTheJarWithTheToolsJarModeAndKeepsItsLauncher() {
    assertThat(DOCKERFILE)
        .contains("COPY ${SERVICE}/target/${SERVICE}.jar app.jar")
        .contains("java -Djarmode=tools -jar app.jar extract --layers --launcher --destination");
    assertThat(LINES)
        .contains("ENTRYPOINT [\"java\", \"org.springframework.boot.loader.launch.JarLauncher\"]");
  }

  @Test
  void copiesTheLayersFromLeastToMostOftenChanged() {
    List<String> copiedLayers =
        LINES.stream()
            .filter(l -> l.startsWith("COPY --from=layers"))
            .map(l -> l.replaceAll(".*/extracted/([a-z-]+)/.*", "$1"))
            .toList();
    assertThat(copiedLayers)
        .containsExactly(
            "dependencies", "spring-boot-loader", "snapshot-dependencies", "application");
  }

  @Test
  void runsAsANonRootUser() {
    String user =
        LINES.stream().filter(l -> l.startsWith("USER ")).reduce((a, b) -> b).orElseThrow();
    assertThat(user).doesNotContain("root").isNotEqualTo("USER 0");
  }

  @Test
  void sizesTheHeapFromTheContainerMemoryLimit() {
    assertThat(DOCKERFILE).containsPattern("JAVA_TOOL_OPTIONS=\"[^\"]*-XX:MaxRAMPercentage=75");
  }

  @Test
  void healthCheckProbesLivenessWithAToolTheImageInstalls() {
    assertThat(DOCKERFILE)
        .containsPattern("HEALTHCHECK[^\\n]*\\\\\\n\\s*CMD curl [^\\n]*/actuator/health/liveness")
        .containsPattern("apt-get install [^\\n]*curl");
  }

  @Test
  void theBuildContextLetsTheServiceJarsThrough() {
    String dockerignore = YamlFiles.read(RepositoryRoot.resolve(".dockerignore"));
    for (FerryService service : FerryService.values()) {
      String jar = service.module() + "/target/" + service.module() + ".jar";
      assertThat(dockerignore).contains("!" + jar);
      assertThat(YamlFiles.read(RepositoryRoot.resolve("infra/docker/build-images.sh")))
          .contains(service.module() + ":" + service.configuration().serverPort());
    }
  }
}
