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

  private LinkProblemTypes() {}
}
