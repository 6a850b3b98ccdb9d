package dev.ferry.shortener.web;

import java.io.IOException;

/**
 * A request body grew past {@code ferry.shortener.web.max-body-bytes} while it was being read (a
 * chunked body has no {@code Content-Length} to check up front). An {@link IOException}, so that it
 * travels through the JSON reader like any other read failure.
 */
final class BodyTooLargeException extends IOException {

  BodyTooLargeException(long maxBodyBytes) {
    super("the request body is larger than " + maxBodyBytes + " bytes");
  }
}
