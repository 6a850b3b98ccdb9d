package dev.ferry.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** Reads YAML into plain maps and lists, and walks them without casts at every call site. */
final class YamlFiles {

  private YamlFiles() {}

  static Object load(Path file) {
    return yaml().load(read(file));
  }

  static Map<String, Object> loadMap(Path file) {
    return map(load(file));
  }

  /** All documents of a multi-document file ({@code ---}), skipping empty ones. */
  static List<Map<String, Object>> loadAll(Path file) {
    return loadDocuments(file).stream().map(YamlFiles::map).toList();
  }

  /** Like {@link #loadAll} for files whose documents need not be mappings. */
  static List<Object> loadDocuments(Path file) {
    List<Object> documents = new ArrayList<>();
    for (Object document : yaml().loadAll(read(file))) {
      if (document != null) {
        documents.add(document);
      }
    }
    return documents;
  }

  static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object node) {
    if (node == null) {
      return Map.of();
    }
    if (!(node instanceof Map)) {
      throw new IllegalArgumentException("Expected a mapping, got " + node);
    }
    return (Map<String, Object>) node;
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(Object node) {
    if (node == null) {
      return List.of();
    }
    if (!(node instanceof List)) {
      throw new IllegalArgumentException("Expected a sequence, got " + node);
    }
    return (List<Object>) node;
  }

  /** The node at a path of mapping keys, or null if any step is missing. */
  static Object at(Object node, String... keys) {
    Object current = node;
    for (String key : keys) {
      if (!(current instanceof Map<?, ?> mapping)) {
        return null;
      }
      current = mapping.get(key);
    }
    return current;
  }

  static String string(Object node, String... keys) {
    Object value = at(node, keys);
    return value == null ? null : Objects.toString(value);
  }

  private static Yaml yaml() {
    return new Yaml(new SafeConstructor(new LoaderOptions()));
  }
}
