package dev.ferry.shortener.link;

import jakarta.validation.constraints.NotEmpty;
import java.util.List;

/**
 * Body of {@code POST /api/v1/shorten/batch}. Items are validated one by one, so that one bad item
 * gets its own problem and the others are still created.
 */
public record BatchShortenRequest(
    @NotEmpty(message = "must hold at least one link") List<ShortenRequest> links) {}
