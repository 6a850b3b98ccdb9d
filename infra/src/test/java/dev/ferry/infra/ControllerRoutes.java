package dev.ferry.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The first path segment under {@code /api/v1} of every endpoint a service declares ({@code
 * /api/v1/notifications}), read from its controllers' mapping annotations: a class-level
 * {@code @RequestMapping} prefix joined with each method-level mapping. Source text, not
 * reflection, so the module needs no dependency on the services.
 */
final class ControllerRoutes {

  private static final Pattern MAPPING =
      Pattern.compile(
          "@(Request|Get|Post|Put|Patch|Delete)Mapping\\((?:path\\s*=\\s*|value\\s*=\\s*)?\"([^\"]*)\"");
  private static final Pattern CLASS_DECLARATION =
      Pattern.compile("(?m)^(public\\s+)?(final\\s+)?class\\s");
  private static final Pattern API_ROOT = Pattern.compile("^(/api/v1/[^/{]+)");

  private ControllerRoutes() {}

  static Set<String> apiRoots(FerryService service) {
    Path sources = RepositoryRoot.resolve(service.module() + "/src/main/java");
    Set<String> roots = new TreeSet<>();
    try (Stream<Path> files = Files.walk(sources)) {
      files
          .filter(f -> f.getFileName().toString().endsWith("Controller.java"))
          .forEach(f -> roots.addAll(apiRootsIn(YamlFiles.read(f))));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return roots;
  }

  static Set<String> apiRootsIn(String source) {
    Matcher declaration = CLASS_DECLARATION.matcher(source);
    int classStart = declaration.find() ? declaration.start() : 0;
    String prefix = "";
    Set<String> paths = new TreeSet<>();
    Matcher mapping = MAPPING.matcher(source);
    while (mapping.find()) {
      if (mapping.start() < classStart) {
        prefix = mapping.group(2);
      } else {
        paths.add(prefix + mapping.group(2));
      }
    }
    if (paths.isEmpty() && !prefix.isEmpty()) {
      paths.add(prefix);
    }
    Set<String> roots = new TreeSet<>();
    for (String path : paths) {
      Matcher root = API_ROOT.matcher(path);
      if (root.find()) {
        roots.add(root.group(1));
      }
    }
    return roots;
  }
}
