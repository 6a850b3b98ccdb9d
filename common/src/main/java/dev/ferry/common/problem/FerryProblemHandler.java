package dev.ferry.common.problem;

import java.net.URI;
import org.springframework.beans.TypeMismatchException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * The problem responses every Ferry service gives for requests that are malformed before they reach
 * domain code: a missing, mistyped or out-of-range parameter, an unreadable body, a body field that
 * fails Bean Validation. Each names the parameter or field at fault in a {@code parameter} or
 * {@code errors} member, so that a client can point at it without parsing prose.
 *
 * <p>Services extend this class with a {@code @RestControllerAdvice} and add handlers for their own
 * domain exceptions. Services on WebFlux extend {@link ReactiveFerryProblemHandler}, which gives
 * the same bodies ({@link ProblemResponses}).
 */
public abstract class FerryProblemHandler extends ResponseEntityExceptionHandler {

  @Override
  protected ResponseEntity<Object> handleMissingServletRequestParameter(
      MissingServletRequestParameterException ex,
      HttpHeaders headers,
      HttpStatusCode status,
      WebRequest request) {
    return invalidParameter(
        ex.getParameterName(), "the query parameter '" + ex.getParameterName() + "' is required");
  }

  @Override
  protected ResponseEntity<Object> handleTypeMismatch(
      TypeMismatchException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
    String name =
        ex instanceof MethodArgumentTypeMismatchException mismatch
            ? mismatch.getName()
            : ex.getPropertyName();
    return ProblemResponses.typeMismatch(name, ex);
  }

  @Override
  protected ResponseEntity<Object> handleHandlerMethodValidationException(
      HandlerMethodValidationException ex,
      HttpHeaders headers,
      HttpStatusCode status,
      WebRequest request) {
    return ProblemResponses.invalidParameters(ex.getParameterValidationResults());
  }

  @Override
  protected ResponseEntity<Object> handleMethodArgumentNotValid(
      MethodArgumentNotValidException ex,
      HttpHeaders headers,
      HttpStatusCode status,
      WebRequest request) {
    return ProblemResponses.invalidFields(ex.getBindingResult().getFieldErrors(), this::fieldName);
  }

  @Override
  protected ResponseEntity<Object> handleHttpMessageNotReadable(
      HttpMessageNotReadableException ex,
      HttpHeaders headers,
      HttpStatusCode status,
      WebRequest request) {
    return ProblemResponses.malformedBody();
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
