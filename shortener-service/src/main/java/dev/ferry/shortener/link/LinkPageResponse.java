package dev.ferry.shortener.link;

import java.util.List;

/** One page of the caller's links. */
public record LinkPageResponse(
    List<LinkResponse> items, int page, int size, long totalItems, long totalPages) {

  static LinkPageResponse of(LinkPage page, LinkProperties properties) {
    return new LinkPageResponse(
        page.links().stream().map(link -> LinkResponse.of(link, properties)).toList(),
        page.page(),
        page.size(),
        page.totalLinks(),
        (page.totalLinks() + page.size() - 1) / page.size());
  }
}
