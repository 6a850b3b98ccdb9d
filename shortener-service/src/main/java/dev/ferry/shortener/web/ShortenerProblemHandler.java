package dev.ferry.shortener.web;

import dev.ferry.common.keygen.KeysUnavailableException;
import dev.ferry.common.problem.InvalidParam;
import dev.ferry.common.problem.ProblemTypes;
import dev.ferry.common.problem.ReactiveFerryProblemHandler;
import dev.ferry.shortener.apikey.ApiKeyRequiredException;
import dev.ferry.shortener.apikey.InvalidApiKeyException;
import dev.ferry.shortener.link.AliasTakenException;
import dev.ferry.shortener.link.IdempotencyKey;
import dev.ferry.shortener.link.IdempotencyKeyInUseException;
import dev.ferry.shortener.link.IdempotencyKeyReusedException;
import dev.ferry.shortener.link.InvalidLinkException;
import dev.ferry.shortener.link.LinkGoneException;
import dev.ferry.shortener.link.LinkNotFoundException;
import dev.ferry.shortener.link.LinkProblemTypes;
import dev.ferry.shortener.link.NotLinkOwnerException;
import dev.ferry.shortener.ratelimit.RateLimitedException;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.server.ContentTooLargeException;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Maps the shortener's domain failures to RFC 9457 problems; request-shape errors come from the
 * base class. Failures of infrastructure a client cannot influence (a shard or keygen down, the
 * blocking executor full) are 503 with {@code Retry-After}, never 500.
 */
@RestControllerAdvice
class ShortenerProblemHandler extends ReactiveFerryProblemHandler {

  static final URI API_KEY_REQUIRED = ProblemTypes.of("api-key-required");
  static final URI INVALID_API_KEY = ProblemTypes.of("invalid-api-key");
  static final URI RATE_LIMITED = ProblemTypes.of("rate-limited");
  static final URI BODY_TOO_LARGE = ProblemTypes.of("body-too-large");
  static final URI INTERNAL = ProblemTypes.of("internal-error");

  private static final Logger log = LoggerFactory.getLogger(ShortenerProblemHandler.class);

  private final WebProperties properties;

  ShortenerProblemHandler(WebProperties properties) {
    this.properties = properties;
  }

  @ExceptionHandler
  ResponseEntity<ProblemDetail> notFound(LinkNotFoundException e) {
    return status(
        problem(HttpStatus.NOT_FOUND, ProblemTypes.NOT_FOUND, "Link not found", e.getMessage()));
  }

  @ExceptionHandler
  ResponseEntity<ProblemDetail> gone(LinkGoneException e) {
    return status(
        problem(HttpStatus.GONE, LinkProblemTypes.LINK_GONE, "Link gone", e.getMessage()));
  }

  @ExceptionHandler
  ResponseEntity<ProblemDetail> aliasTaken(AliasTakenException e) {
    ProblemDetail problem =
        problem(HttpStatus.CONFLICT, LinkProblemTypes.ALIAS_TAKEN, "Alias taken", e.getMessage());
    problem.setProperty("errors", List.of(new InvalidParam("custom_alias", "is already taken")));
    return status(problem);
  }

  @ExceptionHandler
  ResponseEntity<ProblemDetail> invalidLink(InvalidLinkException e) {
    ProblemDetail problem =
        problem(
            HttpStatus.BAD_REQUEST, ProblemTypes.INVALID_FIELD, "Invalid field", e.getMessage());
    problem.setProperty("errors", List.of(new InvalidParam(e.field(), e.reason())));
    return status(problem);
  }

  @ExceptionHandler
  ResponseEntity<ProblemDetail> idempotencyKeyReused(IdempotencyKeyReusedException e) {
    ProblemDetail problem =
        problem(
            HttpStatus.UNPROCESSABLE_CONTENT,
            LinkProblemTypes.IDEMPOTENCY_KEY_REUSED,
            "Idempotency key reused",
            e.getMessage());
    problem.setProperty("parameter", IdempotencyKey.HEADER);
    return status(problem);
  }

  @ExceptionHandler
  ResponseEntity<ProblemDetail> idempotencyKeyInUse(IdempotencyKeyInUseException e) {
    ProblemDetail problem =
        problem(
            HttpStatus.CONFLICT,
            LinkProblemTypes.IDEMPOTENCY_KEY_IN_USE,
            "Idempotent request in progress",
            e.getMessage());
    problem.setProperty("parameter", IdempotencyKey.HEADER);
    return ResponseEntity.status(HttpStatus.CONFLICT)
        .header(HttpHeaders.RETRY_AFTER, "1")
        .body(problem);
  }

  @ExceptionHandler
  ResponseEntity<ProblemDetail> notOwner(NotLinkOwnerException e) {
    return status(
        problem(HttpStatus.FORBIDDEN, LinkProblemTypes.NOT_OWNER, "Not your link", e.getMessage()));
  }

  @ExceptionHandler
  ResponseEntity<ProblemDetail> apiKeyRequired(ApiKeyRequiredException e) {
    return status(
        problem(HttpStatus.UNAUTHORIZED, API_KEY_REQUIRED, "API key required", e.getMessage()));
  }

  @ExceptionHandler
  ResponseEntity<ProblemDetail> invalidApiKey(InvalidApiKeyException e) {
    return status(
        problem(HttpStatus.UNAUTHORIZED, INVALID_API_KEY, "Invalid API key", e.getMessage()));
  }

  @ExceptionHandler
  ResponseEntity<ProblemDetail> rateLimited(RateLimitedException e) {
    return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
        .headers(e.headers())
        .header(HttpHeaders.RETRY_AFTER, Long.toString(e.retryAfterSeconds()))
        .body(
            problem(
                HttpStatus.TOO_MANY_REQUESTS, RATE_LIMITED, "Rate limit reached", e.getMessage()));
  }

  @ExceptionHandler
  ResponseEntity<ProblemDetail> keysUnavailable(KeysUnavailableException e) {
    log.warn("Shorten refused: {}", e.getMessage());
    return unavailable("Short codes unavailable", "no short code can be had now; retry later");
  }

  @ExceptionHandler
  ResponseEntity<ProblemDetail> storageUnavailable(DataAccessException e) {
    log.warn("A shard database failed: {}", e.toString());
    return unavailable("Storage unavailable", "a link database cannot be reached; retry later");
  }

  /** The last resort: a bug. Logged in full, answered without internals. */
  @ExceptionHandler
  ResponseEntity<ProblemDetail> unexpected(Exception e) {
    log.error("Unexpected failure", e);
    return status(
        problem(
            HttpStatus.INTERNAL_SERVER_ERROR,
            INTERNAL,
            "Internal error",
            "the request failed unexpectedly; it has been logged"));
  }

  @ExceptionHandler
  ResponseEntity<ProblemDetail> blockingWorkRefused(RejectedExecutionException e) {
    log.warn("Request refused, the blocking executor is full: {}", e.toString());
    return unavailable("Overloaded", "the service is overloaded; retry later");
  }

  /**
   * A body without {@code Content-Length} that ran over the codecs' limit while being read: WebFlux
   * reports it as a {@link ContentTooLargeException} (413), answered here with the same problem as
   * the filter's up-front refusal. A {@link DataBufferLimitException} from a reader that does not
   * wrap it gets the same answer.
   */
  @ExceptionHandler
  ResponseEntity<ProblemDetail> bodyTooLarge(DataBufferLimitException e) {
    return ResponseEntity.status(HttpStatus.PAYLOAD_TOO_LARGE).body(bodyTooLargeProblem());
  }

  @Override
  protected Mono<ResponseEntity<Object>> handleResponseStatusException(
      ResponseStatusException ex,
      HttpHeaders headers,
      HttpStatusCode status,
      ServerWebExchange exchange) {
    if (ex instanceof ContentTooLargeException) {
      return Mono.just(
          ResponseEntity.status(HttpStatus.PAYLOAD_TOO_LARGE).body(bodyTooLargeProblem()));
    }
    return super.handleResponseStatusException(ex, headers, status, exchange);
  }

  private ProblemDetail bodyTooLargeProblem() {
    return problem(
        HttpStatus.PAYLOAD_TOO_LARGE,
        BODY_TOO_LARGE,
        "Request body too large",
        "the request body is larger than " + properties.maxBodyBytes() + " bytes");
  }

  /**
   * Names fields as the JSON does ({@code long_url}, not {@code longUrl}), so that a client can
   * match the name to what it sent.
   */
  @Override
  protected String fieldName(String property) {
    return property.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
  }

  private ResponseEntity<ProblemDetail> unavailable(String title, String detail) {
    return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
        .header(HttpHeaders.RETRY_AFTER, Integer.toString(properties.retryAfterSeconds()))
        .body(problem(HttpStatus.SERVICE_UNAVAILABLE, ProblemTypes.UNAVAILABLE, title, detail));
  }

  private static ResponseEntity<ProblemDetail> status(ProblemDetail problem) {
    return ResponseEntity.status(problem.getStatus()).body(problem);
  }
}
