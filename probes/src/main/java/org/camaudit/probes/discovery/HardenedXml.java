package org.camaudit.probes.discovery;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * XML from devices, parsed so that it cannot reach anything or grow: no DOCTYPE at all (so no
 * entities, internal or external), no external DTD or schema, no XInclude, secure processing on.
 * A reply with a DOCTYPE is refused with {@code xml rejected: DOCTYPE}.
 */
final class HardenedXml {
    static final String DOCTYPE_REJECTED = "xml rejected: DOCTYPE";

    private static final DocumentBuilderFactory FACTORY = factory();

    private static final ErrorHandler RAISE = new ErrorHandler() {
        @Override
        public void warning(SAXParseException e) {
        }

        @Override
        public void error(SAXParseException e) throws SAXException {
            throw e;
        }

        @Override
        public void fatalError(SAXParseException e) throws SAXException {
            throw e;
        }
    };

    private HardenedXml() {
    }

    private static DocumentBuilderFactory factory() {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        try {
            f.setNamespaceAware(true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature("http://xml.org/sax/features/external-general-entities", false);
            f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            f.setValidating(false);
        } catch (ParserConfigurationException | IllegalArgumentException e) {
            throw new IllegalStateException("the JDK XML parser cannot be hardened", e);
        }
        return f;
    }

    /** Parses one datagram; any failure, including a DOCTYPE, is a malformed reply. */
    static Document parse(byte[] data, int length, String protocol)
            throws MalformedReplyException {
        if (containsDoctype(data, length)) {
            throw new MalformedReplyException(DOCTYPE_REJECTED);
        }
        try {
            DocumentBuilder builder = FACTORY.newDocumentBuilder();
            builder.setErrorHandler(RAISE);
            builder.setEntityResolver((publicId, systemId) -> {
                throw new SAXException("external entity refused");
            });
            return builder.parse(new ByteArrayInputStream(data, 0, length));
        } catch (SAXException e) {
            String message = String.valueOf(e.getMessage());
            if (message.contains("DOCTYPE")) {
                throw new MalformedReplyException(DOCTYPE_REJECTED);
            }
            throw new MalformedReplyException(protocol + ": bad XML: " + oneLine(message));
        } catch (IOException | ParserConfigurationException e) {
            throw new MalformedReplyException(protocol + ": bad XML: " + oneLine(
                    String.valueOf(e.getMessage())));
        }
    }

    /** Finds {@code <!DOCTYPE} in an ASCII-compatible encoding, case-insensitively. */
    static boolean containsDoctype(byte[] data, int length) {
        byte[] needle = "<!DOCTYPE".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        outer : for (int i = 0; i + needle.length <= length; i++) {
            for (int j = 0; j < needle.length; j++) {
                int b = data[i + j] & 0xff;
                if (Character.toUpperCase(b) != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    /** Child elements of {@code parent}, in document order. */
    static List<Element> children(Node parent) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                out.add(e);
            }
        }
        return out;
    }

    /** Local name of an element whether or not the document used namespaces. */
    static String localName(Node node) {
        String local = node.getLocalName();
        return local != null ? local : node.getNodeName();
    }

    /** The first descendant of {@code root} (or root itself) with this local name. */
    static Element first(Element root, String local) {
        if (localName(root).equals(local)) {
            return root;
        }
        for (Element child : children(root)) {
            Element found = first(child, local);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    static String oneLine(String text) {
        String flat = text.replaceAll("\\s+", " ").strip();
        return flat.length() > 200 ? flat.substring(0, 200) : flat;
    }
}
