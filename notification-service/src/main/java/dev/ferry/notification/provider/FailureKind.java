package dev.ferry.notification.provider;

/** Why a provider call failed, which decides what happens next. */
public enum FailureKind {
  /** The provider is overloaded or throttling us (429): retry later, honouring Retry-After. */
  RATE_LIMITED(true, false),
  /** 5xx, timeout, connection refused or an open circuit: try the secondary, then retry. */
  UNAVAILABLE(true, true),
  /** The recipient is dead (unregistered push token, invalid number): never retry. */
  INVALID_RECIPIENT(false, false),
  /** The provider refused the message for good (bad request, credentials): never retry. */
  REJECTED(false, false);

  private final boolean retryable;
  private final boolean failover;

  FailureKind(boolean retryable, boolean failover) {
    this.retryable = retryable;
    this.failover = failover;
  }

  public boolean retryable() {
    return retryable;
  }

  /** Whether a secondary provider should be tried at once. */
  public boolean failover() {
    return failover;
  }
}
