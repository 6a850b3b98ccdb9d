package dev.ferry.common.problem;

import java.net.URI;

/**
 * Stable {@code type} URIs of the RFC 9457 problems Ferry services return. Clients branch on the
 * type, never on the human {@code detail}; a type once published keeps its meaning.
 */
public final class ProblemTypes {

  private static final String BASE = "https://ferry.dev/problems/";

  /** A query parameter, path variable or header is missing, malformed or out of range. */
  public static final URI INVALID_PARAMETER = of("invalid-parameter");

  /** The request body is not valid JSON or does not have the expected shape. */
  public static final URI MALFORMED_BODY = of("malformed-body");

  /** A field of a well-formed request body breaks a validation rule. */
  public static final URI INVALID_FIELD = of("invalid-field");

  /** No resource at this address. */
  public static final URI NOT_FOUND = of("not-found");

  /** The service cannot serve the request now; {@code Retry-After} says when to try again. */
  public static final URI UNAVAILABLE = of("unavailable");

  private ProblemTypes() {}

  /** The type URI for a problem {@code slug}, for service-specific problem types. */
  public static URI of(String slug) {
    return URI.create(BASE + slug);
  }
}
