package dev.meterbill.service;

/** One refused field of a request, e.g. {@code events[17].timestamp}. */
public record FieldError(String field, String message) {}
