package dev.ferry.notification;

import dev.ferry.common.problem.FerryProblemHandler;
import dev.ferry.common.problem.InvalidParam;
import dev.ferry.common.problem.ProblemTypes;
import dev.ferry.notification.dashboard.InvalidWindowException;
import dev.ferry.notification.deadletter.DeadLetterNotFoundException;
import dev.ferry.notification.device.DeviceNotFoundException;
import dev.ferry.notification.notification.FieldNames;
import dev.ferry.notification.notification.InvalidNotificationException;
import dev.ferry.notification.notification.NotificationNotFoundException;
import dev.ferry.notification.preference.InvalidPreferenceException;
import dev.ferry.notification.ratelimit.RateLimitExceededException;
import dev.ferry.notification.template.InvalidTemplateException;
import dev.ferry.notification.template.TemplateNotFoundException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.MessageSourceResolvable;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.validation.method.ParameterErrors;
import org.springframework.validation.method.ParameterValidationResult;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;

/**
 * Maps notification-service's domain failures to RFC 9457 problems; request-shape errors come from
 * the common base, with body field names given in snake_case as clients send them.
 */
@RestControllerAdvice
class NotificationProblemHandler extends FerryProblemHandler {

  static final URI TEMPLATE_CONFLICT = ProblemTypes.of("template-conflict");
  static final URI RATE_LIMITED = ProblemTypes.of("rate-limited");

  private static final Logger log = LoggerFactory.getLogger(NotificationProblemHandler.class);

  /**
   * Names body fields as the JSON does ({@code user_id}, {@code quiet_hours.time_zone}, {@code
   * channels[1]}), so that a client can match the name to what it sent.
   */
  @Override
  protected String fieldName(String property) {
    return FieldNames.wire(property);
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
    return fieldProblem(ProblemTypes.INVALID_FIELD, "Invalid field", errors);
  }

  /**
   * Method validation covers a body together with constrained path variables; body errors are
   * reported by body field, the others by parameter name.
   */
  @Override
  protected ResponseEntity<Object> handleHandlerMethodValidationException(
      HandlerMethodValidationException ex,
      HttpHeaders headers,
      HttpStatusCode status,
      WebRequest request) {
    List<InvalidParam> bodyErrors = new ArrayList<>();
    List<InvalidParam> parameterErrors = new ArrayList<>();
    for (ParameterValidationResult result : ex.getParameterValidationResults()) {
      if (result instanceof ParameterErrors errors) {
        errors
            .getFieldErrors()
            .forEach(e -> bodyErrors.add(new InvalidParam(fieldName(e.getField()), message(e))));
      } else {
        String name = fieldName(result.getMethodParameter().getParameterName());
        result
            .getResolvableErrors()
            .forEach(e -> parameterErrors.add(new InvalidParam(name, message(e))));
      }
    }
    return bodyErrors.isEmpty()
        ? fieldProblem(ProblemTypes.INVALID_PARAMETER, "Invalid parameter", parameterErrors)
        : fieldProblem(ProblemTypes.INVALID_FIELD, "Invalid field", bodyErrors);
  }

  private static ResponseEntity<Object> fieldProblem(
      URI type, String title, List<InvalidParam> unsorted) {
    List<InvalidParam> errors =
        unsorted.stream().sorted(Comparator.comparing(InvalidParam::name)).toList();
    String detail =
        errors.isEmpty()
            ? "the request is invalid"
            : "'" + errors.get(0).name() + "' " + errors.get(0).reason();
    ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, type, title, detail);
    if (!errors.isEmpty()) {
      problem.setProperty("field", errors.get(0).name());
    }
    problem.setProperty("errors", errors);
    return ResponseEntity.badRequest().body(problem);
  }

  private static String message(MessageSourceResolvable error) {
    return error.getDefaultMessage() == null ? "is invalid" : error.getDefaultMessage();
  }

  @ExceptionHandler
  ResponseEntity<ProblemDetail> invalidNotification(InvalidNotificationException e) {
    return invalidField(e.field(), e.getMessage());
  }

  @ExceptionHandler
  ResponseEntity<Object> invalidWindow(InvalidWindowException e) {
    return invalidParameter("window", e.getMessage());
  }

  @ExceptionHandler
  ResponseEntity<ProblemDetail> invalidPreference(InvalidPreferenceException e) {
    return invalidField(e.field(), e.getMessage());
  }

  @ExceptionHandler
  ResponseEntity<ProblemDetail> invalidTemplate(InvalidTemplateException e) {
    if ("name".equals(e.field())) {
      ProblemDetail problem =
          problem(HttpStatus.CONFLICT, TEMPLATE_CONFLICT, "Template exists", e.getMessage());
      problem.setProperty("field", e.field());
      return ResponseEntity.status(HttpStatus.CONFLICT).body(problem);
    }
    return invalidField(e.field(), e.getMessage());
  }

  @ExceptionHandler({
    TemplateNotFoundException.class,
    NotificationNotFoundException.class,
    DeviceNotFoundException.class,
    DeadLetterNotFoundException.class
  })
  ResponseEntity<ProblemDetail> notFound(RuntimeException e) {
    return ResponseEntity.status(HttpStatus.NOT_FOUND)
        .body(problem(HttpStatus.NOT_FOUND, ProblemTypes.NOT_FOUND, "Not found", e.getMessage()));
  }

  @ExceptionHandler
  ResponseEntity<ProblemDetail> rateLimited(RateLimitExceededException e) {
    return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
        .header(HttpHeaders.RETRY_AFTER, String.valueOf(e.retryAfterSeconds()))
        .body(
            problem(
                HttpStatus.TOO_MANY_REQUESTS, RATE_LIMITED, "Too many requests", e.getMessage()));
  }

  @ExceptionHandler({DataAccessResourceFailureException.class, TransientDataAccessException.class})
  ResponseEntity<ProblemDetail> databaseUnavailable(DataAccessException e) {
    log.warn("Postgres unavailable: {}", e.toString());
    return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
        .header(HttpHeaders.RETRY_AFTER, "5")
        .body(
            problem(
                HttpStatus.SERVICE_UNAVAILABLE,
                ProblemTypes.UNAVAILABLE,
                "Storage unavailable",
                "the notification database cannot be reached; nothing was stored, retry later"));
  }

  /** The group commit's queue is full, or the service is shutting down: nothing was stored. */
  @ExceptionHandler
  ResponseEntity<ProblemDetail> overloaded(RejectedExecutionException e) {
    log.warn("Send refused: {}", e.getMessage());
    return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
        .header(HttpHeaders.RETRY_AFTER, "1")
        .body(
            problem(
                HttpStatus.SERVICE_UNAVAILABLE,
                ProblemTypes.UNAVAILABLE,
                "Overloaded",
                "too many sends are waiting to be stored; nothing was stored, retry later"));
  }

  private static ResponseEntity<ProblemDetail> invalidField(String field, String detail) {
    ProblemDetail problem =
        problem(HttpStatus.BAD_REQUEST, ProblemTypes.INVALID_FIELD, "Invalid field", detail);
    problem.setProperty("field", field);
    problem.setProperty("errors", List.of(new InvalidParam(field, detail)));
    return ResponseEntity.badRequest().body(problem);
  }
}
