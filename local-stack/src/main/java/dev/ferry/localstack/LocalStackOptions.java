package dev.ferry.localstack;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Command-line options of the launcher.
 *
 * @param dataDirectory where Postgres, Redis and the logs keep their files ({@code --data-dir},
 *     default {@code .ferry})
 * @param portOffset added to every fixed port ({@code --port-offset}, default 0), so that a second
 *     stack, such as the launcher's own test, can run beside a developer's
 * @param kafka which Kafka-protocol broker the services use ({@code --kafka=broker|apache}):
 *     Ferry's own broker-service (the default) or Apache Kafka
 * @param serviceArguments extra Spring Boot arguments per service module ({@code
 *     --service-arg=shortener-service:--ferry.shortener.links.keygen.capacity=40}, repeatable),
 *     appended after the stack's own so that they win; e.g. to point notification-service at fake
 *     providers
 */
public record LocalStackOptions(
    Path dataDirectory, int portOffset, Kafka kafka, Map<String, List<String>> serviceArguments) {

  static final String USAGE =
      "usage: run-local.sh [--data-dir=PATH] [--port-offset=N] [--kafka=broker|apache]"
          + " [--service-arg=MODULE:--property=value ...]";

  /** The broker behind {@code localhost:9092}. */
  public enum Kafka {
    BROKER,
    APACHE
  }

  public LocalStackOptions {
    if (portOffset < 0 || portOffset > 40_000) {
      throw new IllegalArgumentException("--port-offset must be in 0..40000, was " + portOffset);
    }
    Map<String, List<String>> copy = new LinkedHashMap<>();
    serviceArguments.forEach((module, arguments) -> copy.put(module, List.copyOf(arguments)));
    serviceArguments = Collections.unmodifiableMap(copy);
  }

  /** Parses the launcher's command line; throws {@link IllegalArgumentException} with usage. */
  public static LocalStackOptions parse(String... args) {
    Path dataDirectory = Path.of(".ferry");
    int portOffset = 0;
    Kafka kafka = Kafka.BROKER;
    Map<String, List<String>> serviceArguments = new LinkedHashMap<>();
    for (String arg : args) {
      String[] nameAndValue = arg.split("=", 2);
      if (nameAndValue.length != 2) {
        throw new IllegalArgumentException("unknown option '" + arg + "'; " + USAGE);
      }
      switch (nameAndValue[0]) {
        case "--data-dir" -> dataDirectory = Path.of(nameAndValue[1]);
        case "--port-offset" -> portOffset = parsePort(nameAndValue[1]);
        case "--kafka" -> kafka = parseKafka(nameAndValue[1]);
        case "--service-arg" -> addServiceArgument(serviceArguments, nameAndValue[1]);
        default -> throw new IllegalArgumentException("unknown option '" + arg + "'; " + USAGE);
      }
    }
    return new LocalStackOptions(
        dataDirectory.toAbsolutePath(), portOffset, kafka, serviceArguments);
  }

  /** {@code base}, one of the stack's default ports, moved by the port offset. */
  public int port(int base) {
    return base + portOffset;
  }

  /** The extra arguments given for {@code module}, empty if none. */
  List<String> argumentsOf(String module) {
    return serviceArguments.getOrDefault(module, List.of());
  }

  private static void addServiceArgument(Map<String, List<String>> arguments, String value) {
    String[] moduleAndArgument = value.split(":", 2);
    if (moduleAndArgument.length != 2
        || moduleAndArgument[0].isBlank()
        || !moduleAndArgument[1].startsWith("--")) {
      throw new IllegalArgumentException(
          "--service-arg must be MODULE:--property=value, was '" + value + "'");
    }
    arguments
        .computeIfAbsent(moduleAndArgument[0], module -> new ArrayList<>())
        .add(moduleAndArgument[1]);
  }

  private static Kafka parseKafka(String value) {
    return switch (value) {
      case "broker" -> Kafka.BROKER;
      case "apache" -> Kafka.APACHE;
      default ->
          throw new IllegalArgumentException(
              "--kafka must be broker or apache, was '" + value + "'");
    };
  }

  private static int parsePort(String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "--port-offset must be a whole number, was '" + value + "'");
    }
  }
}
