package dev.gatehouse.admin;

import java.time.Instant;

/**
 * An admin API token as listed by {@code Get-AdminToken}: never the token itself, only its name, owner
 * and state. {@code Token} is filled only in the object {@code New-AdminToken} returns, once.
 */
public record AdminToken(String Identity, String Name, String Organization, String Scope, Instant WhenCreated,
                         boolean Revoked, String Token) {}
