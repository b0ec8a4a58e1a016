package org.kernelci.kcidb.logspec.consumer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Own small logs, with the ids they must give computed independently of the engine (Python's
 * {@code json.dumps(..., sort_keys=True, ensure_ascii=False)} and SHA-1, see the comments).
 */
final class Fixtures {
    /** sha1 of {"error_summary": "'foo' undeclared (first use in this function)", "error_type": "kbuild.compiler.error",
     * "line_no": "42", "position": "7", "src_file": "drivers/misc/kcidbng_demo.c", "target": "drivers/misc/kcidbng_demo.o"}. */
    static final String GCC_SIGNATURE = "12aa6c8abf8be7127eb48296d4f1b07e6ef760e2";
    /** The same with error_summary "use of undeclared identifier 'foo'" (clang's wording). */
    static final String CLANG_SIGNATURE = "013ca08eea83124387038978e6eae18ba792f858";
    /** Both without error_summary and position: the location signature they share. */
    static final String SHARED_LOC = "ffb29f4003055a4efe5abc4f7561fb691e9d61c9";
    /** sha1 of {"error_summary": "VFS: Unable to mount root fs on unknown-block(0,0)", "error_type": "linux.kernel.panic"}. */
    static final String PANIC_SIGNATURE = "e526ed210742426a5128b378caf22ec2549db9b1";
    /** sha1 of {"bootloader.done": false}: the log-level signature of a boot that never reached the kernel. */
    static final String NO_BOOT_SIGNATURE = "e602fca280d85d8e603f7c0aff68363bb0cd7993";
    /** sha1 of ["demo:build-gcc", "demo:" + GCC_SIGNATURE, 1]. */
    static final String GCC_INCIDENT = "f04a235c02bbc6f5d2d93c1a2df7a8e00bc0ba2d";
    /** sha1 of ["demo:boot-panic", "demo:" + PANIC_SIGNATURE, 1]. */
    static final String PANIC_INCIDENT = "3ca44d9a40fbc6b27fd978e71f884fbb7bea7d0c";

    private Fixtures() {
    }

    static byte[] bytes(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/logs/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path copy(String name, Path dir) {
        try {
            return Files.write(dir.resolve(name), bytes(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
