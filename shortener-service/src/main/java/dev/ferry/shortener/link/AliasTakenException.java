package dev.ferry.shortener.link;

/** The custom alias is already a code, an alias or a generated one. */
public final class AliasTakenException extends RuntimeException {

  private AliasTakenException(String alias) {
    super("the alias '" + alias + "' is already taken");
  }

  public static AliasTakenException of(String alias) {
    return new AliasTakenException(alias);
  }
}
