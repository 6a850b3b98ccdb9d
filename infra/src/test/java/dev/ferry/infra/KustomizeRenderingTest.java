package dev.ferry.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Our {@link Kustomize} against the real one, so the other tests check what kubectl would apply.
 * Skipped where kubectl (which embeds kustomize) is not installed.
 */
class KustomizeRenderingTest {

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void renderingMatchesKubectlKustomize(String overlay) throws Exception {
    List<Map<String, Object>> real = kubectlKustomize(overlay);
    List<Map<String, Object>> ours = Manifests.renderOverlay(overlay).documents();

    assertThat(ours.stream().map(KustomizeRenderingTest::identity).sorted())
        .containsExactlyElementsOf(
            real.stream().map(KustomizeRenderingTest::identity).sorted().toList());
    for (Map<String, Object> expected : real) {
      Map<String, Object> actual =
          Kustomize.find(
              ours,
              expected.get("kind").toString(),
              YamlFiles.string(expected, "metadata", "name"));
      // Labels and annotations differ only by kustomize's `labels` transformer.
      assertThat(actual.get("spec")).as(identity(expected)).isEqualTo(expected.get("spec"));
      assertThat(actual.get("data")).as(identity(expected)).isEqualTo(expected.get("data"));
    }
  }

  private static String identity(Map<String, Object> document) {
    return document.get("kind")
        + "/"
        + YamlFiles.string(document, "metadata", "namespace")
        + "/"
        + YamlFiles.string(document, "metadata", "name");
  }

  private static List<Map<String, Object>> kubectlKustomize(String overlay) throws Exception {
    Process process;
    try {
      process =
          new ProcessBuilder(
                  "kubectl",
                  "kustomize",
                  RepositoryRoot.resolve("infra/k8s/overlays/" + overlay).toString())
              .redirectErrorStream(true)
              .start();
    } catch (IOException noKubectl) {
      assumeTrue(false, "kubectl is not installed");
      throw noKubectl;
    }
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
    return java.util.stream.StreamSupport.stream(
            new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(output).spliterator(), false)
        .map(YamlFiles::map)
        .toList();
  }
}
