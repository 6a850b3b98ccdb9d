package dev.ferry.shortener.link;

import dev.ferry.common.problem.ProblemTypes;
import java.net.URI;

/** Stable problem types of the link feature. */
public final class LinkProblemTypes {

  /** The custom alias is taken. */
  public static final URI ALIAS_TAKEN = ProblemTypes.of("alias-taken");

  /** The link expired or used up its visits. */
  public static final URI LINK_GONE = ProblemTypes.of("link-gone");

  /** The link belongs to another API key. */
  public static final URI NOT_OWNER = ProblemTypes.of("not-link-owner");

  /** An idempotency key was used again with another request body. */
  public static final URI IDEMPOTENCY_KEY_REUSED = ProblemTypes.of("idempotency-key-reused");

  /** The first request with an idempotency key is still in progress. */
  public static final URI IDEMPOTENCY_KEY_IN_USE = ProblemTypes.of("idempotency-key-in-use");

  private LinkProblemTypes() {}
}
