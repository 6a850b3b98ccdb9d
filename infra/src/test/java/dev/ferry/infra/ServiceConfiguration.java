package dev.ferry.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What a service's {@code application*.yml} files say it reads, and so which environment variable
 * names can configure it. A name is accepted when it is
 *
 * <ul>
 *   <li>a {@code ${NAME...}} placeholder of one of those files;
 *   <li>the relaxed-binding name Spring derives from one of their properties (upper case, dots to
 *       underscores, dashes dropped, list indexes as {@code _0_}), where the key of a map property
 *       may be any name ({@code FERRY_SHORTENER_SHARDING_DATABASES_THIRD_URL});
 *   <li>the name of a property Spring Boot itself documents in its configuration metadata (the prod
 *       overlay's {@code SPRING_DATA_REDIS_SENTINEL_NODES}), see {@link SpringBootMetadata};
 *   <li>or one of the few general-purpose names every Boot application reads.
 * </ul>
 *
 * A typo in any other name would be silently ignored by Spring, which is the mistake this catches.
 */
record ServiceConfiguration(
    FerryService service, int serverPort, Set<String> placeholders, List<Pattern> relaxedNames) {

  static final Set<String> STANDARD_NAMES =
      Set.of(
          "SPRING_PROFILES_ACTIVE", "SPRING_APPLICATION_JSON", "JAVA_TOOL_OPTIONS", "SERVER_PORT");

  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z0-9_]+)[:}]");
  private static final Pattern PORT_DEFAULT = Pattern.compile("\\$\\{[A-Za-z0-9_]+:(\\d+)}|(\\d+)");
  private static final String LIST_INDEX = "[]";

  static ServiceConfiguration load(FerryService service) {
    Set<String> placeholders = new TreeSet<>();
    List<Pattern> relaxedNames = new ArrayList<>();
    Integer serverPort = null;
    for (Path file : applicationFiles(service)) {
      String text = YamlFiles.read(file);
      Matcher matcher = PLACEHOLDER.matcher(text);
      while (matcher.find()) {
        placeholders.add(matcher.group(1));
      }
      Object tree = YamlFiles.load(file);
      for (List<String> path : leafPaths(tree)) {
        relaxedNames.add(relaxedNamePattern(path, service.mapProperties()));
      }
      if (file.getFileName().toString().startsWith("application.")) {
        serverPort = parsePort(YamlFiles.string(tree, "server", "port"), file);
      }
    }
    if (serverPort == null) {
      throw new IllegalStateException(service.module() + " has no application.yml");
    }
    return new ServiceConfiguration(service, serverPort, placeholders, relaxedNames);
  }

  boolean accepts(String environmentName) {
    return STANDARD_NAMES.contains(environmentName)
        || placeholders.contains(environmentName)
        || relaxedNames.stream().anyMatch(p -> p.matcher(environmentName).matches())
        || SpringBootMetadata.environmentNames().contains(environmentName);
  }

  /**
   * Spring's environment variable form of a property name ({@code spring.kafka.bootstrap-servers}).
   */
  static String environmentName(String propertyName) {
    return propertyName
        .replaceAll("\\[(\\d+)]", ".$1")
        .replace("-", "")
        .replace('.', '_')
        .toUpperCase(Locale.ROOT);
  }

  private static List<Path> applicationFiles(FerryService service) {
    Path resources = RepositoryRoot.resolve(service.module() + "/src/main/resources");
    try (Stream<Path> files = Files.list(resources)) {
      return files
          .filter(f -> f.getFileName().toString().matches("application(-[\\w-]+)?\\.ya?ml"))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every path from the root to a scalar; a list element is the segment {@value #LIST_INDEX}. */
  private static Set<List<String>> leafPaths(Object tree) {
    Set<List<String>> paths = new LinkedHashSet<>();
    collect(tree, new ArrayList<>(), paths);
    return paths;
  }

  private static void collect(Object node, List<String> path, Set<List<String>> paths) {
    if (node instanceof Map<?, ?> mapping) {
      for (Map.Entry<?, ?> entry : mapping.entrySet()) {
        List<String> child = new ArrayList<>(path);
        // Keys such as "max.block.ms" are several segments of the property name.
        child.addAll(List.of(String.valueOf(entry.getKey()).split("\\.")));
        collect(entry.getValue(), child, paths);
      }
    } else if (node instanceof List<?> elements) {
      for (Object element : elements) {
        List<String> child = new ArrayList<>(path);
        child.add(LIST_INDEX);
        collect(element, child, paths);
      }
    } else if (!path.isEmpty()) {
      paths.add(List.copyOf(path));
    }
  }

  private static Pattern relaxedNamePattern(List<String> path, Set<String> mapProperties) {
    List<String> parts = new ArrayList<>();
    List<String> prefix = new ArrayList<>();
    for (String segment : path) {
      if (segment.equals(LIST_INDEX)) {
        parts.add("\\d+");
      } else if (mapProperties.contains(String.join(".", prefix))) {
        parts.add("[A-Z0-9]+");
      } else {
        parts.add(Pattern.quote(environmentName(segment)));
      }
      prefix.add(segment);
    }
    return Pattern.compile(String.join("_", parts));
  }

  private static int parsePort(String value, Path file) {
    Matcher matcher = value == null ? null : PORT_DEFAULT.matcher(value);
    if (matcher == null || !matcher.matches()) {
      throw new IllegalStateException("No server.port default in " + file + ": " + value);
    }
    return Integer.parseInt(matcher.group(1) != null ? matcher.group(1) : matcher.group(2));
  }
}
