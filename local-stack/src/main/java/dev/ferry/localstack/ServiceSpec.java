package dev.ferry.localstack;

import java.util.ArrayList;
import java.util.List;

/**
 * How the local stack runs one service.
 *
 * @param module the Maven module, whose {@code target/<module>.jar} is run
 * @param httpPort the local port of its HTTP API
 * @param arguments Spring Boot command-line properties pointing it at the stack's infrastructure
 * @param tryFirst a command to show in the banner
 */
public record ServiceSpec(String module, int httpPort, List<String> arguments, String tryFirst) {

  public ServiceSpec {
    arguments = List.copyOf(arguments);
  }

  /** The same service on another HTTP port, for a second instance beside the first. */
  public ServiceSpec onPort(int port) {
    return new ServiceSpec(module, port, arguments, tryFirst);
  }

  /** This spec with {@code extra} appended; later arguments win in Spring Boot. */
  ServiceSpec withArguments(List<String> extra) {
    List<String> all = new ArrayList<>(arguments);
    all.addAll(extra);
    return new ServiceSpec(module, httpPort, all, tryFirst);
  }
}
