package org.kernelci.kcidb.gateway;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * fsync of one directory, shared by concurrent callers (group commit): a caller returns once an fsync that began after
 * its call has completed, so the entries it created or renamed before calling are durable. Under load one fsync covers
 * every request that renamed a file while the previous one ran, instead of one fsync each.
 */
final class DirectorySync {
    private final Path dir;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition done = lock.newCondition();
    private long requested;
    private long completed;
    private boolean syncing;

    DirectorySync(Path dir) {
        this.dir = dir;
    }

    void sync() throws IOException {
        long ticket;
        long covers;
        lock.lock();
        try {
            ticket = ++requested;
            while (true) {
                if (completed >= ticket) {
                    return;
                }
                if (!syncing) {
                    syncing = true;
                    covers = requested;
                    break;
                }
                done.awaitUninterruptibly();
            }
        } finally {
            lock.unlock();
        }
        boolean ok = false;
        try {
            forceOpen();
            ok = true;
        } finally {
            lock.lock();
            try {
                syncing = false;
                if (ok) {
                    completed = Math.max(completed, covers);
                }
                done.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /** The directory stays open between syncs: one syscall per group commit instead of three. */
    private FileChannel channel;

    /** Called by the one leader at a time, so the channel needs no lock of its own. */
    private void forceOpen() throws IOException {
        try {
            if (channel == null || !channel.isOpen()) {
                channel = FileChannel.open(dir, StandardOpenOption.READ);
            }
            channel.force(true);
        } catch (IOException e) {
            // The directory may have been replaced (or the device remounted): reopen next time.
            FileChannel broken = channel;
            channel = null;
            if (broken != null) {
                try {
                    broken.close();
                } catch (IOException ignored) {
                    // closing a broken channel
                }
            }
            throw e;
        }
    }

    /** fsync of a directory makes the creations and renames in it durable (Linux). */
    static void force(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }
}
