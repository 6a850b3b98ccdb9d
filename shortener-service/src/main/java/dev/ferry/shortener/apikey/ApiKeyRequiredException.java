package dev.ferry.shortener.apikey;

/** The operation acts on owned links, so an anonymous caller cannot perform it. */
public final class ApiKeyRequiredException extends RuntimeException {

  private ApiKeyRequiredException(String message) {
    super(message);
  }

  public static ApiKeyRequiredException forOperation(String operation) {
    return new ApiKeyRequiredException(operation + " needs an X-API-Key");
  }
}
