package dev.gatehouse.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

import dev.gatehouse.admin.AdminTokenService;
import dev.gatehouse.server.Gateway;

/**
 * The operator token: created on first start as {@code <data-dir>/operator.token}, mode 600, holding a
 * random 256-bit bearer token that can act on every tenant. The file is created with its final mode
 * (never world-readable, not even for a moment).
 */
final class OperatorToken {

    private OperatorToken() {}

    /**
     * Creates the token file if it is missing and registers its hash in the store (every start, so a
     * store shared by several nodes knows each node's operator token). Returns a log line saying where
     * the token is when it was just created, else null. An existing file with no token in it is an error.
     */
    static String ensure(Path file, Gateway gateway) throws IOException {
        AdminTokenService tokens = new AdminTokenService(gateway.store());
        if (Files.exists(file)) {
            String token = read(file);
            if (token.isEmpty()) { // a blank token is never accepted: registering it would lock the operator out without a word
                throw new IOException(file + " is empty: delete it and start again to have a new operator token written");
            }
            tokens.registerOperatorToken(token);
            return null;
        }
        String token = AdminTokenService.newTokenText(true);
        Files.createDirectories(file.getParent());
        try (var ch = Files.newByteChannel(file, java.util.Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
            ch.write(java.nio.ByteBuffer.wrap((token + "\n").getBytes(StandardCharsets.US_ASCII)));
        }
        tokens.registerOperatorToken(token);
        return "operator token written to " + file + " (mode 600); use it as the bearer token of the admin API and shell";
    }

    static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.US_ASCII).strip();
    }
}
