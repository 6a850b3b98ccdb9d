package dev.ferry.infra;

import static dev.ferry.infra.YamlFiles.list;
import static dev.ferry.infra.YamlFiles.map;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A rendered overlay (every manifest kustomize would apply) with the lookups the tests need: a
 * service's workload and container, and the environment that container ends up with.
 */
record Manifests(String overlay, List<Map<String, Object>> documents) {

  private static final Map<String, Manifests> RENDERED = new ConcurrentHashMap<>();

  /** Rendered once per test JVM; callers must not modify the result. */
  static Manifests renderOverlay(String overlay) {
    return RENDERED.computeIfAbsent(
        overlay,
        o -> new Manifests(o, Kustomize.render(RepositoryRoot.resolve("infra/k8s/overlays/" + o))));
  }

  List<Map<String, Object>> ofKind(String kind) {
    return documents.stream().filter(d -> kind.equals(d.get("kind"))).toList();
  }

  Map<String, Object> get(String kind, String name) {
    return Kustomize.find(documents, kind, name);
  }

  boolean has(String kind, String name) {
    return documents.stream()
        .anyMatch(
            d ->
                kind.equals(d.get("kind")) && name.equals(YamlFiles.string(d, "metadata", "name")));
  }

  /** The Deployment, or for broker-service the StatefulSet, of a service. */
  Map<String, Object> workload(FerryService service) {
    String kind = service == FerryService.BROKER ? "StatefulSet" : "Deployment";
    return get(kind, service.module());
  }

  Map<String, Object> container(FerryService service) {
    return list(YamlFiles.at(workload(service), "spec", "template", "spec", "containers")).stream()
        .map(YamlFiles::map)
        .filter(c -> service.module().equals(c.get("name")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no container " + service.module()));
  }

  /**
   * Name to value of every variable the container gets: ConfigMap keys loaded by {@code envFrom}
   * first, then {@code env} entries, which win as they do in Kubernetes. A value from a Secret is
   * shown as {@code secret:<name>/<key>}.
   */
  Map<String, String> environment(FerryService service) {
    Map<String, Object> container = container(service);
    Map<String, String> environment = new LinkedHashMap<>();
    for (Object source : list(container.get("envFrom"))) {
      String configMap = YamlFiles.string(source, "configMapRef", "name");
      if (configMap == null) {
        throw new AssertionError(service.module() + ": envFrom other than a ConfigMap: " + source);
      }
      map(get("ConfigMap", configMap).get("data"))
          .forEach((k, v) -> environment.put(k, String.valueOf(v)));
    }
    for (Object entry : list(container.get("env"))) {
      Map<String, Object> variable = map(entry);
      String name = variable.get("name").toString();
      Object secret = YamlFiles.at(variable, "valueFrom", "secretKeyRef");
      if (secret != null) {
        environment.put(
            name,
            "secret:" + YamlFiles.string(secret, "name") + "/" + YamlFiles.string(secret, "key"));
      } else if (variable.containsKey("value")) {
        environment.put(name, String.valueOf(variable.get("value")));
      } else {
        environment.put(
            name, "field:" + YamlFiles.string(variable, "valueFrom", "fieldRef", "fieldPath"));
      }
    }
    return environment;
  }

  int namedPort(FerryService service, Object port) {
    if (port instanceof Integer number) {
      return number;
    }
    return list(container(service).get("ports")).stream()
        .map(YamlFiles::map)
        .filter(p -> port.equals(p.get("name")))
        .map(p -> (Integer) p.get("containerPort"))
        .findFirst()
        .orElseThrow(() -> new AssertionError(service.module() + " has no port " + port));
  }
}
