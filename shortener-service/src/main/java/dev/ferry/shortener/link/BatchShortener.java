package dev.ferry.shortener.link;

import dev.ferry.common.keygen.KeysUnavailableException;
import dev.ferry.common.problem.ProblemTypes;
import dev.ferry.shortener.apikey.Caller;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.springframework.util.StringUtils;

/**
 * Creates up to {@code max-batch-size} links in one request, each on its own: an item that breaks a
 * rule or asks for a taken alias gets its own problem and the other items are still created. Items
 * are created in order, so two items asking for the same alias give the first one the alias.
 *
 * <p>Thread-safe: stateless.
 */
class BatchShortener {

  private final LinkService links;
  private final Validator validator;
  private final LinkProperties properties;

  BatchShortener(LinkService links, Validator validator, LinkProperties properties) {
    this.links = links;
    this.validator = validator;
    this.properties = properties;
  }

  BatchShortenResponse shorten(List<ShortenRequest> items, Caller caller) {
    if (items.size() > properties.maxBatchSize()) {
      throw InvalidLinkException.of(
          "links", "must hold at most " + properties.maxBatchSize() + " links");
    }
    List<BatchShortenResponse.ItemResult> results = new ArrayList<>(items.size());
    int created = 0;
    for (int index = 0; index < items.size(); index++) {
      BatchShortenResponse.ItemResult result = shortenOne(index, items.get(index), caller);
      if (result.link() != null) {
        created++;
      }
      results.add(result);
    }
    return new BatchShortenResponse(created, items.size() - created, results);
  }

  private BatchShortenResponse.ItemResult shortenOne(
      int index, ShortenRequest item, Caller caller) {
    if (item == null) {
      return failed(index, 400, ProblemTypes.INVALID_FIELD, "Invalid field", "is required", "");
    }
    Set<ConstraintViolation<ShortenRequest>> violations = validator.validate(item);
    if (!violations.isEmpty()) {
      ConstraintViolation<ShortenRequest> first =
          violations.stream()
              .min(Comparator.comparing(violation -> violation.getPropertyPath().toString()))
              .orElseThrow();
      String field = snakeCase(first.getPropertyPath().toString());
      return failed(
          index,
          400,
          ProblemTypes.INVALID_FIELD,
          "Invalid field",
          "'" + field + "' " + first.getMessage(),
          field);
    }
    try {
      Link link = links.shorten(item.toCommand(), caller);
      return new BatchShortenResponse.ItemResult(
          index, 201, LinkResponse.of(link, properties), null);
    } catch (InvalidLinkException e) {
      return failed(
          index, 400, ProblemTypes.INVALID_FIELD, "Invalid field", e.getMessage(), e.field());
    } catch (AliasTakenException e) {
      return failed(
          index, 409, LinkProblemTypes.ALIAS_TAKEN, "Alias taken", e.getMessage(), "custom_alias");
    } catch (KeysUnavailableException e) {
      return failed(
          index, 503, ProblemTypes.UNAVAILABLE, "Short codes unavailable", e.getMessage(), null);
    }
  }

  private static BatchShortenResponse.ItemResult failed(
      int index, int status, java.net.URI type, String title, String detail, String field) {
    return new BatchShortenResponse.ItemResult(
        index,
        status,
        null,
        new BatchShortenResponse.ItemProblem(
            type, title, detail, StringUtils.hasText(field) ? field : null));
  }

  private static String snakeCase(String property) {
    return property.replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
  }
}
