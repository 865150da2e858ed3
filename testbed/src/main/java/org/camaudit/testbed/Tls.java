package org.camaudit.testbed;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/** TLS for simulated devices: the vendor's default certificate subject over an accepted socket. */
final class Tls {
    static final String HIKVISION = "hikvision";
    static final String AXIS = "axis";
    static final String TPLINK = "tplink";
    static final String BOSCH = "bosch";
    static final String GENERIC = "generic";

    private static final Map<String, SSLContext> CONTEXTS = new ConcurrentHashMap<>();

    /** What runs inside the TLS session. */
    @FunctionalInterface
    interface Inside {
        void converse(Connection connection) throws IOException;
    }

    private Tls() {
    }

    static SSLContext context(String name) {
        return CONTEXTS.computeIfAbsent(name, n -> {
            try (InputStream in = Tls.class.getResourceAsStream("tls/" + n + ".p12")) {
                if (in == null) {
                    throw new IllegalStateException("no testbed keystore " + n);
                }
                char[] password = "testbed".toCharArray();
                KeyStore ks = KeyStore.getInstance("PKCS12");
                ks.load(in, password);
                KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory
                        .getDefaultAlgorithm());
                kmf.init(ks, password);
                SSLContext ctx = SSLContext.getInstance("TLS");
                ctx.init(kmf.getKeyManagers(), null, null);
                return ctx;
            } catch (IOException | GeneralSecurityException e) {
                throw new IllegalStateException("cannot load testbed keystore " + n, e);
            }
        });
    }

    /** Runs the TLS server handshake on the accepted socket, then the conversation inside. */
    static void serve(Connection plain, String keystore, Inside inside) throws IOException {
        Socket raw = plain.socket();
        SSLSocket tls = (SSLSocket) context(keystore).getSocketFactory().createSocket(raw, raw
                .getInetAddress().getHostAddress(), raw.getPort(), true);
        tls.setUseClientMode(false);
        tls.startHandshake();
        inside.converse(new Connection(tls));
    }
}
