package dev.gatehouse.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

import dev.gatehouse.server.Gateway;

/**
 * The operator token: created on first start as {@code <data-dir>/operator.token}, mode 600, holding a
 * random 256-bit bearer token that can act on every tenant. The file is created with its final mode
 * (never world-readable, not even for a moment).
 */
final class OperatorToken {

    private OperatorToken() {}

    /** Creates the token file if it is missing; returns a log line saying where it is when it was created. */
    static String ensure(Path file, Gateway gateway) throws IOException {
        if (Files.exists(file)) return null;
        byte[] raw = new byte[32];
        new SecureRandom().nextBytes(raw);
        String token = "ghop_" + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        Files.createDirectories(file.getParent());
        try (var ch = Files.newByteChannel(file, java.util.Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
            ch.write(java.nio.ByteBuffer.wrap((token + "\n").getBytes(StandardCharsets.US_ASCII)));
        }
        return "operator token written to " + file + " (mode 600); use it as the bearer token of the admin API and shell";
    }

    static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.US_ASCII).strip();
    }
}
