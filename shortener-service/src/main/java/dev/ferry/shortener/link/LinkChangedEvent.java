package dev.ferry.shortener.link;

/**
 * A link was created, changed or deleted; cached lookups of {@code code} (including a cached "not
 * found") are stale. Published after the change is committed.
 */
public record LinkChangedEvent(String code) {}
