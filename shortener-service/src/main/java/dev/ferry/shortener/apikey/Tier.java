package dev.ferry.shortener.apikey;

/** A caller's service level; decides its rate limits. */
public enum Tier {
  ANONYMOUS,
  AUTHENTICATED,
  PREMIUM
}
