package org.kernelci.kcidb.gateway;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;

/**
 * A tee over the request body: every byte read is written to the spool file and digested, and the body is cut off
 * once it exceeds the limit. Write errors (disk full) surface as {@link SpoolWriteException} so that they are not
 * mistaken for a client's broken stream.
 */
final class SpoolingInputStream extends FilterInputStream {
    private final FileChannel out;
    private final MessageDigest digest;
    private final long limit;
    private long size;

    SpoolingInputStream(InputStream in, FileChannel out, MessageDigest digest, long limit) {
        super(in);
        this.out = out;
        this.digest = digest;
        this.limit = limit;
    }

    long size() {
        return size;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n == -1 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
            size += n;
            if (size > limit) {
                throw new BodyTooLargeException.Unchecked(limit);
            }
            digest.update(b, off, n);
            ByteBuffer bb = ByteBuffer.wrap(b, off, n);
            try {
                while (bb.hasRemaining()) {
                    out.write(bb);
                }
            } catch (IOException e) {
                throw new SpoolWriteException(e);
            }
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        throw new IOException("skip is not supported: every byte must be spooled");
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    /** Writing the spool file failed: the server's problem, not the client's. */
    static final class SpoolWriteException extends UncheckedIOException {
        SpoolWriteException(IOException cause) {
            super("cannot write the spool file: " + cause.getMessage(), cause);
        }
    }
}
