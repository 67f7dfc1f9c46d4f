package dev.gatehouse.config;

/** A setting that can't be used, with a message naming the setting, its source and its value. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) { super(message); }
}
