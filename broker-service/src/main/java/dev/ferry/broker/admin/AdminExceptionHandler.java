package dev.ferry.broker.admin;

import java.net.URI;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Maps the broker's domain exceptions, which are Kafka's own so the wire protocol and HTTP agree on
 * causes, to RFC 9457 problem responses with a stable {@code type} per cause.
 */
@RestControllerAdvice
class AdminExceptionHandler extends ResponseEntityExceptionHandler {

  private static final String TYPE_ROOT = "https://ferry.dev/problems/broker/";

  @ExceptionHandler(ApiException.class)
  ProblemDetail handle(ApiException exception) {
    HttpStatus status;
    String type;
    if (exception instanceof UnknownTopicOrPartitionException) {
      status = HttpStatus.NOT_FOUND;
      type = "topic-not-found";
    } else if (exception instanceof GroupIdNotFoundException) {
      status = HttpStatus.NOT_FOUND;
      type = "group-not-found";
    } else if (exception instanceof TopicExistsException) {
      status = HttpStatus.CONFLICT;
      type = "topic-exists";
    } else if (exception instanceof InvalidTopicException) {
      status = HttpStatus.BAD_REQUEST;
      type = "invalid-topic-name";
    } else if (exception instanceof InvalidConfigurationException
        || exception instanceof InvalidPartitionsException
        || exception instanceof InvalidReplicationFactorException) {
      status = HttpStatus.BAD_REQUEST;
      type = "invalid-topic-settings";
    } else {
      status = HttpStatus.BAD_REQUEST;
      type = "kafka-error";
    }
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, exception.getMessage());
    problem.setType(URI.create(TYPE_ROOT + type));
    problem.setTitle(exception.getClass().getSimpleName());
    return problem;
  }
}
