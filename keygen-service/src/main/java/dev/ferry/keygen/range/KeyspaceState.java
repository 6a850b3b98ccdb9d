package dev.ferry.keygen.range;

/**
 * The shared keyspace as Postgres records it, across every instance.
 *
 * @param keyspaceSize number of counters, 62^7 for 7-character base62 codes
 * @param nextCounter first counter no instance has claimed yet
 * @param rangesClaimed ranges claimed so far by all instances
 */
public record KeyspaceState(long keyspaceSize, long nextCounter, long rangesClaimed) {

  public double usedFraction() {
    return (double) nextCounter / keyspaceSize;
  }
}
