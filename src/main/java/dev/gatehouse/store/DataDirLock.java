// An exclusive lock file so a second process cannot open the same SQLite store.
package dev.gatehouse.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Holds {@code FileChannel.tryLock()} on a lock file for as long as the store is open. */
final class DataDirLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private DataDirLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    static DataDirLock acquire(Path lockFile) {
        try {
            if (lockFile.getParent() != null) Files.createDirectories(lockFile.getParent());
            FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // held by this very JVM
            }
            if (lock == null) {
                ch.close();
                throw new StoreException("The SQLite store is in use by another Gatehouse process (lock file "
                        + lockFile + " is held); stop it, or give this process another --data-dir");
            }
            return new DataDirLock(ch, lock);
        } catch (IOException e) {
            throw new StoreException("Cannot create lock file " + lockFile + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException ignored) {
            // the OS releases it with the process anyway
        }
    }
}
