package dev.ferry.localstack;

import java.util.List;

/**
 * How the local stack runs one service.
 *
 * @param module the Maven module, whose {@code target/<module>.jar} is run
 * @param httpPort the fixed local port of its HTTP API
 * @param arguments Spring Boot command-line properties pointing it at the stack's infrastructure
 * @param tryFirst a command to show in the banner
 */
record ServiceSpec(String module, int httpPort, List<String> arguments, String tryFirst) {}
