package org.camaudit.probes;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
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
 * XML from devices, parsed without trusting it: any DOCTYPE is refused before parsing and by the
 * parser (which rules out entity bombs and external entities), external DTDs, schemas and XInclude
 * are off, secure processing is on, and entity and depth limits stand as a second line. The one
 * XML parser of every probe.
 */
public final class DeviceXml {
    /** The error text of a reply that carried a DOCTYPE. */
    public static final String DOCTYPE_REJECTED = "xml rejected: DOCTYPE";

    /** Device XML refused or unreadable; the message is the observation's error. */
    public static final class Rejected extends Exception {
        private static final long serialVersionUID = 1L;

        public Rejected(String message) {
            super(message);
        }
    }

    private static final DocumentBuilderFactory FACTORY = factory();

    private static final ErrorHandler RAISE = new ErrorHandler() {
        @Override
        public void warning(SAXParseException e) {
            // warnings do not change the outcome
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

    private DeviceXml() {
    }

    private static DocumentBuilderFactory factory() {
        DocumentBuilderFactory f = DocumentBuilderFactory.newDefaultInstance();
        try {
            f.setNamespaceAware(true);
            f.setValidating(false);
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature("http://xml.org/sax/features/external-general-entities", false);
            f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            f.setAttribute("jdk.xml.entityExpansionLimit", "100");
            f.setAttribute("jdk.xml.maxGeneralEntitySizeLimit", "4096");
            f.setAttribute("jdk.xml.totalEntitySizeLimit", "65536");
            f.setAttribute("jdk.xml.maxElementDepth", "64");
        } catch (ParserConfigurationException | IllegalArgumentException e) {
            throw new IllegalStateException("the JDK XML parser cannot be hardened", e);
        }
        return f;
    }

    public static Document parse(byte[] xml) throws Rejected {
        return parse(xml, xml.length);
    }

    /** Parses the first {@code length} bytes. */
    public static Document parse(byte[] data, int length) throws Rejected {
        String text = new String(data, 0, length, StandardCharsets.ISO_8859_1).toUpperCase(
                Locale.ROOT);
        if (text.contains("<!DOCTYPE") || text.contains("<!ENTITY")) {
            throw new Rejected(DOCTYPE_REJECTED);
        }
        try {
            DocumentBuilder builder = FACTORY.newDocumentBuilder();
            builder.setErrorHandler(RAISE);
            builder.setEntityResolver((publicId, systemId) -> {
                throw new SAXException("external entity refused: " + systemId);
            });
            return builder.parse(new ByteArrayInputStream(data, 0, length));
        } catch (SAXException e) {
            String m = String.valueOf(e.getMessage());
            if (m.contains("DOCTYPE") || m.contains("external entity")) {
                throw new Rejected(DOCTYPE_REJECTED);
            }
            throw new Rejected("xml malformed: " + oneLine(m));
        } catch (IOException e) {
            throw new Rejected("xml unreadable: " + oneLine(String.valueOf(e.getMessage())));
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK XML parser refused a security feature", e);
        }
    }

    /** Child elements of {@code parent}, in document order. */
    public static List<Element> children(Node parent) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                out.add(e);
            }
        }
        return out;
    }

    /** Local name of an element whether or not the document used namespaces. */
    public static String localName(Node node) {
        String local = node.getLocalName();
        return local != null ? local : node.getNodeName();
    }

    /** Elements at or below {@code root} with that local name, in document order. */
    public static List<Element> all(Node root, String localName) {
        List<Element> out = new ArrayList<>();
        if (root instanceof Element e && localName.equals(localName(e))) {
            out.add(e);
        }
        collect(root, localName, out);
        return out;
    }

    private static void collect(Node node, String localName, List<Element> out) {
        for (Element child : children(node)) {
            if (localName.equals(localName(child))) {
                out.add(child);
            }
            collect(child, localName, out);
        }
    }

    /** The first element at or below {@code root} with that local name. */
    public static Optional<Element> first(Node root, String localName) {
        return all(root, localName).stream().findFirst();
    }

    /** The trimmed text of the first element with that local name that has any. */
    public static Optional<String> text(Node root, String localName) {
        for (Element e : all(root, localName)) {
            String t = e.getTextContent().strip();
            if (!t.isEmpty()) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /** Whitespace folded, at most 200 characters: for error messages. */
    public static String oneLine(String text) {
        String flat = text.replaceAll("\\s+", " ").strip();
        return flat.length() > 200 ? flat.substring(0, 200) : flat;
    }
}
