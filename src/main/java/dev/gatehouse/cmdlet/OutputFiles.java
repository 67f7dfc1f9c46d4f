// Where Export-Csv may write: a directory on the admin's machine, or nowhere (the REST API).
package dev.gatehouse.cmdlet;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Opens the file named by {@code Export-Csv -Path}. */
@FunctionalInterface
public interface OutputFiles {
    Writer open(String path, boolean append) throws IOException;

    /** No file output: Export-Csv fails with a message saying so. The default. */
    static OutputFiles denied() {
        return (path, append) -> {
            throw new CmdletException("Export-Csv cannot write files here; use ConvertTo-Json or the shell instead.");
        };
    }

    /** Files relative to {@code directory} (absolute paths are used as given), UTF-8. */
    static OutputFiles under(Path directory) {
        return (path, append) -> {
            Path target = directory.resolve(path).normalize();
            Path parent = target.getParent();
            if (parent != null) Files.createDirectories(parent);
            return Files.newBufferedWriter(target, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE, append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING);
        };
    }
}
