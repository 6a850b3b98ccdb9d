package dev.ferry.infra;

import static dev.ferry.infra.YamlFiles.list;
import static dev.ferry.infra.YamlFiles.map;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A minimal kustomize, enough for our tree and run without kubectl: {@code resources} (files and
 * directories), strategic-merge and JSON 6902 {@code patches}, {@code namespace} and {@code
 * images}. Strategic merge is approximated the way it behaves on the fields we patch: mappings
 * merge, a null removes a key, lists of named items (containers, env, volumes) merge by name, any
 * other list is replaced. {@code KustomizeRenderingTest} compares the result with the real
 * kustomize ({@code kubectl kustomize}) where kubectl is installed.
 *
 * <p>Anything else in a kustomization.yaml fails the render rather than being ignored, except
 * {@code labels}, which only adds metadata labels.
 */
final class Kustomize {

  private static final List<String> SUPPORTED =
      List.of("apiVersion", "kind", "resources", "patches", "namespace", "images", "labels");

  private Kustomize() {}

  static List<Map<String, Object>> render(Path directory) {
    Map<String, Object> kustomization =
        map(YamlFiles.load(directory.resolve("kustomization.yaml")));
    for (String field : kustomization.keySet()) {
      if (!SUPPORTED.contains(field)) {
        throw new IllegalArgumentException(
            "Kustomize cannot render '" + field + "' in " + directory);
      }
    }
    List<Map<String, Object>> documents = new ArrayList<>();
    for (Object resource : list(kustomization.get("resources"))) {
      Path path = directory.resolve(resource.toString()).normalize();
      documents.addAll(Files.isDirectory(path) ? render(path) : YamlFiles.loadAll(path));
    }
    for (Object patch : list(kustomization.get("patches"))) {
      applyPatch(documents, directory, map(patch));
    }
    String namespace = YamlFiles.string(kustomization, "namespace");
    if (namespace != null) {
      documents.forEach(d -> map(d.get("metadata")).put("namespace", namespace));
    }
    for (Object image : list(kustomization.get("images"))) {
      documents.forEach(d -> setImage(d, map(image)));
    }
    return documents;
  }

  static Map<String, Object> find(List<Map<String, Object>> documents, String kind, String name) {
    return documents.stream()
        .filter(
            d -> kind.equals(d.get("kind")) && name.equals(YamlFiles.string(d, "metadata", "name")))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("No " + kind + " " + name));
  }

  private static void applyPatch(
      List<Map<String, Object>> documents, Path directory, Map<String, Object> patch) {
    Path file = directory.resolve(Objects.toString(patch.get("path")));
    List<Object> content = YamlFiles.loadDocuments(file);
    if (content.size() == 1 && content.get(0) instanceof List<?> operations) {
      Map<String, Object> target =
          find(
              documents,
              YamlFiles.string(patch, "target", "kind"),
              YamlFiles.string(patch, "target", "name"));
      operations.forEach(op -> JsonPatch.apply(target, map(op)));
      return;
    }
    for (Object document : content) {
      Map<String, Object> change = map(document);
      Map<String, Object> target =
          find(
              documents,
              change.get("kind").toString(),
              YamlFiles.string(change, "metadata", "name"));
      mergeInto(target, change);
    }
  }

  @SuppressWarnings("unchecked")
  private static void mergeInto(Map<String, Object> target, Map<String, Object> change) {
    for (Map.Entry<String, Object> entry : change.entrySet()) {
      Object current = target.get(entry.getKey());
      Object value = entry.getValue();
      if (value == null) {
        target.remove(entry.getKey());
      } else if (current instanceof Map && value instanceof Map) {
        mergeInto((Map<String, Object>) current, (Map<String, Object>) value);
      } else if (current instanceof List && value instanceof List && isNamedList(value)) {
        target.put(entry.getKey(), mergeByName((List<Object>) current, (List<Object>) value));
      } else {
        target.put(entry.getKey(), deepCopy(value));
      }
    }
  }

  /**
   * The order kustomize produces: the patch's items first, in patch order (merged into the existing
   * item of the same name), then the existing items the patch does not mention. Order matters for
   * env, where $(NAME) refers only to variables defined earlier.
   */
  private static List<Object> mergeByName(List<Object> current, List<Object> changes) {
    List<Object> merged = new ArrayList<>();
    List<Object> untouched = new ArrayList<>(current);
    for (Object change : changes) {
      Object name = map(change).get("name");
      Map<String, Object> existing =
          untouched.stream()
              .map(YamlFiles::map)
              .filter(item -> Objects.equals(item.get("name"), name))
              .findFirst()
              .orElse(null);
      if (existing == null) {
        merged.add(deepCopy(change));
      } else {
        untouched.remove(existing);
        mergeInto(existing, map(change));
        merged.add(existing);
      }
    }
    merged.addAll(untouched);
    return merged;
  }

  private static boolean isNamedList(Object value) {
    List<Object> items = list(value);
    return !items.isEmpty()
        && items.stream().allMatch(i -> i instanceof Map<?, ?> m && m.get("name") != null);
  }

  private static void setImage(Map<String, Object> document, Map<String, Object> image) {
    Object podSpec = YamlFiles.at(document, "spec", "template", "spec");
    for (Object container : list(YamlFiles.at(podSpec, "containers"))) {
      Map<String, Object> c = map(container);
      String current = c.get("image").toString();
      String repository =
          current.contains(":") ? current.substring(0, current.lastIndexOf(':')) : current;
      if (repository.equals(image.get("name"))) {
        Object newName = image.getOrDefault("newName", repository);
        Object newTag = image.get("newTag");
        c.put("image", newTag == null ? newName.toString() : newName + ":" + newTag);
      }
    }
  }

  @SuppressWarnings("unchecked")
  static <T> T deepCopy(T node) {
    if (node instanceof Map<?, ?> mapping) {
      Map<String, Object> copy = new LinkedHashMap<>();
      mapping.forEach((k, v) -> copy.put(k.toString(), deepCopy(v)));
      return (T) copy;
    }
    if (node instanceof List<?> items) {
      List<Object> copy = new ArrayList<>();
      items.forEach(i -> copy.add(deepCopy(i)));
      return (T) copy;
    }
    return node;
  }

  /** The {@code add}, {@code replace} and {@code remove} operations of RFC 6902. */
  private static final class JsonPatch {

    private JsonPatch() {}

    @SuppressWarnings("unchecked")
    static void apply(Map<String, Object> document, Map<String, Object> operation) {
      String op = operation.get("op").toString();
      String[] steps = operation.get("path").toString().substring(1).split("/");
      Object parent = document;
      for (int i = 0; i < steps.length - 1; i++) {
        parent = child(parent, steps[i]);
      }
      String last = steps[steps.length - 1];
      Object value = deepCopy(operation.get("value"));
      if (parent instanceof Map<?, ?> mapping) {
        Map<String, Object> m = (Map<String, Object>) mapping;
        if (op.equals("remove")) {
          m.remove(last);
        } else {
          m.put(last, value);
        }
      } else {
        List<Object> items = (List<Object>) parent;
        switch (op) {
          case "add" -> {
            if (last.equals("-")) {
              items.add(value);
            } else {
              items.add(Integer.parseInt(last), value);
            }
          }
          case "replace" -> items.set(Integer.parseInt(last), value);
          case "remove" -> items.remove(Integer.parseInt(last));
          default -> throw new IllegalArgumentException("Unsupported JSON patch op " + op);
        }
      }
    }

    private static Object child(Object node, String step) {
      return node instanceof List<?> items
          ? items.get(Integer.parseInt(step))
          : map(node).get(step);
    }
  }
}
