package dev.ferry.shortener.link;

/** The caller's API key did not make this link, so it may not read its details or change it. */
public final class NotLinkOwnerException extends RuntimeException {

  private NotLinkOwnerException(String code) {
    super("the link '" + code + "' belongs to another API key");
  }

  public static NotLinkOwnerException forCode(String code) {
    return new NotLinkOwnerException(code);
  }
}
