package dev.ferry.localstack;

import java.nio.file.Path;

/**
 * Command-line options of the launcher.
 *
 * @param dataDirectory where Postgres, Redis and the logs keep their files ({@code --data-dir},
 *     default {@code .ferry})
 * @param portOffset added to every fixed port ({@code --port-offset}, default 0), so that a second
 *     stack, such as the launcher's own test, can run beside a developer's
 */
record LocalStackOptions(Path dataDirectory, int portOffset) {

  static final String USAGE = "usage: run-local.sh [--data-dir=PATH] [--port-offset=N]";

  LocalStackOptions {
    if (portOffset < 0 || portOffset > 40_000) {
      throw new IllegalArgumentException("--port-offset must be in 0..40000, was " + portOffset);
    }
  }

  static LocalStackOptions parse(String... args) {
    Path dataDirectory = Path.of(".ferry");
    int portOffset = 0;
    for (String arg : args) {
      String[] nameAndValue = arg.split("=", 2);
      if (nameAndValue.length != 2) {
        throw new IllegalArgumentException("unknown option '" + arg + "'; " + USAGE);
      }
      switch (nameAndValue[0]) {
        case "--data-dir" -> dataDirectory = Path.of(nameAndValue[1]);
        case "--port-offset" -> portOffset = parsePort(nameAndValue[1]);
        default -> throw new IllegalArgumentException("unknown option '" + arg + "'; " + USAGE);
      }
    }
    return new LocalStackOptions(dataDirectory.toAbsolutePath(), portOffset);
  }

  int port(int base) {
    return base + portOffset;
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
