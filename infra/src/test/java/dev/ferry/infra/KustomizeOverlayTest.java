package dev.ferry.infra;

import static dev.ferry.infra.YamlFiles.list;
import static dev.ferry.infra.YamlFiles.map;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each overlay rendered (base plus its patches) and checked against the services it deploys: probes
 * and ports where the service really listens, environment names it really reads, secrets only by
 * reference, and the objects that keep it running (Service, HPA, PDB, Ingress routes).
 */
class KustomizeOverlayTest {

  private static final List<FerryService> STATELESS =
      List.of(FerryService.SHORTENER, FerryService.KEYGEN, FerryService.NOTIFICATION);
  private static final Pattern EXPANSION = Pattern.compile("\\$\\(([A-Z0-9_]+)\\)");
  private static final Pattern SECRET_LIKE =
      Pattern.compile(".*(PASSWORD|SECRET_KEY|TOKEN|API_KEY|WEBHOOK_KEY|APIKEYS_KEYS_\\d+_KEY)$");

  static Stream<Arguments> overlaysAndServices() {
    return Stream.of("dev", "prod")
        .flatMap(o -> Arrays.stream(FerryService.values()).map(s -> Arguments.of(o, s)));
  }

  static Stream<Arguments> overlaysAndStatelessServices() {
    return Stream.of("dev", "prod").flatMap(o -> STATELESS.stream().map(s -> Arguments.of(o, s)));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("overlaysAndServices")
  void probesHitTheActuatorGroupsOnThePortTheActuatorListensOn(
      String overlay, FerryService service) {
    Manifests manifests = Manifests.renderOverlay(overlay);
    Map<String, Object> container = manifests.container(service);
    int actuatorPort = actuatorPort(manifests, service);

    assertThat(manifests.namedPort(service, "http"))
        .isEqualTo(service.configuration().serverPort());
    assertProbe(manifests, service, container, "livenessProbe", "/actuator/health/liveness");
    assertProbe(manifests, service, container, "readinessProbe", "/actuator/health/readiness");
    assertProbe(manifests, service, container, "startupProbe", "/actuator/health/liveness");
    assertThat(
            YamlFiles.string(
                manifests.workload(service),
                "spec",
                "template",
                "metadata",
                "annotations",
                "prometheus.io/port"))
        .isEqualTo(String.valueOf(actuatorPort));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("overlaysAndStatelessServices")
  void actuatorListensOnAPortNoServiceExposes(String overlay, FerryService service) {
    Manifests manifests = Manifests.renderOverlay(overlay);

    assertThat(actuatorPort(manifests, service))
        .isEqualTo(manifests.namedPort(service, "management"))
        .isNotEqualTo(service.configuration().serverPort());
    assertThat(list(YamlFiles.at(manifests.get("Service", service.module()), "spec", "ports")))
        .extracting(port -> map(port).get("targetPort"))
        .containsOnly("http");
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("overlaysAndServices")
  void everyEnvironmentVariableIsOneTheServiceReads(String overlay, FerryService service) {
    Manifests manifests = Manifests.renderOverlay(overlay);
    Map<String, String> environment = manifests.environment(service);
    ServiceConfiguration configuration = service.configuration();
    // A variable used only inside another's value, as $(POD_NAME), is Kubernetes' business.
    Set<String> expansionHelpers =
        environment.values().stream()
            .flatMap(v -> EXPANSION.matcher(v).results().map(m -> m.group(1)))
            .collect(Collectors.toSet());

    assertThat(environment.keySet())
        .filteredOn(name -> !expansionHelpers.contains(name))
        .allSatisfy(name -> assertThat(configuration.accepts(name)).as(name).isTrue());
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("overlaysAndServices")
  void secretsAreOnlyReferenced(String overlay, FerryService service) {
    Manifests manifests = Manifests.renderOverlay(overlay);
    assertThat(manifests.ofKind("Secret")).isEmpty();
    manifests
        .environment(service)
        .forEach(
            (name, value) -> {
              if (SECRET_LIKE.matcher(name).matches()) {
                assertThat(value).as(name).startsWith("secret:");
              }
            });
    if (service == FerryService.KEYGEN) {
      assertThat(manifests.environment(service).get("FERRY_KEYGEN_SECRET_KEY"))
          .isEqualTo("secret:ferry-keygen/secret-key");
    }
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("overlaysAndServices")
  void requestsAndLimitsCpuAndMemory(String overlay, FerryService service) {
    Map<String, Object> resources =
        map(Manifests.renderOverlay(overlay).container(service).get("resources"));
    assertThat(map(resources.get("requests"))).containsKeys("cpu", "memory");
    assertThat(map(resources.get("limits"))).containsKeys("cpu", "memory");
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("overlaysAndStatelessServices")
  void statelessServiceHasAServiceAnAutoscalerAt70PercentCpuAndADisruptionBudget(
      String overlay, FerryService service) {
    Manifests manifests = Manifests.renderOverlay(overlay);
    String name = service.module();

    Map<String, Object> port =
        map(list(YamlFiles.at(manifests.get("Service", name), "spec", "ports")).get(0));
    assertThat(port.get("port")).isEqualTo(service.configuration().serverPort());
    assertThat(port.get("targetPort")).isEqualTo("http");

    Map<String, Object> hpa = manifests.get("HorizontalPodAutoscaler", name);
    assertThat(YamlFiles.string(hpa, "spec", "scaleTargetRef", "kind")).isEqualTo("Deployment");
    assertThat(YamlFiles.string(hpa, "spec", "scaleTargetRef", "name")).isEqualTo(name);
    Map<String, Object> metric = map(list(YamlFiles.at(hpa, "spec", "metrics")).get(0));
    assertThat(YamlFiles.string(metric, "resource", "name")).isEqualTo("cpu");
    assertThat(YamlFiles.at(metric, "resource", "target", "averageUtilization")).isEqualTo(70);
    // The HPA owns the count; a replicas field would reset it on every kubectl apply.
    assertThat(map(manifests.get("Deployment", name).get("spec"))).doesNotContainKey("replicas");
    assertThat((Integer) YamlFiles.at(hpa, "spec", "maxReplicas"))
        .isGreaterThanOrEqualTo((Integer) YamlFiles.at(hpa, "spec", "minReplicas"));

    assertThat(
            YamlFiles.string(
                manifests.get("PodDisruptionBudget", name),
                "spec",
                "selector",
                "matchLabels",
                "app.kubernetes.io/name"))
        .isEqualTo(name);
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void brokerIsAStatefulSetWithItsOwnVolumeAndAHeadlessService(String overlay) {
    Manifests manifests = Manifests.renderOverlay(overlay);
    Map<String, Object> broker = manifests.workload(FerryService.BROKER);

    assertThat(list(YamlFiles.at(broker, "spec", "volumeClaimTemplates"))).hasSize(1);
    String headless = YamlFiles.string(broker, "spec", "serviceName");
    assertThat(YamlFiles.string(manifests.get("Service", headless), "spec", "clusterIP"))
        .isEqualTo("None");
    String dataDirectory = manifests.environment(FerryService.BROKER).get("FERRY_BROKER_DATA_DIR");
    assertThat(list(manifests.container(FerryService.BROKER).get("volumeMounts")))
        .anySatisfy(
            m ->
                assertThat(map(m))
                    .containsEntry("name", "data")
                    .containsEntry("mountPath", dataDirectory));
    assertThat(manifests.namedPort(FerryService.BROKER, "kafka"))
        .isEqualTo(
            Integer.parseInt(manifests.environment(FerryService.BROKER).get("FERRY_BROKER_PORT")));
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void ingressSendsEachPublicPathToItsServiceAndKeepsKeygenInternal(String overlay) {
    Manifests manifests = Manifests.renderOverlay(overlay);
    Map<String, String> backendByPath = ingressBackends(manifests);

    assertThat(backendByPath)
        .containsEntry("/", "shortener-service")
        .containsEntry("/api/v1/shorten", "shortener-service")
        .containsEntry("/api/v1/urls", "shortener-service")
        .containsEntry("/api/v1/analytics", "shortener-service")
        .containsEntry("/api/v1/notifications", "notification-service")
        .containsEntry("/api/v1/templates", "notification-service")
        .containsEntry("/api/v1/users", "notification-service")
        .containsEntry("/api/v1/topics", "notification-service")
        .containsEntry("/api/v1/webhooks", "notification-service");
    assertThat(backendByPath.values()).doesNotContain("keygen-service", "broker-service");
    backendByPath
        .values()
        .forEach(service -> assertThat(manifests.has("Service", service)).isTrue());
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void everyPublicApiOfAServiceIsRoutedToThatService(String overlay) {
    Map<String, String> backendByPath = ingressBackends(Manifests.renderOverlay(overlay));
    // Operator APIs, reached with kubectl port-forward rather than from the internet.
    Set<String> internal = Set.of("/api/v1/dashboard", "/api/v1/dead-letters");
    for (FerryService service : List.of(FerryService.SHORTENER, FerryService.NOTIFICATION)) {
      Set<String> roots = ControllerRoutes.apiRoots(service);
      assertThat(roots).as(service.module()).isNotEmpty();
      roots.stream()
          .filter(root -> !internal.contains(root))
          .forEach(
              root ->
                  assertThat(longestPrefixBackend(backendByPath, root))
                      .as(root)
                      .isEqualTo(service.module()));
    }
  }

  private static Map<String, String> ingressBackends(Manifests manifests) {
    Object rule = list(YamlFiles.at(manifests.get("Ingress", "ferry"), "spec", "rules")).get(0);
    return list(YamlFiles.at(rule, "http", "paths")).stream()
        .map(YamlFiles::map)
        .collect(
            Collectors.toMap(
                p -> p.get("path").toString(),
                p -> YamlFiles.string(p, "backend", "service", "name")));
  }

  /** Ingress Prefix matching: whole path segments, the longest matching path wins. */
  private static String longestPrefixBackend(Map<String, String> backendByPath, String path) {
    return backendByPath.entrySet().stream()
        .filter(
            e ->
                e.getKey().equals("/")
                    || path.equals(e.getKey())
                    || path.startsWith(e.getKey() + "/"))
        .max(java.util.Comparator.comparingInt(e -> e.getKey().length()))
        .map(Map.Entry::getValue)
        .orElse(null);
  }

  private static void assertProbe(
      Manifests manifests,
      FerryService service,
      Map<String, Object> container,
      String probe,
      String path) {
    Object httpGet = YamlFiles.at(container, probe, "httpGet");
    assertThat(httpGet).as(service.module() + " " + probe).isNotNull();
    assertThat(YamlFiles.string(httpGet, "path")).as(probe).isEqualTo(path);
    assertThat(manifests.namedPort(service, map(httpGet).get("port")))
        .as(probe + " port")
        .isEqualTo(actuatorPort(manifests, service));
  }

  /**
   * Where the service's actuator listens: {@code management.server.port} when the manifests set it,
   * otherwise the server port it shares with the API.
   */
  private static int actuatorPort(Manifests manifests, FerryService service) {
    String managementPort = manifests.environment(service).get("MANAGEMENT_SERVER_PORT");
    return managementPort == null
        ? service.configuration().serverPort()
        : Integer.parseInt(managementPort);
  }
}
