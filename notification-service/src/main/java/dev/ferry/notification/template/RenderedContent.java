package dev.ferry.notification.template;

/**
 * The text of one channel's message after rendering; {@code subject} is for email, {@code title}
 * for push, either may be null.
 */
public record RenderedContent(String subject, String title, String body) {}
