package dev.ferry.keygen.keys;

/**
 * The answer to {@code GET /api/v1/keys/stats}.
 *
 * @param issued codes this instance handed out since it started
 * @param bufferLevel codes this instance holds ready
 * @param rangesClaimed counter ranges claimed by all instances
 * @param countersClaimed counters claimed by all instances (an upper bound of codes issued)
 * @param keyspaceSize all counters there are, 62^7
 * @param keyspaceUsedFraction countersClaimed / keyspaceSize
 */
record KeyStatsResponse(
    long issued,
    int bufferLevel,
    long rangesClaimed,
    long countersClaimed,
    long keyspaceSize,
    double keyspaceUsedFraction) {}
