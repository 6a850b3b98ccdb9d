package dev.ferry.shortener.link;

import java.net.URI;
import java.util.List;

/**
 * Result of a batch: one entry per requested item, in request order.
 *
 * @param created items that became links
 * @param failed items refused
 * @param results per item: its index, the status it would have had alone, and either the link or
 *     the problem
 */
public record BatchShortenResponse(int created, int failed, List<ItemResult> results) {

  /** The outcome of one item. */
  public record ItemResult(int index, int status, LinkResponse link, ItemProblem problem) {}

  /** Why one item was refused, shaped like an RFC 9457 problem. */
  public record ItemProblem(URI type, String title, String detail, String field) {}
}
