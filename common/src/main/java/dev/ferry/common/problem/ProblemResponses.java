package dev.ferry.common.problem;

import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.springframework.beans.TypeMismatchException;
import org.springframework.context.MessageSourceResolvable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.validation.FieldError;
import org.springframework.validation.method.ParameterValidationResult;

/**
 * The problem bodies both base handlers give, whichever web stack reported the failure: {@link
 * FerryProblemHandler} (Spring MVC) and {@link ReactiveFerryProblemHandler} (WebFlux) map their
 * stack's exception types onto these, so a client sees the same {@code type}, {@code parameter} and
 * {@code errors} members from every service.
 */
final class ProblemResponses {

  private static final Set<String> WHOLE_NUMBER_TYPES =
      Set.of("int", "Integer", "long", "Long", "short", "Short");

  private ProblemResponses() {}

  /** A problem with a stable type, a title and a detail written for a human. */
  static ProblemDetail problem(HttpStatus status, URI type, String title, String detail) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
    problem.setType(type);
    problem.setTitle(title);
    return problem;
  }

  /** A 400 naming {@code parameter}, the only one at fault. */
  static ResponseEntity<Object> invalidParameter(String parameter, String detail) {
    return invalidParameter(parameter, detail, List.of(new InvalidParam(parameter, detail)));
  }

  /** A 400 for a query or path parameter that is missing or not of its type. */
  static ResponseEntity<Object> typeMismatch(String name, TypeMismatchException mismatch) {
    String expected =
        mismatch.getRequiredType() == null
            ? "another type"
            : mismatch.getRequiredType().getSimpleName();
    String article =
        WHOLE_NUMBER_TYPES.contains(expected) ? "a whole number" : "a valid " + expected;
    return invalidParameter(
        name, "'" + name + "' must be " + article + ", got '" + mismatch.getValue() + "'");
  }

  /** A 400 for parameters that failed their constraints, naming the first and listing all. */
  static ResponseEntity<Object> invalidParameters(List<ParameterValidationResult> results) {
    List<InvalidParam> errors =
        results.stream()
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

  /**
   * A 400 for body fields that failed Bean Validation, each named as the client wrote it ({@code
   * fieldName} maps the Java property).
   */
  static ResponseEntity<Object> invalidFields(
      List<FieldError> fields, UnaryOperator<String> fieldName) {
    List<InvalidParam> errors =
        fields.stream()
            .map(error -> new InvalidParam(fieldName.apply(error.getField()), message(error)))
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

  /** A 400 for a body that is not JSON, or not JSON of the expected shape. */
  static ResponseEntity<Object> malformedBody() {
    return ResponseEntity.badRequest()
        .body(
            problem(
                HttpStatus.BAD_REQUEST,
                ProblemTypes.MALFORMED_BODY,
                "Malformed request body",
                "the request body is not valid JSON of the expected shape"));
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

  private static String message(MessageSourceResolvable error) {
    return error.getDefaultMessage() == null ? "is invalid" : error.getDefaultMessage();
  }
}
