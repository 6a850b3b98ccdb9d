package dev.ferry.shortener.link;

/** No link has this code (it never existed, or was deleted). */
public final class LinkNotFoundException extends RuntimeException {

  private final String code;

  private LinkNotFoundException(String code) {
    super("no link with code '" + code + "'");
    this.code = code;
  }

  public static LinkNotFoundException forCode(String code) {
    return new LinkNotFoundException(code);
  }

  public String code() {
    return code;
  }
}
