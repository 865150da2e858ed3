package org.camaudit.server.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.Locale;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.camaudit.server.db.Secrets;

/**
 * The server's TLS key and certificate: a PKCS12 keystore the operator gives, or a self-signed
 * certificate (EC P-256, for {@code localhost}, 127.0.0.1 and the listen address) made on first
 * start and kept in the data directory with a random password beside it (both readable by the
 * owner only). Agents pin its SHA-256 fingerprint.
 *
 * @param created true when this start made the certificate
 */
public record ServerCertificate(KeyStore keyStore, String password, X509Certificate certificate,
        boolean created) {
    /** File names inside the data directory. */
    public static final String KEYSTORE = "server.p12";
    public static final String PASSWORD = "server.p12.password";

    private static final String ALIAS = "camaudit-server";
    private static final Duration VALIDITY = Duration.ofDays(825);

    /** The SHA-256 of the certificate, as {@code AB:CD:...} (how openssl and browsers print it). */
    public String fingerprint() {
        return fingerprint(certificate);
    }

    public static String fingerprint(X509Certificate cert) {
        try {
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(Secrets.sha256(cert
                    .getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot encode the certificate", e);
        }
    }

    /** Normalises a fingerprint as a user may type it (any case, with or without colons). */
    public static String normaliseFingerprint(String typed) {
        String hex = typed.strip().replace(":", "").replaceFirst("(?i)^sha256[=:]?", "")
                .toUpperCase(Locale.ROOT);
        if (!hex.matches("[0-9A-F]{64}")) {
            throw new IllegalArgumentException("a SHA-256 fingerprint is 64 hex digits (colons"
                    + " allowed), got \"" + typed + "\"");
        }
        return HexFormat.ofDelimiter(":").withUpperCase().formatHex(HexFormat.of().parseHex(hex));
    }

    /** Opens a PKCS12 keystore whose first key entry is the server's. */
    public static ServerCertificate fromKeystore(Path file, String password) {
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, password.toCharArray());
            for (String alias : java.util.Collections.list(ks.aliases())) {
                if (ks.isKeyEntry(alias) && ks.getCertificate(alias) instanceof X509Certificate c) {
                    return new ServerCertificate(ks, password, c, false);
                }
            }
            throw new IllegalArgumentException(file + " holds no key with an X.509 certificate");
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the keystore " + file + ": " + e
                    .getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot open the keystore " + file + ": " + e
                    .getMessage(), e);
        }
    }

    /** The data directory's self-signed certificate, made now if it has none. */
    public static ServerCertificate selfSigned(Path dataDir, String host) {
        Path keystore = dataDir.resolve(KEYSTORE);
        Path passwordFile = dataDir.resolve(PASSWORD);
        try {
            if (Files.exists(keystore) && Files.exists(passwordFile)) {
                return fromKeystore(keystore, Files.readString(passwordFile).strip());
            }
            Files.createDirectories(dataDir);
            byte[] secret = new byte[24];
            new SecureRandom().nextBytes(secret);
            String password = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
            KeyStore ks = generate(host, password);
            writeOwnerOnly(passwordFile, password.getBytes(StandardCharsets.UTF_8));
            Path tmp = dataDir.resolve(KEYSTORE + ".tmp");
            try (OutputStream out = Files.newOutputStream(tmp)) {
                ks.store(out, password.toCharArray());
            }
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            Files.move(tmp, keystore, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return new ServerCertificate(ks, password, (X509Certificate) ks.getCertificate(ALIAS),
                    true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the server certificate in " + dataDir, e);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot make a self-signed certificate: " + e
                    .getMessage(), e);
        }
    }

    private static KeyStore generate(String host, String password) throws GeneralSecurityException,
            OperatorCreationException, IOException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair pair = g.generateKeyPair();
        X500Name name = new X500Name("CN=camaudit server");
        Instant now = Instant.now();
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, new BigInteger(127,
                new SecureRandom()), Date.from(now.minus(Duration.ofMinutes(5))),
                Date.from(now
                        .plus(VALIDITY)),
                name, pair.getPublic());
        java.util.List<GeneralName> names = new java.util.ArrayList<>();
        names.add(new GeneralName(GeneralName.dNSName, "localhost"));
        names.add(new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
        if (!host.isBlank() && !host.equals("127.0.0.1") && !host.equals("localhost")
                && !host.equals("0.0.0.0")) {
            names.add(new GeneralName(host.matches("[0-9.:]+")
                    ? GeneralName.iPAddress
                    : GeneralName.dNSName, host));
        }
        b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(
                GeneralName[]::new)));
        X509Certificate cert = new JcaX509CertificateConverter().getCertificate(b.build(
                new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry(ALIAS, pair.getPrivate(), password.toCharArray(), new Certificate[]{cert});
        return ks;
    }

    private static void writeOwnerOnly(Path file, byte[] content) throws IOException {
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions
                .fromString("rw-------")));
        Files.write(file, content);
    }
}
