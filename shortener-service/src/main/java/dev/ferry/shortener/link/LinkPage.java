package dev.ferry.shortener.link;

import java.util.List;

/**
 * One page of an owner's links, newest first, merged from every shard.
 *
 * @param links the links on this page
 * @param page zero-based page number
 * @param size page size asked for
 * @param totalLinks matching links on all shards
 */
public record LinkPage(List<Link> links, int page, int size, long totalLinks) {}
