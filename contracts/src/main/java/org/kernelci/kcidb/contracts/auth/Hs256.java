package org.kernelci.kcidb.contracts.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.util.Base64URL;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HS256 signing and verification for one secret: the tokens the gateway verifies, and those its clients (the
 * {@code token} command, the logspec consumer's service token) sign. Nimbus refuses HMAC keys shorter than 256 bits,
 * but deployments of the Rust gateway hold shorter secrets and their tokens must keep working; for those keys only,
 * the MAC is computed with the JCA directly (the algorithm is the same; only the key-length policy differs), and
 * {@link #isWeak()} lets the gateway warn at start-up.
 */
public final class Hs256 {
    private static final int MIN_BYTES = 32;

    private final JWSSigner signer;
    private final JWSVerifier verifier;
    private final boolean weak;

    public Hs256(String secret) {
        byte[] key = secret.getBytes(StandardCharsets.UTF_8);
        if (key.length == 0) {
            throw new IllegalArgumentException("empty HS256 secret");
        }
        this.weak = key.length < MIN_BYTES;
        try {
            if (weak) {
                ShortKey sk = new ShortKey(key);
                this.signer = sk;
                this.verifier = sk;
            } else {
                this.signer = new MACSigner(key);
                this.verifier = new MACVerifier(key);
            }
        } catch (JOSEException e) {
            throw new IllegalArgumentException("unusable HS256 secret: " + e.getMessage(), e);
        }
    }

    public boolean isWeak() {
        return weak;
    }

    public JWSSigner signer() {
        return signer;
    }

    public JWSVerifier verifier() {
        return verifier;
    }

    /** HMAC-SHA256 through the JCA, for keys Nimbus considers too short. */
    private static final class ShortKey implements JWSSigner, JWSVerifier {
        private final SecretKeySpec key;
        private final JCAContext jca = new JCAContext();

        ShortKey(byte[] key) {
            this.key = new SecretKeySpec(key, "HmacSHA256");
        }

        @Override
        public Base64URL sign(JWSHeader header, byte[] signingInput) throws JOSEException {
            requireHs256(header);
            return Base64URL.encode(mac(signingInput));
        }

        @Override
        public boolean verify(JWSHeader header, byte[] signingInput, Base64URL signature) throws JOSEException {
            requireHs256(header);
            if (header.getCriticalParams() != null && !header.getCriticalParams().isEmpty()) {
                return false;
            }
            return MessageDigest.isEqual(mac(signingInput), signature.decode());
        }

        private byte[] mac(byte[] input) throws JOSEException {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(key);
                return mac.doFinal(input);
            } catch (GeneralSecurityException e) {
                throw new JOSEException("HMAC-SHA256 failed: " + e.getMessage(), e);
            }
        }

        private static void requireHs256(JWSHeader header) throws JOSEException {
            if (!JWSAlgorithm.HS256.equals(header.getAlgorithm())) {
                throw new JOSEException("only HS256 is supported, not " + header.getAlgorithm());
            }
        }

        @Override
        public Set<JWSAlgorithm> supportedJWSAlgorithms() {
            return Set.of(JWSAlgorithm.HS256);
        }

        @Override
        public JCAContext getJCAContext() {
            return jca;
        }
    }
}
