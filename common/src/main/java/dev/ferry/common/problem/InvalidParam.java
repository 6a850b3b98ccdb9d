package dev.ferry.common.problem;

/**
 * One field or parameter that failed validation, as listed in a problem's {@code errors} member.
 *
 * @param name the field or parameter as the client wrote it (snake_case for JSON bodies)
 * @param reason why it was refused, written for a human
 */
public record InvalidParam(String name, String reason) {}
