package dev.ferry.common.problem;

import java.net.URI;
import java.util.List;
import java.util.Set;
import org.springframework.beans.TypeMismatchException;
import org.springframework.context.MessageSourceResolvable;
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
 * responses, with the same {@code type}, {@code parameter} and {@code errors} members, for requests
 * that are malformed before they reach domain code. WebFlux reports these failures through other
 * exception types than Spring MVC: a missing parameter is a {@link MissingRequestValueException},
 * an unconvertible one or an unreadable body a {@link ServerWebInputException} (with the {@link
 * TypeMismatchException} or the decoding failure as its cause), a body failing Bean Validation a
 * {@link WebExchangeBindException}.
 *
 * <p>Services extend this class with a {@code @RestControllerAdvice} and add handlers for their own
 * domain exceptions. It shares no code with {@link FerryProblemHandler}, which extends Spring MVC's
 * base class: a reactive service has no Spring MVC on its class path to load that class from.
 */
public abstract class ReactiveFerryProblemHandler extends ResponseEntityExceptionHandler {

  private static final Set<String> WHOLE_NUMBER_TYPES =
      Set.of("int", "Integer", "long", "Long", "short", "Short");

  /** One field or parameter that failed validation. */
  public record InvalidParam(String name, String reason) {}

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
      String name = parameter.getParameterName();
      String expected =
          mismatch.getRequiredType() == null
              ? "another type"
              : mismatch.getRequiredType().getSimpleName();
      return Mono.just(
          invalidParameter(
              name,
              "'"
                  + name
                  + "' must be "
                  + article(expected)
                  + ", got '"
                  + mismatch.getValue()
                  + "'"));
    }
    return Mono.just(
        ResponseEntity.badRequest()
            .body(
                problem(
                    HttpStatus.BAD_REQUEST,
                    ProblemTypes.MALFORMED_BODY,
                    "Malformed request body",
                    "the request body is not valid JSON of the expected shape")));
  }

  @Override
  protected Mono<ResponseEntity<Object>> handleHandlerMethodValidationException(
      HandlerMethodValidationException ex,
      HttpHeaders headers,
      HttpStatusCode status,
      ServerWebExchange exchange) {
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
    return Mono.just(
        invalidParameter(first.name(), "'" + first.name() + "' " + first.reason(), errors));
  }

  @Override
  protected Mono<ResponseEntity<Object>> handleWebExchangeBindException(
      WebExchangeBindException ex,
      HttpHeaders headers,
      HttpStatusCode status,
      ServerWebExchange exchange) {
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
    return Mono.just(ResponseEntity.badRequest().body(problem));
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
