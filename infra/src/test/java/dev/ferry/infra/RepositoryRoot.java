package dev.ferry.infra;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The repository root, where docker-compose.yml and the service modules live. Surefire passes
 * Maven's {@code maven.multiModuleProjectDirectory} as {@code ferry.root}; a run from an IDE falls
 * back to the working directory. Either way we climb to the directory holding {@code .mvn}, so the
 * tests also work when the module is built on its own ({@code -f infra/pom.xml}).
 */
final class RepositoryRoot {

  private static final Path ROOT = locate();

  private RepositoryRoot() {}

  static Path resolve(String relativePath) {
    return ROOT.resolve(relativePath);
  }

  private static Path locate() {
    Path start = Path.of(System.getProperty("ferry.root", System.getProperty("user.dir")));
    for (Path dir = start.toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isDirectory(dir.resolve(".mvn")) && Files.isDirectory(dir.resolve("infra"))) {
        return dir;
      }
    }
    throw new IllegalStateException("No Ferry repository root above " + start);
  }
}
