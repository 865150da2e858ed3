package org.camaudit.probes.service;

import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.security.auth.x500.X500Principal;

/**
 * TLS layered over a guarded socket. It reads certificates, it never trusts them: the trust
 * manager accepts every chain, no host name is verified and no SNI is sent.
 *
 * <p>Old cameras often speak only TLS 1.0/1.1 or RSA key exchange. This client enables TLS 1.0 and
 * 1.1 on its sockets, but the JDK's {@code jdk.tls.disabledAlgorithms} security property (JDK 25:
 * {@code SSLv3, TLSv1, TLSv1.1, ..., TLS_RSA_*}) still forbids them and cannot be loosened per
 * socket; camaudit does not change that process-wide property behind the operator's back. Such a
 * handshake fails and is recorded as an error that names the property. An operator who must
 * audit those devices can run with {@code -Djava.security.properties=<file>} removing those
 * entries.
 */
final class TlsClient {
    private static final List<String> WANTED_PROTOCOLS = List.of("TLSv1.3", "TLSv1.2", "TLSv1.1",
            "TLSv1");

    private final SSLContext context;

    TlsClient() {
        try {
            context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[]{new ReadOnlyTrust()}, null);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK offers no TLS client", e);
        }
    }

    /** The certificate facts recorded on every HTTPS observation. */
    record Facts(String subject, String issuer, String version) {
    }

    SSLSocket handshake(Socket plain, String host, int port) throws IOException {
        SSLSocket ssl = (SSLSocket) context.getSocketFactory().createSocket(plain, host, port,
                true);
        SSLParameters parameters = ssl.getSSLParameters();
        parameters.setServerNames(List.of());
        parameters.setEndpointIdentificationAlgorithm(null);
        List<String> supported = Arrays.asList(ssl.getSupportedProtocols());
        List<String> protocols = new ArrayList<>();
        for (String p : WANTED_PROTOCOLS) {
            if (supported.contains(p)) {
                protocols.add(p);
            }
        }
        parameters.setProtocols(protocols.toArray(String[]::new));
        ssl.setSSLParameters(parameters);
        ssl.setUseClientMode(true);
        ssl.startHandshake();
        return ssl;
    }

    static Facts facts(SSLSocket socket) {
        SSLSession session = socket.getSession();
        String subject = "";
        String issuer = "";
        try {
            Certificate[] chain = session.getPeerCertificates();
            if (chain.length > 0 && chain[0] instanceof X509Certificate leaf) {
                subject = leaf.getSubjectX500Principal().getName(X500Principal.RFC2253);
                issuer = leaf.getIssuerX500Principal().getName(X500Principal.RFC2253);
            }
        } catch (SSLPeerUnverifiedException e) {
            // an anonymous suite: no certificate to record
        }
        return new Facts(subject, issuer, session.getProtocol());
    }

    static String describeHandshakeFailure(IOException e) {
        String message = Optional.ofNullable(e.getMessage()).orElse(e.getClass().getSimpleName());
        String lower = message.toLowerCase(Locale.ROOT);
        String hint = "";
        if (lower.contains("protocol") || lower.contains("cipher")
                || lower.contains("handshake_failure")
                || lower.contains("no appropriate")) {
            hint = " (the device may need TLS 1.0/1.1 or RSA key exchange, which"
                    + " jdk.tls.disabledAlgorithms forbids)";
        }
        return "tls handshake failed: " + message + hint;
    }

    /** Accepts any chain: camaudit records certificates, it does not rely on them. */
    private static final class ReadOnlyTrust extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
            // never a server
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            // recorded, not trusted
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
            // never a server
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
            // recorded, not trusted
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
            // never a server
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
            // recorded, not trusted
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
