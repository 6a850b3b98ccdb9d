package dev.ferry.notification.notification;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Per-item results of a batch, in request order, with counts. */
public record BatchResponse(int accepted, int rejected, List<Item> results) {

  /** One item: accepted (id, status, channels) or rejected (the field at fault and why). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Item(
      int index,
      UUID notificationId,
      String status,
      Map<String, String> channels,
      String field,
      String detail) {}

  public static BatchResponse of(List<Item> results) {
    int rejected = (int) results.stream().filter(item -> item.notificationId() == null).count();
    return new BatchResponse(results.size() - rejected, rejected, results);
  }
}
