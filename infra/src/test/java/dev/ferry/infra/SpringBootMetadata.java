package dev.ferry.infra;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Environment variable names of the properties Spring Boot documents in the {@code
 * META-INF/spring-configuration-metadata.json} files on the test class path. Only the jars this
 * module declares are there (spring-boot-data-redis, spring-boot-actuator-autoconfigure), so the
 * set is small on purpose: a property from another Boot module must be added as a dependency before
 * a manifest may use it.
 *
 * <p>A regular expression rather than a JSON parser: only the {@code "name"} fields are needed, and
 * a group or hint name that slips in is harmless because it is a real prefix of real properties.
 */
final class SpringBootMetadata {

  private static final Pattern NAME =
      Pattern.compile("\"name\"\\s*:\\s*\"([a-z0-9.\\-\\[\\]*]+)\"");
  private static final Set<String> ENVIRONMENT_NAMES = load();

  private SpringBootMetadata() {}

  static Set<String> environmentNames() {
    return ENVIRONMENT_NAMES;
  }

  private static Set<String> load() {
    Set<String> names = new TreeSet<>();
    try {
      for (URL url :
          Collections.list(
              SpringBootMetadata.class
                  .getClassLoader()
                  .getResources("META-INF/spring-configuration-metadata.json"))) {
        try (InputStream in = url.openStream()) {
          Matcher matcher = NAME.matcher(new String(in.readAllBytes(), StandardCharsets.UTF_8));
          while (matcher.find()) {
            names.add(ServiceConfiguration.environmentName(matcher.group(1)));
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Set.copyOf(names);
  }
}
