package org.camaudit.server.agent;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.camaudit.server.http.ServerCertificate;

/**
 * Trusts exactly one server certificate, named by its SHA-256 fingerprint (shown by {@code
 * camaudit server start}). Pinning the certificate itself is stronger than a name check, so the
 * host name is not checked: the agent may reach the server by any address.
 */
public final class PinnedCertificate extends X509ExtendedTrustManager {
    private final String fingerprint;

    public PinnedCertificate(String fingerprint) {
        this.fingerprint = ServerCertificate.normaliseFingerprint(fingerprint);
    }

    /** A TLS context that trusts only the pinned certificate. */
    public static SSLContext context(String fingerprint) {
        try {
            SSLContext c = SSLContext.getInstance("TLS");
            c.init(null, new TrustManager[]{new PinnedCertificate(fingerprint)}, null);
            return c;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make a TLS context", e);
        }
    }

    private void check(X509Certificate[] chain) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new CertificateException("the server sent no certificate");
        }
        String got = ServerCertificate.fingerprint(chain[0]);
        if (!got.equals(fingerprint)) {
            throw new CertificateException("the server's certificate has fingerprint " + got
                    + ", not the pinned " + fingerprint);
        }
        chain[0].checkValidity();
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType)
            throws CertificateException {
        check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        check(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType)
            throws CertificateException {
        throw new CertificateException("an agent does not accept clients");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        throw new CertificateException("an agent does not accept clients");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        throw new CertificateException("an agent does not accept clients");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}
