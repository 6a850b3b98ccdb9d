package dev.ferry.common.problem;

import java.net.URI;
import java.util.List;
import java.util.Set;
import org.springframework.beans.TypeMismatchException;
import org.springframework.context.MessageSourceResolvable;
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
 * domain exceptions.
 */
public abstract class FerryProblemHandler extends ResponseEntityExceptionHandler {

  private static final Set<String> WHOLE_NUMBER_TYPES =
      Set.of("int", "Integer", "long", "Long", "short", "Short");

  /** One field or parameter that failed validation. */
  public record InvalidParam(String name, String reason) {}

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
    String expected =
        ex.getRequiredType() == null ? "another type" : ex.getRequiredType().getSimpleName();
    return invalidParameter(
        name, "'" + name + "' must be " + article(expected) + ", got '" + ex.getValue() + "'");
  }

  @Override
  protected ResponseEntity<Object> handleHandlerMethodValidationException(
      HandlerMethodValidationException ex,
      HttpHeaders headers,
      HttpStatusCode status,
      WebRequest request) {
    List<InvalidParam> errors =
        ex.getParameterValidationResults().stream()
            .flatMap(
                result ->
                    result.getResolvableErrors().stream()
                        .map(
                            error ->
                                new InvalidParam(
                                    result.getMethodParameter().getParameterName(),
                                    message(error))))
            .toList();
    InvalidParam first = errors.get(0);
    return invalidParameter(first.name(), "'" + first.name() + "' " + first.reason(), errors);
  }

  @Override
  protected ResponseEntity<Object> handleMethodArgumentNotValid(
      MethodArgumentNotValidException ex,
      HttpHeaders headers,
      HttpStatusCode status,
      WebRequest request) {
    List<InvalidParam> errors =
        ex.getBindingResult().getFieldErrors().stream()
            .map(error -> new InvalidParam(fieldName(error.getField()), message(error)))
            .toList();
    String detail =
        errors.isEmpty()
            ? "the request body is invalid"
            : "'" + errors.get(0).name() + "' " + errors.get(0).reason();
    ProblemDetail problem =
        problem(HttpStatus.BAD_REQUEST, ProblemTypes.INVALID_FIELD, "Invalid field", detail);
    problem.setProperty("errors", errors);
    return ResponseEntity.badRequest().body(problem);
  }

  @Override
  protected ResponseEntity<Object> handleHttpMessageNotReadable(
      HttpMessageNotReadableException ex,
      HttpHeaders headers,
      HttpStatusCode status,
      WebRequest request) {
    return ResponseEntity.badRequest()
        .body(
            problem(
                HttpStatus.BAD_REQUEST,
                ProblemTypes.MALFORMED_BODY,
                "Malformed request body",
                "the request body is not valid JSON of the expected shape"));
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
    return invalidParameter(parameter, detail, List.of(new InvalidParam(parameter, detail)));
  }

  private static ResponseEntity<Object> invalidParameter(
      String parameter, String detail, List<InvalidParam> errors) {
    ProblemDetail problem =
        problem(
            HttpStatus.BAD_REQUEST, ProblemTypes.INVALID_PARAMETER, "Invalid parameter", detail);
    problem.setProperty("parameter", parameter);
    problem.setProperty("errors", errors);
    return ResponseEntity.badRequest().body(problem);
  }

  /** A problem with a stable type, a title and a detail written for a human. */
  protected static ProblemDetail problem(HttpStatus status, URI type, String title, String detail) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
    problem.setType(type);
    problem.setTitle(title);
    return problem;
  }

  private static String message(MessageSourceResolvable error) {
    return error.getDefaultMessage() == null ? "is invalid" : error.getDefaultMessage();
  }

  private static String article(String type) {
    return WHOLE_NUMBER_TYPES.contains(type) ? "a whole number" : "a valid " + type;
  }
}
