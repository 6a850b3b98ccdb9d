package dev.ferry.common.problem;

import java.net.URI;
import org.springframework.beans.TypeMismatchException;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.support.WebExchangeBindException;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.reactive.result.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.server.MissingRequestValueException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;
import reactor.core.publisher.Mono;

/**
 * {@link FerryProblemHandler} for services on the reactive stack (Spring WebFlux): the same problem
 * responses ({@link ProblemResponses}), with the same {@code type}, {@code parameter} and {@code
 * errors} members, for requests that are malformed before they reach domain code. WebFlux reports
 * these failures through other exception types than Spring MVC: a missing parameter is a {@link
 * MissingRequestValueException}, an unconvertible one or an unreadable body a {@link
 * ServerWebInputException} (with the {@link TypeMismatchException} or the decoding failure as its
 * cause), a body failing Bean Validation a {@link WebExchangeBindException}. It cannot extend
 * {@link FerryProblemHandler}: a reactive service has no Spring MVC on its class path to load that
 * class's base from.
 *
 * <p>Services extend this class with a {@code @RestControllerAdvice} and add handlers for their own
 * domain exceptions.
 */
public abstract class ReactiveFerryProblemHandler extends ResponseEntityExceptionHandler {

  @Override
  protected Mono<ResponseEntity<Object>> handleMissingRequestValueException(
      MissingRequestValueException ex,
      HttpHeaders headers,
      HttpStatusCode status,
      ServerWebExchange exchange) {
    return Mono.just(
        invalidParameter(
            ex.getName(), "the " + ex.getLabel() + " '" + ex.getName() + "' is required"));
  }

  @Override
  protected Mono<ResponseEntity<Object>> handleServerWebInputException(
      ServerWebInputException ex,
      HttpHeaders headers,
      HttpStatusCode status,
      ServerWebExchange exchange) {
    MethodParameter parameter = ex.getMethodParameter();
    if (ex.getCause() instanceof TypeMismatchException mismatch && parameter != null) {
      return Mono.just(ProblemResponses.typeMismatch(parameter.getParameterName(), mismatch));
    }
    return Mono.just(ProblemResponses.malformedBody());
  }

  @Override
  protected Mono<ResponseEntity<Object>> handleHandlerMethodValidationException(
      HandlerMethodValidationException ex,
      HttpHeaders headers,
      HttpStatusCode status,
      ServerWebExchange exchange) {
    return Mono.just(ProblemResponses.invalidParameters(ex.getParameterValidationResults()));
  }

  @Override
  protected Mono<ResponseEntity<Object>> handleWebExchangeBindException(
      WebExchangeBindException ex,
      HttpHeaders headers,
      HttpStatusCode status,
      ServerWebExchange exchange) {
    return Mono.just(
        ProblemResponses.invalidFields(ex.getBindingResult().getFieldErrors(), this::fieldName));
  }

  /**
   * The name a problem gives a body field that failed validation, from its Java property name. A
   * service whose JSON names differ from its record components (snake_case) overrides this.
   */
  protected String fieldName(String property) {
    return property;
  }

  /** A 400 problem naming {@code parameter}. */
  protected ResponseEntity<Object> invalidParameter(String parameter, String detail) {
    return ProblemResponses.invalidParameter(parameter, detail);
  }

  /** A problem with a stable type, a title and a detail written for a human. */
  protected static ProblemDetail problem(HttpStatus status, URI type, String title, String detail) {
    return ProblemResponses.problem(status, type, title, detail);
  }
}
