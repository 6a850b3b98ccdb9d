package dev.ferry.shortener.redirect;

/**
 * Recognises the path of a redirect, {@code /{code}} with a code of 1 to 32 characters from {@code
 * [A-Za-z0-9_-]}, the same paths the controller's mapping takes, with a loop over the characters
 * rather than a regular expression.
 */
final class RedirectPaths {

  static final int MAX_CODE_LENGTH = 32;

  private RedirectPaths() {}

  /** The code in {@code path}, or null if {@code path} is not a redirect's. */
  static String code(String path) {
    int length = path.length();
    if (length < 2 || length > MAX_CODE_LENGTH + 1 || path.charAt(0) != '/') {
      return null;
    }
    for (int i = 1; i < length; i++) {
      char c = path.charAt(i);
      boolean allowed =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '-'
              || c == '_';
      if (!allowed) {
        return null;
      }
    }
    return path.substring(1);
  }
}
