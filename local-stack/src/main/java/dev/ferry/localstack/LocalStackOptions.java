package dev.ferry.localstack;

import java.nio.file.Path;

/**
 * Command-line options of the launcher.
 *
 * @param dataDirectory where Postgres, Redis and the logs keep their files ({@code --data-dir},
 *     default {@code .ferry})
 * @param portOffset added to every fixed port ({@code --port-offset}, default 0), so that a second
 *     stack, such as the launcher's own test, can run beside a developer's
 * @param kafka which Kafka-protocol broker the services use ({@code --kafka=broker|apache}):
 *     Ferry's own broker-service (the default) or Apache Kafka
 */
record LocalStackOptions(Path dataDirectory, int portOffset, Kafka kafka) {

  static final String USAGE =
      "usage: run-local.sh [--data-dir=PATH] [--port-offset=N] [--kafka=broker|apache]";

  /** The broker behind {@code localhost:9092}. */
  enum Kafka {
    BROKER,
    APACHE
  }

  LocalStackOptions {
    if (portOffset < 0 || portOffset > 40_000) {
      throw new IllegalArgumentException("--port-offset must be in 0..40000, was " + portOffset);
    }
  }

  static LocalStackOptions parse(String... args) {
    Path dataDirectory = Path.of(".ferry");
    int portOffset = 0;
    Kafka kafka = Kafka.BROKER;
    for (String arg : args) {
      String[] nameAndValue = arg.split("=", 2);
      if (nameAndValue.length != 2) {
        throw new IllegalArgumentException("unknown option '" + arg + "'; " + USAGE);
      }
      switch (nameAndValue[0]) {
        case "--data-dir" -> dataDirectory = Path.of(nameAndValue[1]);
        case "--port-offset" -> portOffset = parsePort(nameAndValue[1]);
        case "--kafka" -> kafka = parseKafka(nameAndValue[1]);
        default -> throw new IllegalArgumentException("unknown option '" + arg + "'; " + USAGE);
      }
    }
    return new LocalStackOptions(dataDirectory.toAbsolutePath(), portOffset, kafka);
  }

  int port(int base) {
    return base + portOffset;
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
