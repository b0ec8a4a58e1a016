package org.kernelci.kcidb.logspec.engine;

import java.util.Arrays;
import java.util.Optional;

/** The parsers of the reference's {@code parser_defs.yaml} (spec §2.1), plus {@link #KERNEL_ONLY}. */
public enum Parser {
    KBUILD("kbuild"),
    GENERIC_LINUX_BOOT("generic_linux_boot"),
    TEST_BASELINE("test_baseline"),
    TEST_KSELFTEST("test_kselftest"),
    CHROMEBOOK_SINGLE_BOOT("chromebook_single_boot"),
    CHROMEBOOK_2STAGE_BOOT("chromebook_2stage_boot"),
    /** Not upstream: only the kernel-error detector, for crash reports and dmesg dumps without a bootloader line. */
    KERNEL_ONLY("kernel_only");

    private final String id;

    Parser(String id) {
        this.id = id;
    }

    /** The name used on the command line and written in KCIDB records, e.g. {@code generic_linux_boot}. */
    public String id() {
        return id;
    }

    public static Optional<Parser> byId(String id) {
        return Arrays.stream(values()).filter(p -> p.id.equals(id)).findFirst();
    }

    @Override
    public String toString() {
        return id;
    }
}
