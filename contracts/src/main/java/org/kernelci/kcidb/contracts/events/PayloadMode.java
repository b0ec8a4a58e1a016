package org.kernelci.kcidb.contracts.events;

/** How a submission event carries its body. */
public enum PayloadMode {
    /** The record value is the submitted body, byte for byte. */
    INLINE("inline"),
    /** The record value is empty; the body is the spool file named by the {@link EventHeaders#SPOOL_REF} header. */
    CLAIM_CHECK("claim-check");

    private final String wire;

    PayloadMode(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public static PayloadMode fromWire(String value) {
        for (PayloadMode m : values()) {
            if (m.wire.equals(value)) {
                return m;
            }
        }
        throw new MalformedEventException("unknown payload mode '" + value + "' (expected inline or claim-check)");
    }
}
