package org.camaudit.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Which process owns a running scan: the owner holds an exclusive lock on
 * {@code running/<owner>.lock} in the data directory for as long as the scan runs. The kernel
 * drops the lock when the process dies, however it dies (kill -9 included), so a free lock on a
 * scan still 'running' means its process is gone.
 */
final class ScanOwners {
    private final Path dir;
    private final Map<String, FileLock> held = new HashMap<>();

    ScanOwners(Path dir) {
        this.dir = dir;
    }

    /** A new owner name whose lock this process now holds. */
    synchronized String take(String what) {
        String owner = UUID.randomUUID().toString();
        try {
            Files.createDirectories(dir);
            FileChannel channel = FileChannel.open(lockFile(owner), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                channel.close();
                throw new StoreException(what + ": the new lock " + lockFile(owner)
                        + " is held by another process");
            }
            held.put(owner, lock);
            return owner;
        } catch (IOException e) {
            throw new StoreException(what + ": cannot hold a lock in " + dir + " ("
                    + SqliteObservationLog.describe(e) + ")", e);
        }
    }

    /** True while some live process (this one included) holds the owner's lock. */
    synchronized boolean alive(String owner) {
        if (owner == null) {
            return false; // written before owners were recorded: nobody can still hold it
        }
        if (held.containsKey(owner)) {
            return true;
        }
        try (FileChannel channel = FileChannel.open(lockFile(owner), StandardOpenOption.READ)) {
            FileLock probe = channel.tryLock(0, Long.MAX_VALUE, true);
            if (probe == null) {
                return true;
            }
            probe.release();
            return false;
        } catch (OverlappingFileLockException e) {
            return true; // another log in this JVM holds it
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            return true; // cannot tell: never mark a scan that may still run
        }
    }

    /** Lets go of an owner's lock and removes its file; nothing if this process does not hold it. */
    synchronized void release(String owner) {
        FileLock lock = owner == null ? null : held.remove(owner);
        if (lock == null) {
            return;
        }
        try (FileChannel channel = lock.channel()) {
            Files.deleteIfExists(lockFile(owner));
            lock.release();
        } catch (IOException ignored) {
            // the lock goes with the channel; a file left behind is only a name
        }
    }

    synchronized void releaseAll() {
        for (String owner : java.util.List.copyOf(held.keySet())) {
            release(owner);
        }
    }

    private Path lockFile(String owner) {
        return dir.resolve(owner + ".lock");
    }
}
