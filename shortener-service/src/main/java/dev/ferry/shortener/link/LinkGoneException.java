package dev.ferry.shortener.link;

/** The link exists but no longer redirects: it expired or used up its visits. */
public final class LinkGoneException extends RuntimeException {

  private LinkGoneException(String message) {
    super(message);
  }

  public static LinkGoneException expired(String code) {
    return new LinkGoneException("the link '" + code + "' has expired");
  }

  public static LinkGoneException visitsUsedUp(String code) {
    return new LinkGoneException(
        "the link '" + code + "' has reached its maximum number of visits");
  }
}
