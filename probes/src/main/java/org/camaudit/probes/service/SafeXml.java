package org.camaudit.probes.service;

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
import org.w3c.dom.NodeList;
import org.xml.sax.ErrorHandler;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * Parses device XML without trusting it: any DOCTYPE is rejected before and by the parser (which
 * rules out entity bombs and external entities), external DTDs, schemas and XInclude are off,
 * secure processing is on and entity expansion is limited as a second line.
 */
final class SafeXml {
    /** Device XML rejected or unreadable; the message is the observation's error. */
    static final class Rejected extends Exception {
        private static final long serialVersionUID = 1L;

        Rejected(String message) {
            super(message);
        }
    }

    private SafeXml() {
    }

    static Document parse(byte[] xml) throws Rejected {
        String head = new String(xml, StandardCharsets.ISO_8859_1).toUpperCase(Locale.ROOT);
        if (head.contains("<!DOCTYPE") || head.contains("<!ENTITY")) {
            throw new Rejected("xml rejected: DOCTYPE");
        }
        try {
            DocumentBuilder builder = factory().newDocumentBuilder();
            builder.setErrorHandler(new Silent());
            builder.setEntityResolver((publicId, systemId) -> {
                throw new SAXException("external entity refused: " + systemId);
            });
            InputSource source = new InputSource(new ByteArrayInputStream(xml));
            return builder.parse(source);
        } catch (SAXException e) {
            String m = String.valueOf(e.getMessage());
            if (m.contains("DOCTYPE") || m.contains("external entity")) {
                throw new Rejected("xml rejected: DOCTYPE");
            }
            throw new Rejected("xml malformed: " + firstLine(m));
        } catch (IOException e) {
            throw new Rejected("xml unreadable: " + firstLine(String.valueOf(e.getMessage())));
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK XML parser refused a security feature", e);
        }
    }

    private static String firstLine(String m) {
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    private static DocumentBuilderFactory factory() throws ParserConfigurationException {
        DocumentBuilderFactory f = DocumentBuilderFactory.newDefaultInstance();
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
        return f;
    }

    /** Elements anywhere below {@code root} with that local name, in document order. */
    static List<Element> all(Node root, String localName) {
        List<Element> out = new ArrayList<>();
        collect(root, localName, out);
        return out;
    }

    private static void collect(Node node, String localName, List<Element> out) {
        NodeList children = node.getChildNodes();
        for (int i = 0; i < children.getLength(); i++) {
            Node child = children.item(i);
            if (child instanceof Element e) {
                if (localName.equals(e.getLocalName())) {
                    out.add(e);
                }
                collect(e, localName, out);
            }
        }
    }

    /** The trimmed text of the first element with that local name, if any and not blank. */
    static Optional<String> text(Node root, String localName) {
        for (Element e : all(root, localName)) {
            String t = e.getTextContent().strip();
            if (!t.isEmpty()) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    private static final class Silent implements ErrorHandler {
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
    }
}
