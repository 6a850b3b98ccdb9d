package dev.ferry.keygen.keys;

import dev.ferry.common.problem.FerryProblemHandler;
import dev.ferry.common.problem.ProblemTypes;
import dev.ferry.keygen.range.KeyspaceExhaustedException;
import java.net.URI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** Maps keygen's domain failures to RFC 9457 problems; request-shape errors come from the base. */
@RestControllerAdvice
class KeygenProblemHandler extends FerryProblemHandler {

  static final URI KEYSPACE_EXHAUSTED = ProblemTypes.of("keyspace-exhausted");

  private static final Logger log = LoggerFactory.getLogger(KeygenProblemHandler.class);

  @ExceptionHandler
  ResponseEntity<ProblemDetail> keyspaceExhausted(KeyspaceExhaustedException e) {
    return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
        .body(
            problem(
                HttpStatus.SERVICE_UNAVAILABLE,
                KEYSPACE_EXHAUSTED,
                "Keyspace exhausted",
                e.getMessage()));
  }

  @ExceptionHandler
  ResponseEntity<ProblemDetail> databaseUnavailable(DataAccessException e) {
    log.warn("A counter range could not be claimed: {}", e.toString());
    return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
        .header(HttpHeaders.RETRY_AFTER, "5")
        .body(
            problem(
                HttpStatus.SERVICE_UNAVAILABLE,
                ProblemTypes.UNAVAILABLE,
                "Key ranges unavailable",
                "no code is buffered and the key-range database cannot be reached; retry later"));
  }
}
